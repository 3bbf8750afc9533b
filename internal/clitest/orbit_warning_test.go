package clitest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
)

func orbitSecretConfig(body string) string {
	return `
resource "luml_bucket_secret" "models" {
` + body + `
}
`
}

const (
	orbitS3Body = `  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "models"
  region      = "eu-central-1"
  access_key  = "AKIACLITEST"
  secret_key  = "clitest-secret-key"`
	orbitAzureBody = `  type              = "azure"
  bucket_name       = "models"
  connection_string = "DefaultEndpointsProtocol=https;AccountName=clitest;AccountKey=Y2xpdGVzdA==;EndpointSuffix=core.windows.net"`
)

// TestOrbitWarnings plans a destroy, a replacement and an update of a secret that an orbit
// uses: each plan names the orbit, from what the last refresh read, with no request of its
// own. A destroy or an update warns; a replacement, which LUML would refuse at apply, is
// refused at plan time, -replace included.
func TestOrbitWarnings(t *testing.T) {
	e := clitest.New(t)
	e.WriteConfig(orbitSecretConfig(orbitS3Body))
	e.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	var secretID string
	for id := range e.SecretIDs() {
		secretID = id
	}
	orbit := e.Fake.AddOrbit(e.Org.ID, secretID, "fraud-detection")
	named := fmt.Sprintf("%q (%s)", orbit.Name, orbit.ID)
	// The state learns of the orbit, for the plans without a refresh below.
	e.MustRun("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")

	cases := []struct {
		name, body string
		args       []string
		refused    bool
		want       []string
	}{
		{
			name: "destroy", body: orbitS3Body, args: []string{"-destroy"},
			want: []string{"Warning: Bucket secret in use by orbits", named, "the destroy will fail"},
		},
		{
			name: "replacement", body: orbitAzureBody, refused: true,
			want: []string{"Error: Replacement of a bucket secret in use by orbits", named, "the apply would fail"},
		},
		{
			name: "-replace", body: orbitS3Body, args: []string{"-replace=luml_bucket_secret.models"}, refused: true,
			want: []string{"Error: Replacement of a bucket secret in use by orbits", named, "the apply would fail"},
		},
		{
			name: "re-pointing update", body: strings.Replace(orbitS3Body, `"models"`, `"models-v2"`, 1),
			want: []string{"Warning: Update of a bucket secret in use by orbits", named, "changes bucket_name"},
		},
		{
			name: "update without refresh", body: strings.Replace(orbitS3Body, `"models"`, `"models-v2"`, 1),
			args: []string{"-refresh=false"},
			want: []string{"Warning: Update of a bucket secret in use by orbits", "At its last refresh", named, "bucket_name"},
		},
		{
			name: "destroy without refresh", body: orbitS3Body, args: []string{"-destroy", "-refresh=false"},
			want: []string{"Warning: Bucket secret in use by orbits", "At its last refresh", named},
		},
	}
	for _, c := range cases {
		e.WriteConfig(orbitSecretConfig(c.body))
		e.Fake.ResetRequests()
		r := e.Run(append([]string{"plan", "-input=false", "-no-color"}, c.args...)...)
		if refused := r.ExitCode != 0; refused != c.refused {
			t.Errorf("%s: the plan exited with %d:\n%s", c.name, r.ExitCode, e.Tail(r.Stdout+r.Stderr, 40))
		}
		out := strings.Join(strings.Fields(r.Stdout+r.Stderr), " ")
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the plan does not say %q:\n%s", c.name, w, e.Tail(r.Stdout+r.Stderr, 40))
			}
		}
		// The orbits come from the refresh: no request of their own.
		reads := 1
		if strings.Contains(strings.Join(c.args, " "), "-refresh=false") {
			reads = 0
		}
		if n := e.Fake.CountRequests(http.MethodGet, "/v1/organizations/"+e.Org.ID+"/bucket-secrets/"); n != reads {
			t.Errorf("%s: the plan read the secret %d times, want %d", c.name, n, reads)
		}
		if n := len(e.Fake.Requests()) - e.Fake.CountRequests(http.MethodGet, "/v1/users/me/organizations"); n != reads {
			t.Errorf("%s: the plan sent %d requests to the secrets' API, want %d", c.name, n, reads)
		}
	}

	// Once the orbit is gone, a destroy plans without a warning, and a saved plan's update
	// applies without one.
	e.Fake.RemoveOrbit(orbit.ID)
	e.WriteConfig(orbitSecretConfig(strings.Replace(orbitS3Body, `"eu-central-1"`, `"eu-west-1"`, 1)))
	e.MustRun("plan", "-input=false", "-no-color", "-out=tfplan")
	if r := e.MustRun("apply", "-input=false", "-no-color", "tfplan"); strings.Contains(r.Stdout+r.Stderr, "Warning: ") &&
		strings.Contains(r.Stdout+r.Stderr, "orbits") {
		t.Errorf("the apply of a saved plan warns about orbits no longer there:\n%s", e.Tail(r.Stdout+r.Stderr, 30))
	}
	r := e.MustRun("plan", "-destroy", "-input=false", "-no-color")
	if out := r.Stdout + r.Stderr; strings.Contains(out, "Bucket secret in use") || strings.Contains(out, "not checked") {
		t.Errorf("a destroy of a secret no orbit uses warns:\n%s", e.Tail(r.Stdout+r.Stderr, 30))
	}
	e.MustRun("destroy", "-auto-approve", "-input=false", "-no-color")
}
