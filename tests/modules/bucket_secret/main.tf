# A bucket secret, read back through the data sources, as a module wrapping the provider
# would manage it. The credentials go to write-only arguments: they never reach the plan or
# the state. (The variables are not ephemeral because `terraform test` 1.11 cannot pass
# ephemeral variables to a run's module; a write-only argument takes any value.)
terraform {
  required_providers {
    luml = {
      source = "luml-ai/luml"
    }
  }
}

variable "type" {
  type    = string
  default = "s3"
}

variable "bucket_name" {
  type = string
}

variable "endpoint" {
  type    = string
  default = null
}

variable "region" {
  type    = string
  default = null
}

variable "access_key" {
  type      = string
  default   = null
  sensitive = true
}

variable "secret_key" {
  type      = string
  default   = null
  sensitive = true
}

variable "connection_string" {
  type      = string
  default   = null
  sensitive = true
}

variable "credentials_version" {
  type    = number
  default = 1
}

resource "luml_bucket_secret" "this" {
  type        = var.type
  bucket_name = var.bucket_name
  endpoint    = var.endpoint
  region      = var.region

  access_key_wo          = var.access_key
  secret_key_wo          = var.secret_key
  connection_string_wo   = var.connection_string
  credentials_wo_version = var.credentials_version
}

# depends_on defers the reads until the secret is created or updated.
data "luml_bucket_secret" "by_id" {
  id = luml_bucket_secret.this.id

  depends_on = [luml_bucket_secret.this]
}

data "luml_bucket_secret" "by_name" {
  bucket_name = luml_bucket_secret.this.bucket_name

  depends_on = [luml_bucket_secret.this]
}

data "luml_bucket_secrets" "same_type" {
  type = luml_bucket_secret.this.type

  depends_on = [luml_bucket_secret.this]
}

output "id" {
  value = luml_bucket_secret.this.id
}

output "listed_ids" {
  value = [for s in data.luml_bucket_secrets.same_type.bucket_secrets : s.id]
}
