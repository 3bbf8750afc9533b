# Presigned multipart-upload URLs for a file in the bucket of an existing bucket secret, found
# by its bucket name, as a module that uploads models would ask for them. It accepts S3
# secrets only, and says so in a postcondition rather than failing later at the upload.
terraform {
  required_providers {
    luml = {
      source = "luml-ai/luml"
    }
  }
}

variable "bucket_name" {
  type = string
}

variable "object_key" {
  type = string
}

variable "size" {
  type = number
}

variable "upload_id" {
  type = string
}

data "luml_bucket_secret" "models" {
  bucket_name = var.bucket_name

  lifecycle {
    postcondition {
      condition     = self.type == "s3"
      error_message = "The bucket secret of ${var.bucket_name} is of type ${self.type}; this module uploads to S3 buckets only."
    }
  }
}

# The data source, not the ephemeral resource, so that the test can inspect the parts.
data "luml_multipart_upload_urls" "model" {
  bucket_secret_id = data.luml_bucket_secret.models.id
  bucket_location  = var.object_key
  size             = var.size
  upload_id        = var.upload_id
}

locals {
  parts = data.luml_multipart_upload_urls.model.parts
}

output "parts_count" {
  value = data.luml_multipart_upload_urls.model.parts_count
}

output "bytes_covered" {
  value = sum([for p in local.parts : p.end_byte - p.start_byte + 1])
}

output "contiguous" {
  value = alltrue([for i, p in local.parts :
    p.part_number == i + 1 &&
    p.start_byte == (i == 0 ? 0 : local.parts[i - 1].end_byte + 1) &&
    p.end_byte >= p.start_byte
  ])
}
