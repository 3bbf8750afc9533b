# secrets.tfquery.hcl: every bucket secret of the provider's organization, with the
# attributes needed to write their configuration.
list "luml_bucket_secret" "all" {
  provider         = luml
  include_resource = true
}

# Only the S3 secrets of one bucket.
list "luml_bucket_secret" "models" {
  provider = luml

  config {
    type        = "s3"
    bucket_name = "acme-models"
  }
}
