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

# Check the bucket after every create and update of the secret: the apply fails, naming the
# step, if LUML cannot upload to it, read a byte range back or delete.
resource "luml_bucket_secret" "models" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "acme-models"
  region      = "eu-central-1"

  access_key_wo          = var.models_access_key
  secret_key_wo          = var.models_secret_key
  credentials_wo_version = 1

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.luml_bucket_secret_check.models]
    }
  }
}

action "luml_bucket_secret_check" "models" {
  config {
    bucket_secret_id = luml_bucket_secret.models.id
  }
}

# Any time, for example on a schedule or after an import:
#   terraform apply -invoke=action.luml_bucket_secret_check.models
# Even with -invoke, Terraform asks for every variable without a default: give the credential
# variables as for an apply (e.g. TF_VAR_models_access_key and TF_VAR_models_secret_key), though
# the check does not use them, or check from a configuration that needs none (below).
