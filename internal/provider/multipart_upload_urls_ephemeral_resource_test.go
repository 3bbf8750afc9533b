package provider

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// multipartEchoProviderFactories add the echo provider, which copies an ephemeral value into
// a test resource's state so that the test can look at it.
var multipartEchoProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"luml": testAccProtoV6ProviderFactories["luml"],
	"echo": echoprovider.NewProviderServer(),
}

var multipartEphemeralVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

// multipartTestSize makes three parts of 32 MiB, the last one short.
const multipartTestSize = 2*32*multipartMiB + multipartMiB + 12345

const multipartEndpointPath = "/v1/bucket-secrets/upload/multipart"

// presignedURLCheck accepts a URL carrying a SigV4 signature and the given query parameters.
// Its errors never show the URL.
func presignedURLCheck(method string, params url.Values) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		u, err := url.Parse(v)
		if err != nil {
			return errors.New("not a URL")
		}
		q := u.Query()
		if q.Get("X-Amz-Signature") == "" || q.Get("X-Amz-Expires") != "43200" {
			return errors.New("not a SigV4 URL valid for 12 hours")
		}
		for name := range params {
			if q.Get(name) != params.Get(name) {
				return fmt.Errorf("query parameter %s is not %q (for a %s)", name, params.Get(name), method)
			}
		}
		return nil
	})
}

// multipartPartsCheck expects the three parts of multipartTestSize bytes.
func multipartPartsCheck() knownvalue.Check {
	const partSize = 32 * multipartMiB
	return knownvalue.ListExact([]knownvalue.Check{
		uploadPartCheck(1, 0, partSize),
		uploadPartCheck(2, partSize, partSize),
		uploadPartCheck(3, 2*partSize, multipartTestSize-2*partSize),
	})
}

// uploadPartCheck expects the element of parts of this number, which starts at byte start and
// has size bytes.
func uploadPartCheck(number, start, size int64) knownvalue.Check {
	return knownvalue.ObjectExact(partRangeChecks(number, start, size))
}

// partRangeChecks are the checks of a part's number and byte range.
func partRangeChecks(number, start, size int64) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"part_number": knownvalue.Int64Exact(number),
		"start_byte":  knownvalue.Int64Exact(start),
		"end_byte":    knownvalue.Int64Exact(start + size - 1),
	}
}

// multipartPartURLsCheck expects the S3 URLs of the three parts, in part order.
func multipartPartURLsCheck(uploadID string) knownvalue.Check {
	checks := make([]knownvalue.Check, 3)
	for i := range checks {
		checks[i] = presignedURLCheck("part", url.Values{"partNumber": {fmt.Sprint(i + 1)}, "uploadId": {uploadID}})
	}
	return knownvalue.ListExact(checks)
}

func TestAccMultipartUploadURLsEphemeral_s3(t *testing.T) {
	env := newTestEnv(t)
	secret := insertMultipartSecret(t, env, "s3")
	// Any letter case is accepted, and kept as configured.
	secretID := strings.ToUpper(secret.ID)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   multipartEphemeralVersions,
		ProtoV6ProviderFactories: multipartEchoProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + fmt.Sprintf(`
ephemeral "luml_multipart_upload_urls" "test" {
  bucket_secret_id = %q
  bucket_location  = "models/model.luml"
  size             = %d
  upload_id        = "upload-1"
}

provider "echo" {
  data = ephemeral.luml_multipart_upload_urls.test
}

resource "echo" "test" {}
`, secretID, multipartTestSize),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"organization_id":  knownvalue.StringExact(env.Org.ID),
					"bucket_secret_id": knownvalue.StringExact(secretID),
					"bucket_location":  knownvalue.StringExact("models/model.luml"),
					"size":             knownvalue.Int64Exact(multipartTestSize),
					"upload_id":        knownvalue.StringExact("upload-1"),
					"type":             knownvalue.StringExact("s3"),
					"part_size":        knownvalue.Int64Exact(32 * multipartMiB),
					"parts_count":      knownvalue.Int64Exact(3),
					"parts":            multipartPartsCheck(),
					"part_urls":        multipartPartURLsCheck("upload-1"),
					"complete_url":     presignedURLCheck("completion", url.Values{"uploadId": {"upload-1"}}),
				})),
			},
		}},
	})
}

func TestAccMultipartUploadURLsEphemeral_azure(t *testing.T) {
	env := newTestEnv(t)
	secret := insertMultipartSecret(t, env, "azure")

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   multipartEphemeralVersions,
		ProtoV6ProviderFactories: multipartEchoProviderFactories,
		Steps: []resource.TestStep{{
			// Azure needs no upload_id, and answers with none.
			Config: env.providerConfig() + fmt.Sprintf(`
ephemeral "luml_multipart_upload_urls" "test" {
  bucket_secret_id = %q
  bucket_location  = "models/model.luml"
  size             = %d
}

provider "echo" {
  data = ephemeral.luml_multipart_upload_urls.test
}

resource "echo" "test" {}
`, secret.ID, multipartTestSize),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("type"), knownvalue.StringExact("azure")),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("upload_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("parts_count"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("part_urls").AtSliceIndex(0),
					knownvalue.StringFunc(func(v string) error {
						if !strings.Contains(v, "comp=block&blockid=YmxvY2stMDAwMDAwMDE=") {
							return errors.New("not the block URL of part 1")
						}
						return nil
					})),
			},
		}},
	})
}

// TestAccMultipartUploadURLsEphemeral_unknownAtPlan takes upload_id and size from a resource
// created in the same apply: validation accepts the unknown values, and Open runs at apply.
func TestAccMultipartUploadURLsEphemeral_unknownAtPlan(t *testing.T) {
	env := newTestEnv(t)
	secret := insertMultipartSecret(t, env, "s3")

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   multipartEphemeralVersions,
		ProtoV6ProviderFactories: multipartEchoProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "upload" {
  input = { upload_id = "upload-2", size = %d }
}

ephemeral "luml_multipart_upload_urls" "test" {
  bucket_secret_id = %q
  bucket_location  = "models/model.luml"
  size             = terraform_data.upload.output.size
  upload_id        = terraform_data.upload.output.upload_id
}

provider "echo" {
  data = ephemeral.luml_multipart_upload_urls.test
}

resource "echo" "test" {}
`, multipartTestSize, secret.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("upload_id"), knownvalue.StringExact("upload-2")),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("parts"), multipartPartsCheck()),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("part_urls"), multipartPartURLsCheck("upload-2")),
			},
		}},
	})
	if n := env.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n == 0 {
		t.Error("the ephemeral resource was never opened")
	}
}
