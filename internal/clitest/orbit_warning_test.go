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
// uses: each plan warns and names the orbit, from what the refresh read, with no request of
// its own. Without a refresh, the plan says the check could not be made.
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

	cases := []struct {
		name, body string
		args       []string
		want       []string
	}{
		{
			name: "destroy", body: orbitS3Body, args: []string{"-destroy"},
			want: []string{"Warning: Bucket secret in use by orbits", named, "the destroy will fail"},
		},
		{
			name: "replacement", body: orbitAzureBody,
			want: []string{"Warning: Bucket secret in use by orbits", named, "the replacement (which deletes this secret) will fail"},
		},
		{
			name: "re-pointing update", body: strings.Replace(orbitS3Body, `"models"`, `"models-v2"`, 1),
			want: []string{"Warning: Update of a bucket secret in use by orbits", named, "changes bucket_name"},
		},
		{
			name: "update without refresh", body: strings.Replace(orbitS3Body, `"models"`, `"models-v2"`, 1),
			args: []string{"-refresh=false"},
			want: []string{"Warning: Orbits of the bucket secret not checked", "-refresh=false", "bucket_name"},
		},
		{
			name: "destroy without refresh", body: orbitS3Body, args: []string{"-destroy", "-refresh=false"},
			want: []string{"Warning: Orbits of the bucket secret not checked", "refuse the destroy"},
		},
	}
	for _, c := range cases {
		e.WriteConfig(orbitSecretConfig(c.body))
		e.Fake.ResetRequests()
		r := e.MustRun(append([]string{"plan", "-input=false", "-no-color"}, c.args...)...)
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

	// Once the orbit is gone, a destroy plans without a warning.
	e.Fake.RemoveOrbit(orbit.ID)
	e.WriteConfig(orbitSecretConfig(orbitS3Body))
	r := e.MustRun("plan", "-destroy", "-input=false", "-no-color")
	if out := r.Stdout + r.Stderr; strings.Contains(out, "Bucket secret in use") || strings.Contains(out, "not checked") {
		t.Errorf("a destroy of a secret no orbit uses warns:\n%s", e.Tail(r.Stdout+r.Stderr, 30))
	}
	e.MustRun("destroy", "-auto-approve", "-input=false", "-no-color")
}
