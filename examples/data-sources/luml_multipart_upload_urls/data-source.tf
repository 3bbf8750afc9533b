# For Terraform < 1.10 and OpenTofu < 1.11, which have no ephemeral resources. The URLs are
# stored in the state (anyone who can read it can write to the bucket for 12 hours), and new
# ones are signed at every plan. Prefer the ephemeral resource where you can.
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

data "luml_multipart_upload_urls" "model" {
  bucket_secret_id = luml_bucket_secret.models.id
  bucket_location  = "models/model.luml"
  size             = filesize(var.file)
  upload_id        = var.upload_id
}

# The script PUTs each byte range to its URL, keeps the ETags and POSTs the
# CompleteMultipartUpload XML to complete_url.
resource "terraform_data" "upload" {
  triggers_replace = [var.upload_id, filesha256(var.file)]

  provisioner "local-exec" {
    interpreter = ["bash", "-c"]
    environment = {
      FILE         = var.file
      PARTS        = jsonencode(data.luml_multipart_upload_urls.model.parts)
      COMPLETE_URL = data.luml_multipart_upload_urls.model.complete_url
    }
    command = <<-EOT
      set -euo pipefail
      xml='<CompleteMultipartUpload>'
      while read -r number start size url; do
        etag=$(tail -c "+$((start + 1))" "$FILE" | head -c "$size" |
          curl -sSf -X PUT --data-binary @- -D - -o /dev/null "$url" |
          tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')
        xml+="<Part><PartNumber>$number</PartNumber><ETag>$etag</ETag></Part>"
      done < <(jq -r '.[] | "\(.part_number) \(.start_byte) \(.part_size) \(.url)"' <<<"$PARTS")
      curl -sSf -X POST --data-binary "$xml</CompleteMultipartUpload>" "$COMPLETE_URL" >/dev/null
    EOT
  }
}
