package provider

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccMultipartUploadURLsDataSource(t *testing.T) {
	env := newTestEnv(t)
	secret := insertMultipartSecret(t, env, "s3")
	const addr = "data.luml_multipart_upload_urls.test"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.providerConfig() + fmt.Sprintf(`
data "luml_multipart_upload_urls" "test" {
  bucket_secret_id = %q
  bucket_location  = "models/model.luml"
  size             = %d
  upload_id        = "upload-1"
}
`, secret.ID, multipartTestSize),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("type"), knownvalue.StringExact("s3")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("upload_id"), knownvalue.StringExact("upload-1")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("part_size"), knownvalue.Int64Exact(32*multipartMiB)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("parts_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("organization_id"), knownvalue.StringExact(env.Org.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("parts"), multipartPartsCheck()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("part_urls"), multipartPartURLsCheck("upload-1")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("complete_url"),
						presignedURLCheck("completion", url.Values{"uploadId": {"upload-1"}})),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("complete_url")),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("part_urls")),
				},
			},
			{
				// upload_id and size unknown at plan: validation accepts them, the read
				// happens at apply.
				Config: env.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "upload" {
  input = { upload_id = "upload-2", size = %d }
}

data "luml_multipart_upload_urls" "test" {
  bucket_secret_id = %q
  bucket_location  = "models/model.luml"
  size             = terraform_data.upload.output.size
  upload_id        = terraform_data.upload.output.upload_id
}
`, multipartTestSize, secret.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("upload_id"), knownvalue.StringExact("upload-2")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("parts"), multipartPartsCheck()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("part_urls"), multipartPartURLsCheck("upload-2")),
				},
			},
		},
	})
}
