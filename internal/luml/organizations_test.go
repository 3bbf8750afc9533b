package luml_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const organizationsPath = "/v1/users/me/organizations"

func TestListOrganizationsReturnsTheKeysOrganizationsSortedByName(t *testing.T) {
	e := newTestEnv(t)
	zeta := e.fake.AddOrganization("Zeta")
	beta := e.fake.AddOrganization("Beta")
	e.fake.AddOrganization("Not mine")
	e.fake.AddMembership(e.owner.ID, zeta.ID, lumlfake.RoleMember)
	e.fake.AddMembership(e.owner.ID, beta.ID, lumlfake.RoleAdmin)

	orgs, err := e.client.ListOrganizations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []luml.Organization{
		{ID: e.org.ID, Name: "Acme", Role: luml.RoleOwner},
		{ID: beta.ID, Name: "Beta", Role: luml.RoleAdmin},
		{ID: zeta.ID, Name: "Zeta", Role: luml.RoleMember},
	}
	if !slices.Equal(orgs, want) {
		t.Errorf("got %v, want %v", orgs, want)
	}
}

func TestListOrganizationsIsFetchedOncePerClient(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for range 3 {
		if _, err := e.client.ListOrganizations(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.client.ResolveOrganization(ctx, "Acme"); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.CountRequests(http.MethodGet, organizationsPath); n != 1 {
		t.Errorf("%d requests for the organizations, want 1", n)
	}

	// Another client asks again.
	if _, err := e.newClient(e.owner.APIKey).ListOrganizations(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.CountRequests(http.MethodGet, organizationsPath); n != 2 {
		t.Errorf("%d requests for the organizations after a second client, want 2", n)
	}
}

func TestListOrganizationsDoesNotCacheAFailure(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault500}) // a 500 is not retried
	if _, err := e.client.ListOrganizations(ctx); err == nil {
		t.Fatal("the injected 500 did not fail the first call")
	}
	orgs, err := e.client.ListOrganizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 1 || orgs[0].ID != e.org.ID {
		t.Errorf("got %v after the failure, want the Acme organization", orgs)
	}
}

func TestListOrganizationsOfAnUnknownKeyIsUnauthorized(t *testing.T) {
	e := newTestEnv(t)
	_, err := e.newClient("dfs_" + strings.Repeat("x", 43)).ListOrganizations(context.Background())
	requireAPIError(t, err, http.StatusUnauthorized, "Not authenticated")
}

func TestResolveOrganization(t *testing.T) {
	e := newTestEnv(t)
	beta1 := e.fake.AddOrganization("Beta")
	beta2 := e.fake.AddOrganization("Beta")
	e.fake.AddMembership(e.owner.ID, beta1.ID, lumlfake.RoleAdmin)
	e.fake.AddMembership(e.owner.ID, beta2.ID, lumlfake.RoleMember)
	acme := luml.Organization{ID: e.org.ID, Name: "Acme", Role: luml.RoleOwner}
	everyID := []string{e.org.ID, beta1.ID, beta2.ID}

	tests := []struct {
		name  string
		value string
		want  luml.Organization
		// On failure: what the message must name, and how many organizations share the name.
		wantErrNames []string
		wantMatches  int
	}{
		{name: "ID", value: e.org.ID, want: acme},
		{name: "ID in upper case", value: strings.ToUpper(e.org.ID), want: acme},
		{name: "exact name", value: "Acme", want: acme},
		{name: "name in another case", value: "acme", wantErrNames: everyID},
		{name: "unknown name", value: "Nope", wantErrNames: everyID},
		{name: "unknown ID", value: unknownID, wantErrNames: everyID},
		{name: "ambiguous name", value: "Beta", wantErrNames: []string{beta1.ID, beta2.ID}, wantMatches: 2},
		{name: "nothing among several", value: "", wantErrNames: everyID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.client.ResolveOrganization(context.Background(), tt.value)
			if tt.wantErrNames == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("got %v, want %v", got, tt.want)
				}
				return
			}
			var orgErr *luml.OrganizationError
			if !errors.As(err, &orgErr) {
				t.Fatalf("got %v, want an *OrganizationError", err)
			}
			if len(orgErr.Matches) != tt.wantMatches {
				t.Errorf("%d matches, want %d", len(orgErr.Matches), tt.wantMatches)
			}
			for _, id := range tt.wantErrNames {
				if !strings.Contains(err.Error(), id) {
					t.Errorf("%q does not name organization %s", err, id)
				}
			}
		})
	}
	if n := e.fake.CountRequests(http.MethodGet, organizationsPath); n != 1 {
		t.Errorf("%d requests for the organizations across the cases, want 1", n)
	}
}

func TestResolveOrganizationWithoutValue(t *testing.T) {
	t.Run("the only organization", func(t *testing.T) {
		e := newTestEnv(t)
		got, err := e.client.ResolveOrganization(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != e.org.ID {
			t.Errorf("got %v, want Acme", got)
		}
	})
	t.Run("no organization", func(t *testing.T) {
		e := newTestEnv(t)
		loner := e.fake.AddUser("loner@acme.test")
		_, err := e.newClient(loner.APIKey).ResolveOrganization(context.Background(), "")
		var orgErr *luml.OrganizationError
		if !errors.As(err, &orgErr) || len(orgErr.Available) != 0 {
			t.Fatalf("got %v, want an *OrganizationError with nothing available", err)
		}
		if !strings.Contains(err.Error(), "belongs to no organization") {
			t.Errorf("%q does not say the user has no organization", err)
		}
	})
	t.Run("several organizations", func(t *testing.T) {
		e := newTestEnv(t)
		other := e.fake.AddOrganization("Other")
		e.fake.AddMembership(e.owner.ID, other.ID, lumlfake.RoleAdmin)
		_, err := e.client.ResolveOrganization(context.Background(), "")
		if err == nil {
			t.Fatal("an empty value chose one of two organizations")
		}
		for _, want := range []string{`"Acme"`, e.org.ID, `"Other"`, other.ID, "Set organization"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%q does not contain %q", err, want)
			}
		}
	})
}

// The key check endpoint answers 204 to a known key, and 401 to an unknown one through IsUnauthorized.
func TestAPIKeyCheck(t *testing.T) {
	e := newTestEnv(t)
	if err := validateKey(e.client); err != nil {
		t.Errorf("the owner's key: %v", err)
	}
	if got := e.lastRequest(http.MethodGet, "/v1/auth/api-keys/validate").Status; got != http.StatusNoContent {
		t.Errorf("the emulator answered %d, want 204", got)
	}

	err := validateKey(e.newClient("dfs_" + strings.Repeat("A", 43)))
	requireAPIError(t, err, http.StatusUnauthorized, "Not authenticated")
	if !luml.IsUnauthorized(err) {
		t.Errorf("IsUnauthorized(%v) is false", err)
	}
}
