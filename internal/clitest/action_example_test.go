package clitest_test

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The check action page's examples, whose comments say how to run the check on demand.
const (
	actionExample    = "../../examples/actions/luml_bucket_secret_check/action.tf"
	checkOnlyExample = "../../examples/actions/luml_bucket_secret_check/check-only.tf"
)

// TestActionExamplesInvoke runs the action page's examples the way their comments say, with
// -invoke: the example that manages the secret with the credential variables given as for an
// apply, and the configuration that only checks with nothing at all.
func TestActionExamplesInvoke(t *testing.T) {
	e := clitest.New(t)
	store := lumlfake.NewObjectStore()
	bucketHost := httptest.NewServer(store)
	t.Cleanup(bucketHost.Close)
	secure := false
	// The examples' secret, as an earlier apply left it; LUML reaches its bucket at the store.
	secret := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: strings.TrimPrefix(bucketHost.URL, "http://"), BucketName: "acme-models",
		Region: ptr("eu-central-1"), AccessKey: ptr("AKIAEXAMPLE"), SecretKey: ptr("example-secret-key"), Secure: &secure,
	})
	e.Redact("example-secret-key")
	e.WriteConfig(readExample(t, checkOnlyExample))
	if ok, why := supports(t, e, actionsFeature); !ok {
		t.Skip(why)
	}
	invoke := func(example string, wantPuts int) {
		t.Helper()
		command := invokeCommand(t, readExample(t, example))
		r := e.Run(append(command, "-auto-approve", "-input=false", "-no-color")...)
		if r.ExitCode != 0 || !strings.Contains(r.Stdout, "acme-models") || !strings.Contains(r.Stdout, "connection check passed") {
			t.Fatalf("%s: %s did not pass the check (exit %d):\n%s", example, strings.Join(command, " "), r.ExitCode,
				e.Tail(r.Stdout+r.Stderr, 30))
		}
		if n := store.Count("PUT"); n != wantPuts {
			t.Errorf("%d uploads reached the bucket, want %d", n, wantPuts)
		}
	}
	invoke(checkOnlyExample, 1)

	e.WriteConfig(readExample(t, actionExample))
	e.Setenv("TF_VAR_models_access_key", "AKIAEXAMPLE")
	e.Setenv("TF_VAR_models_secret_key", "example-secret-key")
	e.MustRun("import", "-input=false", "-no-color", "luml_bucket_secret.models", secret.ID)
	invoke(actionExample, 2)
}

func readExample(t *testing.T, path string) string {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// invokeCommand is the "terraform apply -invoke=..." command an example's comment gives,
// without "terraform".
func invokeCommand(t *testing.T, example string) []string {
	t.Helper()
	for _, line := range strings.Split(example, "\n") {
		if i := strings.Index(line, "terraform apply -invoke="); i >= 0 {
			return strings.Fields(line[i+len("terraform "):])
		}
	}
	t.Fatal("the example does not say how to invoke the action")
	return nil
}
