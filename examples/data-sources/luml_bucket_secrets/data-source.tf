data "luml_bucket_secrets" "s3" {
  type = "s3"
}

output "s3_buckets" {
  value = { for s in data.luml_bucket_secrets.s3.bucket_secrets : s.id => "${s.endpoint}/${s.bucket_name}" }
}
