# provider::luml::multipart_parts, through its documented example: no API call, so the same
# figures under every CLI that has provider functions (Terraform 1.8, OpenTofu 1.7 and later).

run "three_gib_model" {
  command = plan

  module {
    source = "../examples/functions/multipart_parts"
  }

  assert {
    condition     = output.parts_count == 48 && output.part_size == 64 * 1024 * 1024
    error_message = "A 3 GiB file is not 48 parts of 64 MiB."
  }

  assert {
    condition     = output.ranges[47] == "48: 3154116608-3221225471"
    error_message = "The last part does not end at the file's last byte."
  }
}
