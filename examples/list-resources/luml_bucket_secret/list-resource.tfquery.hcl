# secrets.tfquery.hcl: every bucket secret of the provider's organization, with the
# attributes needed to write their configuration. One list block per storage type: the two
# cannot match the same secret, so each secret gets exactly one import block.
list "luml_bucket_secret" "s3" {
  provider         = luml
  include_resource = true

  config {
    type = "s3"
  }
}

list "luml_bucket_secret" "azure" {
  provider         = luml
  include_resource = true

  config {
    type = "azure"
  }
}
