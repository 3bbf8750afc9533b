# luml_multipart_upload_urls (data source) for the bucket of a secret created by the first
# run; then the postcondition of tests/modules/upload_urls refusing an Azure secret.

variables {
  bucket_name = "tftest-uploads"
}

run "s3_secret" {
  module {
    source = "./modules/bucket_secret"
  }

  variables {
    endpoint   = "s3.eu-central-1.amazonaws.com"
    region     = "eu-central-1"
    access_key = "AKIAIOSFODNN7EXAMPLE"
    secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  }
}

run "upload_urls" {
  command = plan

  module {
    source = "./modules/upload_urls"
  }

  variables {
    object_key = "models/churn/model.luml"
    size       = 200 * 1024 * 1024 + 1
    upload_id  = "tftest-upload-id"
  }

  assert {
    condition     = data.luml_multipart_upload_urls.model.type == "s3"
    error_message = "The URLs should be for an S3 bucket."
  }

  assert {
    condition     = output.parts_count > 1 && length(data.luml_multipart_upload_urls.model.parts) == output.parts_count
    error_message = "A 200 MiB file should be split into several parts, listed in parts."
  }

  assert {
    condition     = output.contiguous && output.bytes_covered == 200 * 1024 * 1024 + 1
    error_message = "The parts should cover the file exactly once, in order."
  }

  assert {
    condition     = startswith(data.luml_multipart_upload_urls.model.complete_url, "https://")
    error_message = "An S3 upload should come with a URL that completes it."
  }

  assert {
    condition     = length(data.luml_multipart_upload_urls.model.part_urls) == output.parts_count
    error_message = "part_urls should hold one URL per part."
  }

  assert {
    condition = alltrue([for i, p in data.luml_multipart_upload_urls.model.parts :
      strcontains(data.luml_multipart_upload_urls.model.part_urls[i], "partNumber=${p.part_number}&")
    ])
    error_message = "part_urls[i] should be the URL of parts[i]."
  }
}

run "azure_secret" {
  module {
    source = "./modules/bucket_secret"
  }

  variables {
    type              = "azure"
    connection_string = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.windows.net"
  }
}

run "upload_urls_refuse_azure" {
  command = plan

  module {
    source = "./modules/upload_urls"
  }

  variables {
    object_key = "models/churn/model.luml"
    size       = 1024
    upload_id  = "tftest-upload-id"
  }

  expect_failures = [data.luml_bucket_secret.models]
}
