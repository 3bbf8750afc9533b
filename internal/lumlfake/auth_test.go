package lumlfake

import (
	"net/http"
	"regexp"
	"testing"
)

func TestAPIKeyFormat(t *testing.T) {
	u := New(Options{}).AddUser("a@example.com")
	if !regexp.MustCompile(`^dfs_[A-Za-z0-9_-]{43}$`).MatchString(u.APIKey) {
		t.Errorf("API key %q is not dfs_ + token_urlsafe(32)", u.APIKey)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(u.ID) {
		t.Errorf("user ID %q is not a lower-case UUIDv7", u.ID)
	}
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	orgs := "/v1/users/me/organizations"
	const notAuthenticated = `{"detail":"Not authenticated"}`
	tests := []struct {
		name   string
		header string
		cookie string
		status int
	}{
		{"no header", "", "", http.StatusUnauthorized},
		{"basic scheme", "Basic " + e.owner.APIKey, "", http.StatusUnauthorized},
		{"bearer without token", "Bearer", "", http.StatusUnauthorized},
		{"three parts", "Bearer " + e.owner.APIKey + " x", "", http.StatusUnauthorized},
		{"unknown dfs_ key", "Bearer dfs_unknown", "", http.StatusUnauthorized},
		{"jwt", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhQGIuYyJ9.c2ln", "", http.StatusUnauthorized},
		{"satellite key", "Bearer dfssat_abc", "", http.StatusUnauthorized},
		{"key without dfs_ prefix", "Bearer " + e.owner.APIKey[4:], "", http.StatusUnauthorized},
		{"header wins over cookie", "Basic x", e.owner.APIKey, http.StatusUnauthorized},
		{"valid key", "Bearer " + e.owner.APIKey, "", http.StatusOK},
		{"scheme in any case", "bEaReR " + e.owner.APIKey, "", http.StatusOK},
		{"cookie without header", "", e.owner.APIKey, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, e.url+orgs, nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: "access_token", Value: tt.cookie})
			}
			r := e.send(req)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status == http.StatusUnauthorized {
				r.expect(t, http.StatusUnauthorized, notAuthenticated)
				if r.header.Get("WWW-Authenticate") != "" {
					t.Error("401 carries WWW-Authenticate")
				}
			}
		})
	}
}

func TestAuthScopesAndOrder(t *testing.T) {
	e := newEnv(t)
	e.call(http.MethodGet, "/v1/auth/api-keys/validate", e.owner.APIKey, "").expect(t, http.StatusNoContent, "")
	e.call(http.MethodGet, "/v1/auth/api-keys/validate", "", "").expect(t, http.StatusUnauthorized, `{"detail":"Not authenticated"}`)
	e.as(http.MethodGet, "/v1/organizations/"+e.org.ID, "").
		expect(t, http.StatusForbidden, `{"detail":"This endpoint requires jwt authentication."}`)
	// Authentication comes before path validation...
	e.call(http.MethodGet, "/v1/organizations/not-a-uuid/bucket-secrets", "", "").
		expect(t, http.StatusUnauthorized, `{"detail":"Not authenticated"}`)
	// ...but after JSON decoding.
	r := e.call(http.MethodPost, e.secretsPath(), "", `{"type":`)
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("malformed JSON without credentials: %d %s", r.status, r.body)
	}
}

func TestRouting(t *testing.T) {
	e := newEnv(t)
	e.as(http.MethodGet, "/v1/nothing-here", "").expect(t, http.StatusNotFound, `{"detail":"Not Found"}`)
	e.as(http.MethodGet, "/organizations/"+e.org.ID+"/bucket-secrets", "").expect(t, http.StatusNotFound, `{"detail":"Not Found"}`)
	e.call(http.MethodGet, "/v1/bucket-secrets/nope/x", "", "").expect(t, http.StatusNotFound, `{"detail":"Not Found"}`)

	r := e.call(http.MethodPut, e.secretsPath(), "", "")
	r.expect(t, http.StatusMethodNotAllowed, `{"detail":"Method Not Allowed"}`)
	if r.header.Get("Allow") != "GET" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	e.as(http.MethodGet, "/v1/bucket-secrets/urls", "").expect(t, http.StatusMethodNotAllowed, `{"detail":"Method Not Allowed"}`)

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		r := e.as(method, e.secretsPath()+"/?x=1", "")
		if r.status != http.StatusTemporaryRedirect || r.header.Get("Location") != e.url+e.secretsPath()+"?x=1" {
			t.Errorf("%s with trailing slash: %d Location %q", method, r.status, r.header.Get("Location"))
		}
	}
	if r := e.as(http.MethodGet, "/v1/no-such-thing/", ""); r.status != http.StatusNotFound {
		t.Errorf("unknown path with slash: %d", r.status)
	}
	if r := e.call(http.MethodHead, "/v1/users/me/organizations", e.owner.APIKey, ""); r.status != http.StatusMethodNotAllowed {
		t.Errorf("HEAD: %d", r.status)
	}
}

func TestOrganizationsList(t *testing.T) {
	e := newEnv(t)
	beta := e.srv.AddOrganization("Beta")
	alpha := e.srv.AddOrganization("Alpha")
	e.srv.AddOrganization("Not mine")
	e.srv.AddMembership(e.owner.ID, beta.ID, RoleMember)
	e.srv.AddMembership(e.owner.ID, alpha.ID, RoleAdmin)

	// The owner's permissions are those the real server recorded (TestConformance, step 1);
	// the admin's and the member's are the server's role table, which the corpus does not show.
	permissions := map[string]string{
		"owner": `{"organization":["read","update","delete"],"organization_user":["list","read","create","update","delete"],` +
			`"organization_invite":["create","delete","list","read"],"billing":["read","update"],"orbit":["create"]}`,
		"admin": `{"organization":["read","update","leave"],"organization_user":["list","read","create","update","delete"],` +
			`"organization_invite":["create","delete","list","read"],"orbit":["create"]}`,
		"member": `{"organization":["leave"]}`,
	}
	org := func(o Organization, role string) string {
		return `{"id":"` + o.ID + `","name":"` + o.Name + `","logo":null,"created_at":"` + epochJSON +
			`","updated_at":null,"role":"` + role + `","permissions":` + permissions[role] + `}`
	}
	want := "[" + org(e.org, "owner") + "," + org(alpha, "admin") + "," + org(beta, "member") + "]"
	e.as(http.MethodGet, "/v1/users/me/organizations", "").expect(t, http.StatusOK, want)

	loner := e.srv.AddUser("loner@example.com")
	e.call(http.MethodGet, "/v1/users/me/organizations", loner.APIKey, "").expect(t, http.StatusOK, "[]")

	founded, founder := e.srv.AddOwnedOrganization("Founded", "founder@example.com")
	e.call(http.MethodGet, "/v1/users/me/organizations", founder.APIKey, "").expect(t, http.StatusOK, "["+org(founded, "owner")+"]")
}

func TestPermissions(t *testing.T) {
	e := newEnv(t)
	id := e.create(s3Body)
	member := e.user(e.org, RoleMember)
	outsider := e.user(e.srv.AddOrganization("Other"), RoleOwner)
	missingOrg := "/v1/organizations/0198b2c4-0000-7000-8000-000000000000/bucket-secrets"
	const forbidden = `{"detail":"Not enough rights"}`
	tests := []struct {
		name, method, path, key, body string
	}{
		{"member lists", http.MethodGet, e.secretsPath(), member.APIKey, ""},
		{"member reads", http.MethodGet, e.secretPath(id), member.APIKey, ""},
		{"member reads a missing secret", http.MethodGet, e.secretPath("0198b2c4-0000-7000-8000-000000000001"), member.APIKey, ""},
		{"member creates", http.MethodPost, e.secretsPath(), member.APIKey, s3Body},
		{"member updates", http.MethodPatch, e.secretPath(id), member.APIKey, s3Body},
		{"member deletes", http.MethodDelete, e.secretPath(id), member.APIKey, ""},
		{"member tests URLs", http.MethodPost, e.secretPath(id) + "/urls", member.APIKey, `{"id":"` + id + `"}`},
		{"outsider lists", http.MethodGet, e.secretsPath(), outsider.APIKey, ""},
		{"outsider reads", http.MethodGet, e.secretPath(id), outsider.APIKey, ""},
		{"missing organization", http.MethodGet, missingOrg, e.owner.APIKey, ""},
		{"create in missing organization", http.MethodPost, missingOrg, e.owner.APIKey, s3Body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.call(tt.method, tt.path, tt.key, tt.body).expect(t, http.StatusForbidden, forbidden)
		})
	}
	admin := e.user(e.org, RoleAdmin)
	if r := e.call(http.MethodGet, e.secretPath(id), admin.APIKey, ""); r.status != http.StatusOK {
		t.Errorf("admin read: %d %s", r.status, r.body)
	}
}
