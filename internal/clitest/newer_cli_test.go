package clitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// supports reports whether the CLI under test has the feature and, when it has not, why.
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
	if need == "" {
		return false, fmt.Sprintf("%s %s: OpenTofu has no %s yet", e.Name(), v.Version, f.name)
	}
	return have.GreaterThanOrEqual(version.Must(version.NewVersion(need))),
		fmt.Sprintf("%s %s: %s need %s or later", e.Name(), v.Version, f.name, need)
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
	// The Azure container's blob service is the same host; the account key is never shown.
	azure := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type:       "azure",
		Endpoint:   "DefaultEndpointsProtocol=http;AccountName=acme;AccountKey=Y2hlY2s=;BlobEndpoint=" + bucketHost.URL + "/acme",
		BucketName: "artifacts",
	})
	e.WriteConfig(fmt.Sprintf(`
action "luml_bucket_secret_check" "models" {
  config {
    bucket_secret_id = %q
  }
}

action "luml_bucket_secret_check" "artifacts" {
  config {
    bucket_secret_id = %q
  }
}
`, secret.ID, azure.ID))

	if ok, why := supports(t, e, actionsFeature); !ok {
		// The CLI refuses the block itself: a clear message, and the provider is never asked.
		r := e.Run("validate", "-no-color")
		if r.ExitCode == 0 || !strings.Contains(r.Stderr, `Unsupported block type`) {
			t.Fatalf("%s; yet it accepted an action block or failed differently (%d):\n%s", why, r.ExitCode, e.Tail(r.Stdout+r.Stderr, 20))
		}
		t.Skipf("%s; checked that it refuses an action block as unsupported", why)
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

	r = e.MustRun("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.luml_bucket_secret_check.artifacts")
	if !strings.Contains(r.Stdout, "artifacts (azure): connection check passed") || strings.Contains(r.Stdout, "AccountKey") {
		t.Errorf("the Azure check did not pass, or showed the connection string:\n%s", e.Tail(r.Stdout, 12))
	}
	if n := store.Count(http.MethodPut); n != 2 {
		t.Errorf("%d uploads reached the bucket host, want 2 (S3 and Azure)", n)
	}

	store.SetFailPut(http.StatusForbidden)
	r = e.Run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.luml_bucket_secret_check.models")
	out := r.Stdout + r.Stderr
	if r.ExitCode == 0 {
		t.Fatalf("the check passed against a bucket that refuses uploads:\n%s", e.Tail(out, 30))
	}
	// The store names its refusal InjectedFailure: the code and message are shown as the storage wrote them.
	for _, want := range []string{"Bucket connection check failed", `failed at step "upload"`,
		"403 Forbidden: InjectedFailure: PUT refused by configuration"} {
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

const queryAzureConnectionString = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.windows.net"

// queryExample is the list resource page's query file, which its bulk-import walkthrough uses
// as written.
const queryExample = "../../examples/list-resources/luml_bucket_secret/list-resource.tfquery.hcl"

// TestQueryGeneratesImports brings every secret of an organization under management the way
// the docs say, with the docs' query file as written: terraform query writes one import block
// and one resource per secret, then apply imports them all and the next plan is empty.
func TestQueryGeneratesImports(t *testing.T) {
	e := clitest.New(t)
	secure, certCheck := false, true
	e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr("AKIAQUERY1"), SecretKey: ptr("query-secret-1"),
	})
	e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "minio.internal:9000", BucketName: "datasets", Region: ptr("us-east-1"),
		AccessKey: ptr("AKIAQUERY2"), SecretKey: ptr("query-secret-2"), Secure: &secure, CertCheck: &certCheck,
	})
	// The bucket the docs' examples name, so that a block of the query file picking it out
	// would match it a second time.
	e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "acme-models", Region: ptr("eu-central-1"),
		AccessKey: ptr("AKIAQUERY3"), SecretKey: ptr("query-secret-3"),
	})
	e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "azure", Endpoint: queryAzureConnectionString, BucketName: "artifacts",
	})
	e.Redact("a2V5", "query-secret-1", "query-secret-2", "query-secret-3")
	e.WriteConfig("")
	query, err := os.ReadFile(queryExample)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(e.Dir, "secrets.tfquery.hcl"), string(query))
	if ok, why := supports(t, e, listResourcesFeature); !ok {
		r := e.Run("query", "-no-color")
		if r.ExitCode == 0 || !strings.Contains(r.Stdout+r.Stderr, `has no command named "query"`) {
			t.Fatalf("%s; yet it ran a query or failed differently (%d):\n%s", why, r.ExitCode, e.Tail(r.Stdout+r.Stderr, 20))
		}
		t.Skipf("%s; checked that it has no query command", why)
	}

	r := e.MustRun("query", "-no-color", "-generate-config-out=generated.tf")
	found := 0
	for _, line := range strings.Split(r.Stdout, "\n") {
		if strings.HasPrefix(line, "list.luml_bucket_secret.") {
			found++
		}
	}
	out := strings.Join(strings.Fields(r.Stdout+r.Stderr), " ")
	for _, want := range []string{"models (s3.eu-central-1.amazonaws.com)", "datasets (minio.internal:9000)",
		"acme-models (s3.eu-central-1.amazonaws.com)", "artifacts (azure)", "Credentials are not part of the results"} {
		if !strings.Contains(out, want) {
			t.Errorf("the query output does not show %q:\n%s", want, e.Tail(r.Stdout, 30))
		}
	}
	raw, err := os.ReadFile(filepath.Join(e.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	generated := string(raw)
	// The credentials to fill in are there, null and marked; no secret value is.
	if n := strings.Count(generated, "secret_key             = null # sensitive"); n != 4 {
		t.Errorf("secret_key is null and marked sensitive in %d of the 4 resources", n)
	}
	// An Azure endpoint is the connection string: neither the results nor the file show it.
	if strings.Contains(generated+r.Stdout+r.Stderr, "AccountKey") {
		t.Error("the query output or the generated file shows the Azure connection string")
	}
	// A secret matched by two list blocks would get two import blocks and two resources.
	if n := strings.Count(generated, "import {"); n != 4 {
		t.Errorf("%d import blocks for 4 secrets, want one each", n)
	}
	lines := strings.Split(generated, "\n")
	e.Report("query", "%s query: %d secrets discovered; generated.tf begins:\n%s", e.Name(), found,
		strings.Join(lines[:min(len(lines), 24)], "\n"))
	if found != 4 {
		t.Fatalf("the query found %d results for 4 secrets, want one each", found)
	}

	// An Azure secret cannot be planned without its connection string: the error points at
	// the generated line to fill in.
	r = e.Run("plan", "-input=false", "-no-color")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "Missing Azure connection string") ||
		!strings.Contains(r.Stderr, "connection_string      = null # sensitive") {
		t.Fatalf("the plan did not ask for the Azure connection string (exit %d):\n%s", r.ExitCode, e.Tail(r.Stderr, 30))
	}
	azure := strings.Index(generated, `bucket_name            = "artifacts"`)
	filled := generated[:azure] + strings.Replace(generated[azure:], "connection_string      = null # sensitive",
		fmt.Sprintf("connection_string      = %q", queryAzureConnectionString), 1)
	writeFile(t, filepath.Join(e.Dir, "generated.tf"), filled)

	// The S3 secrets import unchanged; the Azure one takes the connection string given.
	r = e.Run("plan", "-input=false", "-no-color")
	if !strings.Contains(r.Stdout, "Plan: 4 to import, 0 to add, 1 to change, 0 to destroy.") ||
		strings.Count(r.Stdout, "will be updated in-place") != 1 || !strings.Contains(r.Stdout, "luml_bucket_secret.azure_0 will be updated in-place") {
		t.Fatalf("the plan of the generated configuration is not 4 imports and the Azure credential (exit %d):\n%s",
			r.ExitCode, e.Tail(r.Stdout+r.Stderr, 80))
	}
	e.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	e.CheckStateMatchesServer()
	e.CheckEmptyPlan()
	// The S3 keys LUML held are still there.
	for _, s := range e.Fake.Secrets(e.Org.ID) {
		if s.Type == "s3" && (s.AccessKey == nil || s.SecretKey == nil) {
			t.Errorf("the import of %s erased its keys", s.BucketName)
		}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
