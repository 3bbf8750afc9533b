# Every S3 bucket secret of the provider's organization.
data "luml_bucket_secrets" "s3" {
  type = "s3"
}

output "s3_buckets" {
  value = { for s in data.luml_bucket_secrets.s3.bucket_secrets : s.id => "${s.endpoint}/${s.bucket_name}" }
}

# The list in a configuration that also creates a secret. Terraform reads a data source while
# planning, before the apply creates the secret: without depends_on, the first apply lists the
# secrets that existed before it, and the next plan shows the output changing. depends_on
# makes Terraform read the list during the apply, once the secret exists.
resource "luml_bucket_secret" "models" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "acme-models"
  region      = "eu-central-1"
  # access_key_wo, secret_key_wo...: see the luml_bucket_secret resource
}

data "luml_bucket_secrets" "all" {
  depends_on = [luml_bucket_secret.models]
}

output "bucket_names" {
  value = sort([for s in data.luml_bucket_secrets.all.bucket_secrets : s.bucket_name])
}
