terraform {
  required_providers {
    luml = {
      source = "luml-ai/luml"
    }
  }
}

# The API key is best taken from LUML_API_KEY rather than written here.
provider "luml" {
  organization = "Acme" # or its ID; may be omitted when the key has one organization
}
