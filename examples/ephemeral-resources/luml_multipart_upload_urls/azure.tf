# Upload a model file in parts to the Azure container of an existing LUML bucket secret.
# Azure needs no upload to be started and no upload_id: each part URL stores one block (Put
# Block), and a PUT of the block list to complete_url commits the blocks as the blob.
variable "file" {
  type    = string
  default = "model.luml"
}

# Terraform has no function for a file's size: pass it, e.g. -var "file_size=$(stat -c %s model.luml)".
variable "file_size" {
  type = number
}

# The bucket secret of the container, found by its container name.
data "luml_bucket_secret" "models" {
  bucket_name = "models"
}

ephemeral "luml_multipart_upload_urls" "model" {
  bucket_secret_id = data.luml_bucket_secret.models.id
  bucket_location  = "models/model.luml"
  size             = var.file_size
}

locals {
  upload = ephemeral.luml_multipart_upload_urls.model
  # Each part's number and byte range with its URL: part_urls[i] belongs to parts[i].
  parts_with_urls = [for i, p in local.upload.parts : merge(p, { url = local.upload.part_urls[i] })]
}

# The script PUTs each byte range to its block URL, then the block list to complete_url. The
# block IDs are those of the part URLs: base64 of "block-" and the part number in 8 digits.
resource "terraform_data" "upload" {
  triggers_replace = [var.file_size]

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
      blocks=''
      while read -r number start size url; do
        head -c "$size" < <(tail -c "+$((start + 1))" "$FILE") >"$part"
        curl -sSf -T "$part" -o /dev/null "$url"
        blocks+="<Latest>$(printf 'block-%08d' "$number" | base64)</Latest>"
      done < <(jq -r '.[] | "\(.part_number) \(.start_byte) \(.end_byte - .start_byte + 1) \(.url)"' <<<"$PARTS")
      curl -sSf -X PUT -H 'Content-Type: application/xml' -o /dev/null --data-binary \
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>$blocks</BlockList>" "$COMPLETE_URL"
    EOT
  }
}
