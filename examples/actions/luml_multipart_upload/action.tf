variable "model_file" {
  type        = string
  description = "Path of the model file to upload."
}

variable "upload_id" {
  type        = string
  description = "UploadId of the multipart upload started on the bucket (CreateMultipartUpload)."
}

data "luml_bucket_secret" "models" {
  bucket_name = "acme-models"
}

# Upload the file exactly when it changes: the hash is the input of a terraform_data, and the
# action runs after it is created or updated. An apply with an unchanged file uploads nothing.
resource "terraform_data" "model" {
  input = filesha256(var.model_file)

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.luml_multipart_upload.model]
    }
  }
}

action "luml_multipart_upload" "model" {
  config {
    bucket_secret_id = data.luml_bucket_secret.models.id
    bucket_location  = "models/classifier.luml"
    source           = var.model_file
    upload_id        = var.upload_id # S3 only; leave it out for Azure
    concurrency      = 8
  }
}

# Or at any time, without a change:
#   terraform apply -invoke=action.luml_multipart_upload.model
