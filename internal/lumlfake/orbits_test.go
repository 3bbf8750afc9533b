package lumlfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestOrbits(t *testing.T) {
	e := newEnv(t)
	secretID := e.create(s3Body)
	path := "/v1/organizations/" + e.org.ID + "/orbits"
	colleague := e.user(e.org, RoleMember)

	r := e.as(http.MethodPost, path, `{"name":"churn","bucket_secret_id":"`+secretID+`","members":[{"user_id":"`+colleague.ID+`","role":"member"}],"notify":false}`)
	var created struct {
		ID           string
		TotalMembers int `json:"total_members"`
		Members      []struct {
			Role string
			User struct{ Email string }
		}
	}
	if r.status != http.StatusOK {
		t.Fatalf("create orbit: %d %s", r.status, r.body)
	}
	if !strings.HasPrefix(r.body, `{"id":"`) || !strings.Contains(r.body, `","name":"churn","organization_id":"`+e.org.ID+`","bucket_secret_id":"`+secretID+`","total_members":2,"total_collections":0,"total_satellites":0,"total_artifacts":0,"role":null,"created_at":"`+epochJSON+`","updated_at":null,"permissions":{"orbit":["create","update","delete","list","read"],`) {
		t.Errorf("orbit output: %s", r.body)
	}
	if err := json.Unmarshal([]byte(r.body), &created); err != nil || created.TotalMembers != 2 || len(created.Members) != 2 || created.Members[1].Role != "admin" || created.Members[1].User.Email != e.owner.Email {
		t.Errorf("created %+v (%v)", created, err)
	}

	// The orbit keeps the secret in use and shows in its orbits.
	e.as(http.MethodDelete, e.secretPath(secretID), "").expect(t, http.StatusConflict, `{"detail":"Cannot delete bucket secret that is currently used by orbits"}`)
	if r := e.as(http.MethodGet, e.secretPath(secretID), ""); !strings.Contains(r.body, `"orbits":[{"id":"`+created.ID+`","name":"churn","created_at":"`+epochJSON+`","updated_at":null}]`) {
		t.Errorf("secret orbits: %s", r.body)
	}

	e.as(http.MethodPost, path, `{"name":"second","bucket_secret_id":"`+secretID+`"}`).
		expect(t, http.StatusConflict, `{"detail":"Organization reached maximum number of orbits"}`)
	e.srv.SetOrbitsLimit(e.org.ID, 10)
	e.as(http.MethodPost, path, `{"name":"x","bucket_secret_id":"0198b2c4-0000-7000-8000-000000000000"}`).
		expect(t, http.StatusNotFound, `{"detail":"Bucket secret not found"}`)
	e.as(http.MethodPost, path, `{"name":"x","bucket_secret_id":"`+secretID+`","members":[{"user_id":"`+e.owner.ID+`","role":"admin"}]}`).
		expect(t, http.StatusBadRequest, `{"detail":"You can not add yourself to orbit."}`)
	stranger := e.srv.AddUser("stranger@example.com")
	e.as(http.MethodPost, path, `{"name":"x","bucket_secret_id":"`+secretID+`","members":[{"user_id":"`+stranger.ID+`","role":"admin"}]}`).
		expect(t, http.StatusBadRequest, `{"detail":"Users {UUID('`+stranger.ID+`')} are not in the organization."}`)
	e.as(http.MethodPost, path, `{"name":"`+strings.Repeat("n", 101)+`","bucket_secret_id":"`+secretID+`","members":[{"role":"owner"}]}`).
		expect(t, http.StatusUnprocessableEntity, `{"detail":[{"type":"string_too_long","loc":["body","name"],"msg":"String should have at most 100 characters","input":"`+strings.Repeat("n", 101)+`"},{"type":"missing","loc":["body","members",0,"user_id"],"msg":"Field required","input":{"role":"owner"}},{"type":"enum","loc":["body","members",0,"role"],"msg":"Input should be 'admin' or 'member'","input":"owner"}]}`)
	e.call(http.MethodPost, path, colleague.APIKey, `{"name":"x","bucket_secret_id":"`+secretID+`"}`).
		expect(t, http.StatusForbidden, `{"detail":"Not enough rights"}`)

	e.srv.AddOrbit(e.org.ID, secretID, "seeded")
	var owned, mine []struct {
		Name        string
		Role        *string
		Permissions map[string][]string
	}
	if err := json.Unmarshal([]byte(e.as(http.MethodGet, path, "").body), &owned); err != nil || len(owned) != 2 || owned[0].Name != "churn" || owned[1].Role != nil {
		t.Errorf("owner's orbits %+v (%v)", owned, err)
	}
	if err := json.Unmarshal([]byte(e.call(http.MethodGet, path, colleague.APIKey, "").body), &mine); err != nil ||
		len(mine) != 1 || *mine[0].Role != "member" || mine[0].Permissions["orbit_user"] != nil {
		t.Errorf("member's orbits %+v (%v)", mine, err)
	}
	outsider := e.user(e.srv.AddOrganization("Other"), RoleOwner)
	e.call(http.MethodGet, path, outsider.APIKey, "").expect(t, http.StatusForbidden, `{"detail":"Not enough rights"}`)
	if got := e.srv.Orbits(e.org.ID); len(got) != 2 || got[0].BucketSecretID != secretID || got[1].Name != "seeded" {
		t.Errorf("Orbits %+v", got)
	}
}
