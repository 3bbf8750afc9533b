package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Actions and list resources came with Terraform 1.14. OpenTofu has neither yet; its 1.12
// is skipped by the same check (tfversion compares OpenTofu's own version numbers).
var terraform114 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// checkedSecretConfig manages a secret on the S3 server whose check runs after every create
// and update.
func checkedSecretConfig(env *testEnv, endpoint, extra string) string {
	return checkedResourceConfig(env, fmt.Sprintf(`
  endpoint    = %q
  bucket_name = %q
  region      = %q
  secure      = false
  access_key  = %q
  secret_key  = %q
  %s
`, endpoint, e2eBucket, versityGWRegion, versityGWAccessKey, versityGWSecretKey, extra))
}

// checkedResourceConfig manages luml_bucket_secret.checked with these attributes and checks it
// after every create and update.
func checkedResourceConfig(env *testEnv, attributes string) string {
	return env.providerConfig() + `
resource "luml_bucket_secret" "checked" {` + attributes + `
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.luml_bucket_secret_check.checked]
    }
  }
}

action "luml_bucket_secret_check" "checked" {
  config {
    bucket_secret_id = luml_bucket_secret.checked.id
  }
}
`
}

// checkOnCreateConfig makes resource terraform_data.<name>_check run action
// luml_bucket_secret_check.<name> on the secret of this ID, which Terraform does not manage.
func checkOnCreateConfig(name, secretID string) string {
	return fmt.Sprintf(`
resource "terraform_data" "%[1]s_check" {
  input = %[2]q

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.luml_bucket_secret_check.%[1]s]
    }
  }
}

action "luml_bucket_secret_check" "%[1]s" {
  config {
    bucket_secret_id = %[2]q
  }
}
`, name, secretID)
}

// onlyStaleSecretLeft fails unless the stale secret of this ID, which the test inserted, is the
// only one left in the organization.
func onlyStaleSecretLeft(env *testEnv, id string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := env.Fake.Secrets(env.Org.ID); len(left) != 1 || left[0].ID != id {
			return fmt.Errorf("%d bucket secrets left on the server after destroy, want only the stale one", len(left))
		}
		return nil
	}
}

// The check runs against a real S3 server, which verifies the signatures of the URLs LUML
// signed with the stored keys: the right key passes, a wrong one fails at the upload.
func TestAccBucketSecretCheckAction(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	s3 := startS3(t)
	endpoint := s3.EndpointURL().Host
	env := newTestEnv(t)
	// Saved with a wrong secret key, as after a rotation that LUML never heard of.
	stale := insertS3Secret(env, s3, "stale", "not-the-secret-key")
	missingID := uuid.NewString()
	// checksRun counts the checks of secrets other than the stale one.
	checksRun := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			n := 0
			for _, r := range env.Fake.Requests() {
				if r.Method == "POST" && strings.HasSuffix(r.Path, "/urls") && !strings.Contains(r.Path, stale.ID) {
					n++
				}
			}
			if n != want {
				return fmt.Errorf("%d connection checks ran, want %d", n, want)
			}
			return nil
		}
	}

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   terraform114,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             onlyStaleSecretLeft(env, stale.ID),
		Steps: []resource.TestStep{
			{
				Config: checkedSecretConfig(env, endpoint, ""),
				Check:  checksRun(1),
			},
			{
				Config: checkedSecretConfig(env, endpoint, "cert_check = false"),
				Check:  checksRun(2),
			},
			{
				// Any resource can trigger a check, here of a secret Terraform does not manage.
				Config: checkedSecretConfig(env, endpoint, "cert_check = false") + checkOnCreateConfig("stale", stale.ID),
				ExpectError: regexp.MustCompile(`(?s)Bucket connection check failed.*` + stale.ID +
					`.*stale \(` + regexp.QuoteMeta(endpoint) + `\).*failed at step\s+"upload".*answered\s+403\s+Forbidden:\s+SignatureDoesNotMatch` +
					`.*secret_key\s+\(or\s+secret_key_wo\)\s+is\s+not.*apply the\s+secret\s+again`),
			},
			{
				Config:      checkedSecretConfig(env, endpoint, "cert_check = false") + checkOnCreateConfig("missing", missingID),
				ExpectError: regexp.MustCompile(`(?s)Bucket secret not found.*has no bucket secret\s+` + missingID),
			},
		},
	})
}
