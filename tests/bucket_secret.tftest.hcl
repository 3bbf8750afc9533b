# luml_bucket_secret through its life: create with write-only credentials, read back by ID,
# by name and in the list; update in place; replace on a change of type; destroy (when the
# test ends).
#
# An earlier run's outputs reach the assertions through a variable (previous_id), and only
# from the run just before: OpenTofu accepts run.<name> only in variables, and sees the
# outputs of older runs as unknown.

variables {
  bucket_name = "tftest-models"
}

run "create_s3" {
  module {
    source = "./modules/bucket_secret"
  }

  variables {
    endpoint   = "https://minio.example.com:9000"
    region     = "eu-central-1"
    access_key = "AKIAIOSFODNN7EXAMPLE"
    secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  }

  assert {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", luml_bucket_secret.this.id))
    error_message = "The ID is not a UUID: ${luml_bucket_secret.this.id}."
  }

  assert {
    condition     = luml_bucket_secret.this.type == "s3"
    error_message = "type should default to s3, not ${luml_bucket_secret.this.type}."
  }

  assert {
    condition     = luml_bucket_secret.this.endpoint == "https://minio.example.com:9000"
    error_message = "The configured endpoint should stay in the state as written, not ${luml_bucket_secret.this.endpoint}."
  }

  assert {
    condition     = data.luml_bucket_secret.by_id.endpoint == "minio.example.com:9000"
    error_message = "LUML should store the endpoint without its scheme, not as ${data.luml_bucket_secret.by_id.endpoint}."
  }

  assert {
    condition     = luml_bucket_secret.this.access_key_wo == null && luml_bucket_secret.this.secret_key_wo == null
    error_message = "Write-only credentials must not be stored in the state."
  }

  assert {
    condition     = data.luml_bucket_secret.by_name.id == luml_bucket_secret.this.id
    error_message = "The lookup by bucket name found ${data.luml_bucket_secret.by_name.id}."
  }

  assert {
    condition     = contains(output.listed_ids, luml_bucket_secret.this.id)
    error_message = "luml_bucket_secrets (type s3) does not list the new secret."
  }

  assert {
    condition     = length(luml_bucket_secret.this.orbits) == 0
    error_message = "A new secret should have no orbits."
  }
}

run "update_in_place" {
  module {
    source = "./modules/bucket_secret"
  }

  variables {
    endpoint            = "https://minio.example.com:9000"
    region              = "eu-west-1"
    access_key          = "AKIAIOSFODNN7EXAMPLE"
    secret_key          = "a rotated secret key"
    credentials_version = 2
    previous_id         = run.create_s3.id
  }

  assert {
    condition     = luml_bucket_secret.this.id == var.previous_id
    error_message = "Changing the region and rotating the keys should update the secret in place, not replace it."
  }

  assert {
    condition     = data.luml_bucket_secret.by_id.region == "eu-west-1"
    error_message = "LUML has region ${data.luml_bucket_secret.by_id.region} after the update."
  }

  assert {
    condition     = luml_bucket_secret.this.updated_at != null
    error_message = "updated_at should be set after an update."
  }
}

run "replace_with_azure" {
  module {
    source = "./modules/bucket_secret"
  }

  variables {
    type              = "azure"
    connection_string = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.windows.net"
    previous_id       = run.update_in_place.id
  }

  assert {
    condition     = luml_bucket_secret.this.id != var.previous_id
    error_message = "Changing the type should replace the secret."
  }

  assert {
    condition     = data.luml_bucket_secret.by_name.type == "azure" && data.luml_bucket_secret.by_name.endpoint == null
    error_message = "The secret found by name should be the Azure one, without an endpoint."
  }

  assert {
    condition     = !contains(output.listed_ids, var.previous_id)
    error_message = "The replaced S3 secret should be gone."
  }
}
