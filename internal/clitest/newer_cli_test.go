package clitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// newerFeature says which CLI a feature needs, for the tests that skip without it.
type newerFeature struct {
	name      string
	terraform string // lowest Terraform version
	tofu      string // lowest OpenTofu version; "" when OpenTofu has no such feature
}

var (
	actionsFeature       = newerFeature{name: "actions", terraform: "1.14.0"}
	listResourcesFeature = newerFeature{name: "list resources (terraform query)", terraform: "1.14.0"}
)

// supports reports whether the CLI under test has the feature, and its name and version.
func supports(t *testing.T, e *clitest.Env, f newerFeature) (bool, string) {
	t.Helper()
	r := e.MustRun("version", "-json")
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil {
		t.Fatalf("%s version -json: %v", e.Name(), err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("%s version %q: %v", e.Name(), v.Version, err)
	}
	need := f.terraform
	if strings.Contains(e.Name(), "tofu") {
		need = f.tofu
	}
	cli := e.Name() + " " + v.Version
	if need == "" {
		return false, cli
	}
	return have.GreaterThanOrEqual(version.Must(version.NewVersion(need))), cli
}

// TestCheckActionInvoke runs the check action the two ways users do, with -invoke and after
// an apply, and shows its progress; a failure names the step and the status, never a URL.
func TestCheckActionInvoke(t *testing.T) {
	e := clitest.New(t)
	store := lumlfake.NewObjectStore()
	bucketHost := httptest.NewServer(store)
	t.Cleanup(bucketHost.Close)
	host := strings.TrimPrefix(bucketHost.URL, "http://")
	secure := false
	secret := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: host, BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr("AKIACLITEST"), SecretKey: ptr("clitest-secret-key"), Secure: &secure,
	})
	e.WriteConfig(fmt.Sprintf(`
action "luml_bucket_secret_check" "models" {
  config {
    bucket_secret_id = %q
  }
}
`, secret.ID))

	if ok, cli := supports(t, e, actionsFeature); !ok {
		// The CLI refuses the block itself: a clear message, and the provider is never asked.
		r := e.Run("validate", "-no-color")
		if r.ExitCode == 0 || !strings.Contains(r.Stderr, `Unsupported block type`) {
			t.Fatalf("%s accepted an action block or failed differently (%d):\n%s", cli, r.ExitCode, e.Tail(r.Stdout+r.Stderr, 20))
		}
		t.Skipf("%s has no %s (Terraform %s or later): checked that it says so", cli, actionsFeature.name, actionsFeature.terraform)
	}

	r := e.MustRun("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.luml_bucket_secret_check.models")
	var progress []string
	for _, line := range strings.Split(r.Stdout, "\n") {
		if strings.Contains(line, "models ("+host+")") {
			progress = append(progress, strings.TrimSpace(line))
		}
	}
	for _, want := range []string{"test URLs", "(PUT)", "expecting 206", "(DELETE)", "connection check passed"} {
		if !strings.Contains(strings.Join(progress, "\n"), want) {
			t.Errorf("no progress line says %q; the progress lines are:\n%s", want, strings.Join(progress, "\n"))
		}
	}
	e.Report("check-action", "%s -invoke progress:\n%s", e.Name(), strings.Join(progress, "\n"))

	store.SetFailPut(http.StatusForbidden)
	r = e.Run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.luml_bucket_secret_check.models")
	out := r.Stdout + r.Stderr
	if r.ExitCode == 0 {
		t.Fatalf("the check passed against a bucket that refuses uploads:\n%s", e.Tail(out, 30))
	}
	for _, want := range []string{"Bucket connection check failed", `failed at step "upload"`, "403 Forbidden"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the failure does not say %q:\n%s", want, e.Tail(out, 30))
		}
	}
	t.Logf("%s -invoke against a bucket refusing uploads:\n%s", e.Name(), e.Tail(out, 12))
	for _, leak := range []string{"X-Amz-", "http://" + host, "test_file"} {
		if strings.Contains(out, leak) {
			t.Errorf("the failure shows %q, part of a signed URL", leak)
		}
	}
}

func ptr[T any](v T) *T { return &v }
