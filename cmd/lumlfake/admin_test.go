package main

import (
	"encoding/json"
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
	call := func(method, path string, auth bool) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+owner.APIKey)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}
	deleteSecret := "/v1/organizations/" + org.ID + "/bucket-secrets/" + secret.ID

	for query, want := range map[string]int{
		"?bucket_name=other": http.StatusNotFound,
		"?bucket_name=acme-models&bucket_secret_id=" + secret.ID: http.StatusBadRequest,
		"": http.StatusBadRequest,
	} {
		if resp := call(http.MethodPost, "/_lumlfake/orbits"+query, false); resp.StatusCode != want {
			t.Errorf("POST orbits%s: %d, want %d", query, resp.StatusCode, want)
		}
	}
	resp := call(http.MethodPost, "/_lumlfake/orbits?bucket_name=acme-models&name=churn", false)
	var orbit orbitJSON
	if err := json.NewDecoder(resp.Body).Decode(&orbit); err != nil || resp.StatusCode != http.StatusCreated ||
		orbit.Name != "churn" || orbit.BucketSecretID != secret.ID {
		t.Fatalf("POST orbits: %d %+v (%v)", resp.StatusCode, orbit, err)
	}
	if orbits := api.Orbits(org.ID); len(orbits) != 1 || orbits[0].ID != orbit.ID {
		t.Fatalf("the emulator holds orbits %+v", orbits)
	}
	if resp := call(http.MethodDelete, deleteSecret, true); resp.StatusCode != http.StatusConflict {
		t.Errorf("deleting a secret in use: %d, want 409", resp.StatusCode)
	}
	if resp := call(http.MethodDelete, "/_lumlfake/orbits/"+orbit.ID, false); resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE orbit: %d", resp.StatusCode)
	}
	if resp := call(http.MethodDelete, deleteSecret, true); resp.StatusCode/100 != 2 {
		t.Errorf("deleting the secret once its orbit is gone: %d", resp.StatusCode)
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
