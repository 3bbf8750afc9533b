package provider

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the acceptance tests.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"luml": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is an emulated LUML API with one organization and its owner, for one test.
type testEnv struct {
	Fake   *lumlfake.Server
	URL    string
	APIKey string
	Org    lumlfake.Organization
	Owner  lumlfake.User
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	fake := lumlfake.New(lumlfake.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	org := fake.AddOrganization("Acme")
	owner := fake.AddUser("owner@acme.test")
	fake.AddMembership(owner.ID, org.ID, lumlfake.RoleOwner)
	return &testEnv{Fake: fake, URL: srv.URL, APIKey: owner.APIKey, Org: org, Owner: owner}
}

// providerConfig is a provider block pointing at the emulator.
func (e *testEnv) providerConfig() string {
	return fmt.Sprintf(`
provider "luml" {
  base_url     = %q
  api_key      = %q
  organization = %q
}
`, e.URL, e.APIKey, e.Org.Name)
}
