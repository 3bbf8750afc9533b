# The demo run by `make demo`: creates a bucket secret, reads it back by name,
# lists the organization's secrets, then (from the script) destroys it.
#
# The provider takes its settings from LUML_API_KEY, LUML_BASE_URL and
# LUML_ORGANIZATION, which `make demo` points at the built-in LUML emulator.

terraform {
  required_providers {
    luml = {
      source = "luml-ai/luml"
    }
  }
}

provider "luml" {}

variable "access_key" {
  description = "S3 access key ID stored in the bucket secret."
  type        = string
  default     = "AKIAIOSFODNN7EXAMPLE"
  sensitive   = true
}

variable "secret_key" {
  description = "S3 secret access key stored in the bucket secret."
  type        = string
  default     = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  sensitive   = true
}

resource "luml_bucket_secret" "demo" {
  type        = "s3"
  endpoint    = "https://s3.eu-central-1.amazonaws.com"
  bucket_name = "demo-models"
  region      = "eu-central-1"
  access_key  = var.access_key
  secret_key  = var.secret_key
}

# Read back by name. depends_on defers the read until the secret exists.
data "luml_bucket_secret" "by_name" {
  bucket_name = luml_bucket_secret.demo.bucket_name

  depends_on = [luml_bucket_secret.demo]
}

data "luml_bucket_secrets" "all" {
  depends_on = [luml_bucket_secret.demo]
}

output "bucket_secret_id" {
  description = "ID of the created bucket secret."
  value       = luml_bucket_secret.demo.id
}

output "endpoint_read_back" {
  description = "The endpoint as the API stores it (without the https:// scheme)."
  value       = data.luml_bucket_secret.by_name.endpoint
}

output "bucket_secret_count" {
  description = "Number of bucket secrets in the organization."
  value       = length(data.luml_bucket_secrets.all.bucket_secrets)
}

output "data_source_id" {
  description = "ID found by the bucket_name lookup; equals bucket_secret_id."
  value       = data.luml_bucket_secret.by_name.id
}
