package lumlfake

import (
	"net/http"
	"strings"
	"testing"
)

// An orbit keeps its secret in use and shows in the secret's orbits until it is removed.
func TestOrbits(t *testing.T) {
	e := newEnv(t)
	secretID := e.create(s3Body)
	orbit := e.srv.AddOrbit(e.org.ID, secretID, "churn")

	e.as(http.MethodDelete, e.secretPath(secretID), "").expect(t, http.StatusConflict, `{"detail":"Cannot delete bucket secret that is currently used by orbits"}`)
	if r := e.as(http.MethodGet, e.secretPath(secretID), ""); !strings.Contains(r.body, `"orbits":[{"id":"`+orbit.ID+`","name":"churn","created_at":"`+epochJSON+`","updated_at":null}]`) {
		t.Errorf("secret orbits: %s", r.body)
	}
	if got := e.srv.Orbits(e.org.ID); len(got) != 1 || got[0].BucketSecretID != secretID || got[0].Name != "churn" {
		t.Errorf("Orbits %+v", got)
	}
	// There are no orbit routes.
	e.as(http.MethodGet, "/v1/organizations/"+e.org.ID+"/orbits", "").expect(t, http.StatusNotFound, `{"detail":"Not Found"}`)

	e.srv.RemoveOrbit(orbit.ID)
	e.as(http.MethodDelete, e.secretPath(secretID), "").expect(t, http.StatusNoContent, "")
}
