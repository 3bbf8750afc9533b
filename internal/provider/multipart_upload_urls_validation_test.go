package provider

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// multipartConfigs write a configuration that uses the ephemeral resource or the data source
// with the given arguments.
var multipartConfigs = map[string]func(arguments string) string{
	"ephemeral": func(arguments string) string {
		return fmt.Sprintf(`
ephemeral "luml_multipart_upload_urls" "test" {
%s
}

provider "echo" {
  data = ephemeral.luml_multipart_upload_urls.test
}

resource "echo" "test" {}
`, arguments)
	},
	"data source": func(arguments string) string {
		return fmt.Sprintf(`
data "luml_multipart_upload_urls" "test" {
%s
}
`, arguments)
	},
}

// multipartUnknownSecretID is the ID of no secret.
const multipartUnknownSecretID = "0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41"

// multipartArguments renders the arguments of a valid configuration with some replaced by
// other HCL expressions; an empty expression leaves the argument out.
func multipartArguments(replaced map[string]string) string {
	expressions := map[string]string{
		"bucket_secret_id": fmt.Sprintf("%q", multipartUnknownSecretID),
		"bucket_location":  `"models/model.luml"`,
		"size":             "100",
		"upload_id":        `"upload-1"`,
	}
	maps.Copy(expressions, replaced)
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(expressions)) {
		if expressions[name] != "" {
			fmt.Fprintf(&b, "  %s = %s\n", name, expressions[name])
		}
	}
	return b.String()
}

// TestAccMultipartUploadURLs_invalidConfig checks the errors found before any request about
// bucket secrets.
func TestAccMultipartUploadURLs_invalidConfig(t *testing.T) {
	cases := map[string]struct {
		replaced map[string]string
		want     string
	}{
		"size zero": {
			map[string]string{"size": "0"},
			`size value must be between 1 and 5497558138880, got: 0`,
		},
		"size above 5 TiB": {
			map[string]string{"size": "5497558138881"},
			`size value must be between 1 and 5497558138880, got: 5497558138881`,
		},
		"not a UUID": {
			map[string]string{"bucket_secret_id": `"models"`},
			`bucket_secret_id must be a UUID`,
		},
		"empty location": {
			map[string]string{"bucket_location": `""`},
			`bucket_location string length must be at least 1`,
		},
		"empty upload_id": {
			map[string]string{"upload_id": `""`},
			`upload_id string length must be at least 1`,
		},
	}
	for kind, config := range multipartConfigs {
		for name, c := range cases {
			t.Run(kind+"/"+name, func(t *testing.T) {
				env := newTestEnv(t)
				resource.Test(t, resource.TestCase{
					TerraformVersionChecks:   multipartVersionChecks(kind),
					ProtoV6ProviderFactories: multipartEchoProviderFactories,
					Steps: []resource.TestStep{{
						Config:      env.providerConfig() + config(multipartArguments(c.replaced)),
						ExpectError: multipartErrorText(c.want),
					}},
				})
				for _, prefix := range []string{"/v1/bucket-secrets", "/v1/organizations/" + env.Org.ID + "/bucket-secrets"} {
					for _, method := range []string{http.MethodGet, http.MethodPost} {
						if n := env.Fake.CountRequests(method, prefix); n != 0 {
							t.Errorf("%d %s %s requests sent, want none", n, method, prefix)
						}
					}
				}
			})
		}
	}
}

// TestAccMultipartUploadURLs_refusedBeforeMultipartRequest checks the errors found by reading
// the bucket secret: the multipart endpoint is never asked.
func TestAccMultipartUploadURLs_refusedBeforeMultipartRequest(t *testing.T) {
	for kind, config := range multipartConfigs {
		t.Run(kind, func(t *testing.T) {
			env := newTestEnv(t)
			secret := insertMultipartSecret(t, env, "s3")
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   multipartVersionChecks(kind),
				ProtoV6ProviderFactories: multipartEchoProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: env.providerConfig() + config(multipartArguments(map[string]string{
							"bucket_secret_id": fmt.Sprintf("%q", secret.ID), "upload_id": "",
						})),
						ExpectError: multipartErrorText(`Missing upload_id for an S3 bucket.*aws s3api create-multipart-upload`),
					},
					{
						Config:      env.providerConfig() + config(multipartArguments(nil)),
						ExpectError: multipartErrorText(`There is no bucket secret with ID ` + multipartUnknownSecretID),
					},
				},
			})
			if n := env.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n != 0 {
				t.Errorf("%d multipart requests sent, want none", n)
			}
		})
	}
}

func multipartVersionChecks(kind string) []tfversion.TerraformVersionCheck {
	if kind == "ephemeral" {
		return multipartEphemeralVersions
	}
	return nil
}

// multipartErrorText matches text in Terraform's output, which wraps long lines at any space.
func multipartErrorText(text string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(text, " ", `\s+`))
}

// TestAccMultipartUploadURLs_otherOrganization asks for the URLs of a secret managed in an
// organization other than the provider's, named by organization_id.
func TestAccMultipartUploadURLs_otherOrganization(t *testing.T) {
	for kind, config := range multipartConfigs {
		t.Run(kind, func(t *testing.T) {
			env := newTestEnv(t)
			other := env.joinOrganization("Other", lumlfake.RoleOwner)
			secret := insertMultipartSecretIn(env, other.ID, "s3")
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   multipartVersionChecks(kind),
				ProtoV6ProviderFactories: multipartEchoProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.providerConfig() + config(multipartArguments(map[string]string{
						"organization_id":  fmt.Sprintf("%q", other.ID),
						"bucket_secret_id": fmt.Sprintf("%q", secret.ID),
					})),
				}},
			})
			if n := env.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n == 0 {
				t.Error("no multipart request sent")
			}
		})
	}
}
