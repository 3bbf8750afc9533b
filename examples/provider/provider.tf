terraform {
  required_providers {
    luml = {
      source  = "luml-ai/luml"
      version = "~> 0.1"
    }
  }
}

# The API key is best taken from LUML_API_KEY rather than written here.
provider "luml" {
  organization = "Acme" # or its ID; may be omitted when the key has one organization

  # Optional, shown with their defaults:
  request_timeout = "30s" # how long one HTTP request may take; any positive duration
  max_retries     = 4     # retries after a 429, 502, 503, 504 or a dropped connection; 0 to 20
}
