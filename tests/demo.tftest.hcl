# examples/demo, run as a user would run it: create a bucket secret, read it back by name,
# list the organization's secrets and open multipart-upload URLs (ephemeral) for a model
# file; plan again; destroy it all when the test ends.

run "apply" {
  module {
    source = "../examples/demo"
  }

  assert {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", output.bucket_secret_id))
    error_message = "bucket_secret_id is not a UUID: ${output.bucket_secret_id}."
  }

  assert {
    condition     = output.data_source_id == output.bucket_secret_id
    error_message = "The lookup by bucket name found ${output.data_source_id}, not ${output.bucket_secret_id}."
  }

  assert {
    condition     = output.endpoint_read_back == "s3.eu-central-1.amazonaws.com"
    error_message = "LUML should store the endpoint without its scheme, not as ${output.endpoint_read_back}."
  }

  assert {
    condition     = luml_bucket_secret.demo.endpoint == "https://s3.eu-central-1.amazonaws.com"
    error_message = "The configured endpoint should stay in the state as written, not ${luml_bucket_secret.demo.endpoint}."
  }

  assert {
    condition     = output.bucket_secret_count >= 1
    error_message = "luml_bucket_secrets should list the demo's secret."
  }
}

run "plan_again" {
  command = plan

  module {
    source = "../examples/demo"
  }

  variables {
    previous_id = run.apply.bucket_secret_id
  }

  assert {
    condition     = luml_bucket_secret.demo.id == var.previous_id
    error_message = "A second plan should keep the secret, not replace it."
  }

  assert {
    condition     = terraform_data.upload_plan.triggers_replace[0] == var.previous_id
    error_message = "A second plan should not replace the upload step."
  }
}
