# The demo run by `make demo`: creates a bucket secret, reads it back by name,
# lists the organization's secrets, opens multipart-upload URLs for a model file,
# then (from the script) destroys it all.
#
# The provider takes its settings from LUML_API_KEY, LUML_BASE_URL and
# LUML_ORGANIZATION, which `make demo` points at the built-in LUML emulator.

terraform {
  required_providers {
    luml = {
      source  = "luml-ai/luml"
      version = "~> 0.1"
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

# Presigned URLs for uploading a 200 MiB model in parts. Ephemeral: the URLs are never
# stored in the plan or state. The upload ID would come from starting the multipart
# upload on the bucket; the emulator signs URLs without contacting it.
ephemeral "luml_multipart_upload_urls" "model" {
  bucket_secret_id = luml_bucket_secret.demo.id
  bucket_location  = "models/churn/model.luml"
  size             = 200 * 1024 * 1024
  upload_id        = "demo-upload-id"
}

locals {
  upload = ephemeral.luml_multipart_upload_urls.model
  # Part metadata is not sensitive: for expressions over part numbers and byte ranges need no
  # nonsensitive(). The URLs are in part_urls, in the same order, sensitive as a whole.
  last_part = local.upload.parts[length(local.upload.parts) - 1]
}

# Ephemeral values may be used in provisioners, where a real upload would PUT each part's
# bytes to its URL in part_urls. Terraform hides the output of a command built from ephemeral
# values, so the demo writes its summary to a file that `make demo` prints.
resource "terraform_data" "upload_plan" {
  triggers_replace = [luml_bucket_secret.demo.id]

  provisioner "local-exec" {
    command = "echo 'multipart upload of ${local.upload.size} bytes (${local.upload.type}): ${local.upload.parts_count} parts of ${local.upload.part_size} bytes, the last one bytes ${local.last_part.start_byte}-${local.last_part.end_byte}; ${length(local.upload.part_urls)} part URLs' > multipart-upload.txt"
  }
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
