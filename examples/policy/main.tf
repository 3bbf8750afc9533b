# A bucket secret that passes the rules in luml.rego: write-only credentials, which never
# reach the plan or the state, and a connection check before every create and update.
terraform {
  required_version = ">= 1.11" # write-only attributes
  required_providers {
    luml = {
      source  = "luml-ai/luml"
      version = "~> 0.1"
    }
  }
}

provider "luml" {} # LUML_API_KEY, and LUML_ORGANIZATION if the key has several

variable "models_access_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "models_secret_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "luml_bucket_secret" "models" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "acme-models"
  region      = "eu-central-1"

  access_key_wo          = var.models_access_key
  secret_key_wo          = var.models_secret_key
  credentials_wo_version = 1 # bump after rotating the keys

  verify_connection = true
}
