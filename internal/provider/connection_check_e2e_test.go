package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// A failed verify_connection check against a real S3 server names the storage's error code
// and points at the attribute that causes it, the way a user would fix it: one setting
// differs from a working configuration in each step.
func TestAccBucketSecret_verifyConnectionNamesCause(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	s3 := startS3(t)
	endpoint := s3.EndpointURL().Host
	env := newTestEnv(t)
	closed := freeLoopbackAddress(t) // nothing listens there
	config := func(bucket, region, accessKey, secretKey string) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "checked" {
  type              = "s3"
  endpoint          = %q
  bucket_name       = %q
  region            = %q
  secure            = false
  access_key        = %q
  secret_key        = %q
  verify_connection = true
}
`, endpoint, bucket, region, accessKey, secretKey)
	}
	// The CLI wraps the detail's lines: words are matched across any whitespace.
	words := func(parts ...string) *regexp.Regexp {
		re := "(?s)"
		for i, p := range parts {
			if i > 0 {
				re += ".*"
			}
			re += regexp.MustCompile(`\s+`).ReplaceAllString(regexp.QuoteMeta(p), `\s+`)
		}
		return regexp.MustCompile(re)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				// The diagnostic is attached to region: the CLI quotes its line.
				Config: config(e2eBucket, "eu-central-1", versityGWAccessKey, versityGWSecretKey),
				ExpectError: words("Bucket connection check failed", `region = "eu-central-1"`,
					"answered 400 Bad Request: AuthorizationQueryParametersError", "set region to the bucket's region", "Nothing was saved"),
			},
			{
				Config: config(e2eBucket, versityGWRegion, versityGWAccessKey, "not-the-secret-key"),
				ExpectError: words("Bucket connection check failed", "verify_connection = true",
					"answered 403 Forbidden: SignatureDoesNotMatch", "secret_key (or secret_key_wo) is not the secret key of access_key"),
			},
			{
				Config: config(e2eBucket, versityGWRegion, "AKIAUNKNOWN", versityGWSecretKey),
				ExpectError: words("Bucket connection check failed", "No user exists with the provided access key ID",
					"check access_key (or access_key_wo)"),
			},
			{
				Config: strings.Replace(config(e2eBucket, versityGWRegion, versityGWAccessKey, versityGWSecretKey),
					endpoint, closed, 1),
				ExpectError: words("Bucket connection check failed", fmt.Sprintf("endpoint = %q", closed),
					"PUT to "+closed+" failed: could not connect to the server", "could not reach the endpoint"),
			},
			{
				Config: config("no-such-bucket", versityGWRegion, versityGWAccessKey, versityGWSecretKey),
				ExpectError: words("Bucket connection check failed", `bucket_name = "no-such-bucket"`,
					"answered 404 Not Found: NoSuchBucket", "check bucket_name"),
			},
		},
	})
}

// The same against Azurite: a container that does not exist is ContainerNotFound, attached to
// bucket_name.
func TestAccAzureBucketSecret_verifyConnectionNamesContainer(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	az := startAzurite(t, azureE2EContainer)
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkNoSecrets,
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "azure" {
  type              = "azure"
  connection_string = %q
  bucket_name       = "no-such-container"
  verify_connection = true
}
`, az.connectionString()),
			ExpectError: regexp.MustCompile(`(?s)Bucket connection check failed.*bucket_name\s+=\s+"no-such-container".*` +
				`answered\s+404\s+Not\s+Found:\s+ContainerNotFound.*no\s+container\s+named\s+bucket_name`),
		}},
	})
}
