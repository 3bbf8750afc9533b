package clitest_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
)

const refreshSecrets = 12

// corrupt sends the PATCH with which the real server corrupts a secret (luml-api.md 4.3):
// endpoint and bucket name without region. The server stores a NULL region and answers 500;
// from then on every read of the secret, and every list of its organization, answers 500.
func corrupt(t *testing.T, e *clitest.Env, id string) {
	t.Helper()
	body := `{"endpoint":"s3.eu-central-1.amazonaws.com","bucket_name":"corrupt-` + id + `"}`
	req, err := http.NewRequest(http.MethodPatch, e.URL+"/v1/organizations/"+e.Org.ID+"/bucket-secrets/"+id,
		strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("the corrupting PATCH answered %d, want 500", resp.StatusCode)
	}
}

// refreshGets counts the GETs of each secret of the organization and its lists since the last
// reset.
func refreshGets(e *clitest.Env) (lists int, gets map[string]int) {
	secrets := "/v1/organizations/" + e.Org.ID + "/bucket-secrets"
	gets = map[string]int{}
	for _, r := range e.Fake.Requests() {
		switch {
		case r.Method != http.MethodGet:
		case r.Path == secrets:
			lists++
		case strings.HasPrefix(r.Path, secrets+"/"):
			gets[strings.TrimPrefix(r.Path, secrets+"/")]++
		}
	}
	return lists, gets
}

const fallbackLine = "Listing the organization's bucket secrets failed; refreshes read each secret with its own request"

// TestRefreshCorruptRow: one corrupt secret in the organization makes its list a 500. The
// refresh then reads each secret with its own GET, says so once at DEBUG, and the secrets it
// manages are refreshed as usual; a corrupt secret of its own fails its own refresh only.
func TestRefreshCorruptRow(t *testing.T) {
	e := clitest.New(t)
	e.WriteConfig(secretsConfig("refresh", refreshSecrets+1))
	e.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	ids := e.SecretIDs()
	var unmanaged string
	for id, addr := range ids {
		if addr == "luml_bucket_secret.s[12]" {
			unmanaged = id
		}
	}
	// The last secret leaves the configuration and the state, and stays on the server.
	e.MustRun("state", "rm", "luml_bucket_secret.s[12]")
	delete(ids, unmanaged)
	e.WriteConfig(secretsConfig("refresh", refreshSecrets))
	corrupt(t, e, unmanaged)

	log := filepath.Join(t.TempDir(), "provider.log")
	e.Setenv("TF_LOG_PROVIDER", "DEBUG")
	e.Setenv("TF_LOG_PATH", log)
	e.Fake.ResetRequests()
	e.CheckEmptyPlan()
	lists, gets := refreshGets(e)
	if lists != 1 {
		t.Errorf("the refresh sent %d list requests, want 1: a 500 is the answer, not a passing failure", lists)
	}
	for id, addr := range ids {
		if gets[id] != 1 {
			t.Errorf("the refresh read %s with %d GETs, want 1", addr, gets[id])
		}
	}
	if len(gets) != len(ids) {
		t.Errorf("the refresh read %d secrets, want the %d of the state", len(gets), len(ids))
	}
	raw, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), fallbackLine); n != 1 {
		t.Errorf("the provider's DEBUG log says %d times that the list failed, want once", n)
	}

	// A corrupt secret of the configuration: its refresh fails, and only its.
	var first string
	for id, addr := range ids {
		if addr == "luml_bucket_secret.s[0]" {
			first = id
		}
	}
	corrupt(t, e, first)
	r := e.Run("plan", "-input=false", "-no-color")
	if r.ExitCode != 1 {
		t.Fatalf("the plan with a corrupt secret of its own exited with %d, want 1:\n%s", r.ExitCode, e.Tail(r.Stdout+r.Stderr, 20))
	}
	if n := strings.Count(r.Stderr, "Error: Unable to read bucket secret"); n != 1 || !strings.Contains(r.Stderr, "luml_bucket_secret.s[0]") {
		t.Errorf("the plan reported %d read errors, want 1, of luml_bucket_secret.s[0]:\n%s", n, e.Tail(r.Stderr, 20))
	}
}
