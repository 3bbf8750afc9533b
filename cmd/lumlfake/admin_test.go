package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// An orbit attached through the admin route keeps its secret in use, as in LUML: the API
// refuses to delete the secret until the orbit is gone.
func TestAdminOrbits(t *testing.T) {
	api := lumlfake.New(lumlfake.Options{})
	org, owner := api.AddOwnedOrganization("Acme", "owner@example.com")
	secret := api.InsertSecret(org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "acme-models",
	})
	srv := httptest.NewServer(withAdmin(api, org.ID))
	t.Cleanup(srv.Close)
	call := func(method, path string, auth bool) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+owner.APIKey)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body
	}
	deleteSecret := "/v1/organizations/" + org.ID + "/bucket-secrets/" + secret.ID

	for query, want := range map[string]int{
		"?bucket_name=other": http.StatusNotFound,
		"?bucket_name=acme-models&bucket_secret_id=" + secret.ID: http.StatusBadRequest,
		"": http.StatusBadRequest,
	} {
		if status, _ := call(http.MethodPost, "/_lumlfake/orbits"+query, false); status != want {
			t.Errorf("POST orbits%s: %d, want %d", query, status, want)
		}
	}
	status, body := call(http.MethodPost, "/_lumlfake/orbits?bucket_name=acme-models&name=churn", false)
	var orbit orbitJSON
	if err := json.Unmarshal(body, &orbit); err != nil || status != http.StatusCreated ||
		orbit.Name != "churn" || orbit.BucketSecretID != secret.ID {
		t.Fatalf("POST orbits: %d %s (%v)", status, body, err)
	}
	if orbits := api.Orbits(org.ID); len(orbits) != 1 || orbits[0].ID != orbit.ID {
		t.Fatalf("the emulator holds orbits %+v", orbits)
	}
	if status, _ := call(http.MethodDelete, deleteSecret, true); status != http.StatusConflict {
		t.Errorf("deleting a secret in use: %d, want 409", status)
	}
	if status, _ := call(http.MethodDelete, "/_lumlfake/orbits/"+orbit.ID, false); status != http.StatusNoContent {
		t.Errorf("DELETE orbit: %d", status)
	}
	if status, _ := call(http.MethodDelete, deleteSecret, true); status/100 != 2 {
		t.Errorf("deleting the secret once its orbit is gone: %d", status)
	}

	// A client from another host is refused, and nothing changes.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/_lumlfake/orbits?bucket_secret_id="+secret.ID, nil)
	req.RemoteAddr = "192.0.2.10:40000"
	withAdmin(api, org.ID).ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || len(api.Orbits(org.ID)) != 0 {
		t.Errorf("a non-loopback client got %d, and %d orbits exist", rec.Code, len(api.Orbits(org.ID)))
	}
}
