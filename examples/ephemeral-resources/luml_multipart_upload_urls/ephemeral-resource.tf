# Upload a model file in parts to the S3 bucket of an existing LUML bucket secret.
#
# Start the multipart upload on the bucket first and pass its UploadId, for example:
#   aws s3api create-multipart-upload --bucket models --key models/model.luml \
#     --query UploadId --output text
variable "upload_id" {
  type = string
}

variable "file" {
  type    = string
  default = "model.luml"
}

# Terraform has no function for a file's size: pass it, e.g. -var "file_size=$(stat -c %s model.luml)".
variable "file_size" {
  type = number
}

# The bucket secret of the bucket, found by its bucket name.
data "luml_bucket_secret" "models" {
  bucket_name = "models"
}

ephemeral "luml_multipart_upload_urls" "model" {
  bucket_secret_id = data.luml_bucket_secret.models.id
  bucket_location  = "models/model.luml"
  size             = var.file_size
  upload_id        = var.upload_id
}

locals {
  upload = ephemeral.luml_multipart_upload_urls.model
  # Each part's number and byte range with its URL: part_urls[i] belongs to parts[i].
  parts_with_urls = [for i, p in local.upload.parts : merge(p, { url = local.upload.part_urls[i] })]
}

# Ephemeral values may be used in provisioners: the URLs reach the command through its
# environment and never the plan or the state. The script PUTs each byte range to its URL,
# keeps the ETags and POSTs the CompleteMultipartUpload XML to complete_url. Linux limits one
# environment variable to 128 KiB: PARTS holds at most 222 parts here (files up to 222 GiB), and
# a larger file fails with "argument list too long". On Terraform >= 1.14 the
# luml_multipart_upload action uploads files of any size without this script.
resource "terraform_data" "upload" {
  triggers_replace = [var.upload_id]

  provisioner "local-exec" {
    interpreter = ["bash", "-c"]
    environment = {
      FILE         = var.file
      PARTS        = jsonencode(local.parts_with_urls)
      COMPLETE_URL = local.upload.complete_url
    }
    command = <<-EOT
      set -euo pipefail
      part=$(mktemp)
      trap 'rm -f "$part"' EXIT
      xml='<CompleteMultipartUpload>'
      while read -r number start size url; do
        head -c "$size" < <(tail -c "+$((start + 1))" "$FILE") >"$part"
        etag=$(curl -sSf -T "$part" -D - -o /dev/null "$url" |
          tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')
        [ -n "$etag" ] || { echo "part $number: no ETag in the answer" >&2; exit 1; }
        xml+="<Part><PartNumber>$number</PartNumber><ETag>$etag</ETag></Part>"
      done < <(jq -r '.[] | "\(.part_number) \(.start_byte) \(.end_byte - .start_byte + 1) \(.url)"' <<<"$PARTS")
      # S3 may answer 200 and report a failed completion in the body.
      answer=$(curl -sSf -X POST --data-binary "$xml</CompleteMultipartUpload>" "$COMPLETE_URL")
      if grep -q '<Error>' <<<"$answer"; then echo "completing the upload failed" >&2; exit 1; fi
    EOT
  }
}
