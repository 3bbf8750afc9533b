# By exact bucket name (an error if several secrets share it).
data "luml_bucket_secret" "models" {
  bucket_name = "acme-models"
}

# By ID.
data "luml_bucket_secret" "by_id" {
  id = "0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41"
}

output "models_orbits" {
  value = [for o in data.luml_bucket_secret.models.orbits : o.name]
}
