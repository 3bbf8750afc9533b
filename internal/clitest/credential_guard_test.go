package clitest_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const (
	guardAccessKey = "AKIAGUARDSTORED0001"
	guardSecretKey = "guard-stored-secret-Wq2"
)

// TestCredentialGuard brings a secret that holds keys under management the two ways the CLI
// offers, `plan -generate-config-out` and `import`, and then changes its region from a
// configuration without credentials: the plan is refused and LUML keeps its keys. A change
// of timeouts alone applies without a request.
func TestCredentialGuard(t *testing.T) {
	e := clitest.New(t)
	e.Redact(guardAccessKey, guardSecretKey)
	secret := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr(guardAccessKey), SecretKey: ptr(guardSecretKey),
	})
	keysKept := func(step string) {
		t.Helper()
		s, _ := e.Fake.Secret(secret.ID)
		if s.AccessKey == nil || *s.AccessKey != guardAccessKey || s.SecretKey == nil || *s.SecretKey != guardSecretKey {
			t.Fatalf("%s: the keys LUML held are gone", step)
		}
		if n := e.Fake.CountRequests(http.MethodPatch, "/v1/"); n != 0 {
			t.Fatalf("%s: %d PATCH requests were sent", step, n)
		}
	}
	refused := func(step string) {
		t.Helper()
		r := e.Run("plan", "-input=false", "-no-color")
		out := strings.Join(strings.Fields(r.Stdout+r.Stderr), " ")
		if r.ExitCode == 0 || !strings.Contains(out, "Update would erase the stored credentials") ||
			!strings.Contains(out, "no_credentials = true") {
			t.Errorf("%s: the plan was not refused by the credential guard:\n%s", step, e.Tail(r.Stdout+r.Stderr, 30))
		}
		keysKept(step)
	}

	// 1. The configuration Terraform generates for an import: every credential null.
	e.WriteConfig(fmt.Sprintf("import {\n  to = luml_bucket_secret.models\n  id = %q\n}\n", secret.ID))
	e.MustRun("plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
	generated := filepath.Join(e.Dir, "generated.tf")
	text, err := os.ReadFile(generated)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "access_key") {
		t.Fatalf("the generated configuration has no access_key:\n%s", text)
	}
	e.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	keysKept("import with generated configuration")
	e.CheckEmptyPlan()

	writeGenerated := func(from, to string) {
		t.Helper()
		changed := strings.Replace(string(text), from, to, 1)
		if changed == string(text) {
			t.Fatalf("no %q in the generated configuration:\n%s", from, text)
		}
		if err := os.WriteFile(generated, []byte(changed), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeGenerated(`"eu-central-1"`, `"eu-west-1"`)
	refused("region changed in the generated configuration")

	// timeouts are the provider's own: applied without any request.
	writeGenerated("\n}", "\n  timeouts {\n    update = \"20m\"\n  }\n}")
	e.Fake.ResetRequests()
	e.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	keysKept("timeouts changed")
	if n := e.Fake.CountRequests("", "/v1/organizations/"+e.Org.ID+"/bucket-secrets"); n != 1 {
		t.Errorf("a change of timeouts alone sent %d requests on the secret, want the refresh's 1", n)
	}

	// 2. `import` into a hand-written configuration without credentials.
	if err := os.Remove(generated); err != nil {
		t.Fatal(err)
	}
	e.MustRun("state", "rm", "luml_bucket_secret.models")
	config := `
resource "luml_bucket_secret" "models" {
  endpoint    = "https://s3.eu-central-1.amazonaws.com"
  bucket_name = "models"
  region      = %q
%s
}
`
	e.WriteConfig(fmt.Sprintf(config, "eu-central-1", ""))
	e.MustRun("import", "-input=false", "-no-color", "luml_bucket_secret.models", secret.ID)
	e.CheckEmptyPlan()
	e.WriteConfig(fmt.Sprintf(config, "eu-west-1", ""))
	refused("region changed after import")

	// The documented way on for a secret that has no credentials: the update sends none.
	e.WriteConfig(fmt.Sprintf(config, "eu-west-1", "  no_credentials = true"))
	e.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if s, _ := e.Fake.Secret(secret.ID); s.AccessKey != nil || s.Region == nil || *s.Region != "eu-west-1" {
		t.Errorf("no_credentials = true did not send the update without keys")
	}
	e.MustRun("destroy", "-auto-approve", "-input=false", "-no-color")
}

// ptr returns a pointer to v, for the optional fields of the client's specs.
func ptr[T any](v T) *T { return &v }
