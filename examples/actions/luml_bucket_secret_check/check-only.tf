# A configuration that only checks a secret, here the one above: it finds the secret by its
# bucket name and needs no credentials, since the check uses those LUML stores. Run it with
#   terraform apply -invoke=action.luml_bucket_secret_check.acme_models
data "luml_bucket_secret" "acme_models" {
  bucket_name = "acme-models"
}

action "luml_bucket_secret_check" "acme_models" {
  config {
    bucket_secret_id = data.luml_bucket_secret.acme_models.id
  }
}
