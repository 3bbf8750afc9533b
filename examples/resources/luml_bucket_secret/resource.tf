# An S3 bucket, with credentials that never reach the plan or state (Terraform >= 1.11).
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

# A MinIO bucket over plain HTTP, with credentials kept (encrypted at rest) in the state.
resource "luml_bucket_secret" "minio" {
  endpoint    = "minio.internal.example.com:9000"
  bucket_name = "models"
  region      = "us-east-1"
  secure      = false
  access_key  = "minio-access-key"
  secret_key  = "minio-secret-key"
}

# An Azure Blob Storage container.
variable "azure_connection_string" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "luml_bucket_secret" "azure" {
  type                   = "azure"
  bucket_name            = "models" # the container
  connection_string_wo   = var.azure_connection_string
  credentials_wo_version = 1
}

# A public bucket, imported from LUML: it has no credentials. The provider never saw what
# LUML holds for an imported secret, so it refuses updates that send no credentials until
# the configuration gives some or says, as here, that there are none.
resource "luml_bucket_secret" "public" {
  endpoint       = "s3.eu-central-1.amazonaws.com"
  bucket_name    = "acme-public-models"
  region         = "eu-central-1"
  no_credentials = true
}
