package provider

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	fake := lumlfake.New(lumlfake.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	org, owner := fake.AddOwnedOrganization("Acme", "owner@acme.test")
	return &testEnv{Fake: fake, URL: srv.URL, APIKey: owner.APIKey, Org: org, Owner: owner}
}

// joinOrganization adds an organization in which the owner has role.
func (e *testEnv) joinOrganization(name string, role lumlfake.Role) lumlfake.Organization {
	org := e.Fake.AddOrganization(name)
	e.Fake.AddMembership(e.Owner.ID, org.ID, role)
	return org
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

func TestAccProvider_configurationErrors(t *testing.T) {
	e := newTestEnv(t)
	e.joinOrganization("Acme", lumlfake.RoleAdmin) // the owner's name alone is now ambiguous
	beta := e.Fake.AddOrganization("Beta")
	member := e.Fake.AddUser("member@beta.test")
	e.Fake.AddMembership(member.ID, beta.ID, lumlfake.RoleMember)
	twoOrgs := e.Fake.AddUser("two@orgs.test")
	e.Fake.AddMembership(twoOrgs.ID, e.Org.ID, lumlfake.RoleAdmin)
	e.Fake.AddMembership(twoOrgs.ID, beta.ID, lumlfake.RoleAdmin)

	block := func(baseURL, apiKey, organization string) string {
		return fmt.Sprintf(`
provider "luml" {
  base_url     = %q
  api_key      = %q
  organization = %q
}

data "luml_bucket_secrets" "all" {}
`, baseURL, apiKey, organization)
	}
	cases := map[string]struct {
		config string
		want   string
	}{
		"malformed base_url": {
			config: block("api.luml.ai", e.APIKey, e.Org.ID),
			want:   `(?s)Invalid LUML base URL.*https://`,
		},
		"base_url with a query": {
			config: block(e.URL+"?x=1", e.APIKey, e.Org.ID),
			want:   `(?s)Invalid LUML base URL.*query`,
		},
		"empty API key": {
			config: block(e.URL, "", e.Org.ID),
			want:   `(?s)Missing LUML API key.*LUML_API_KEY`,
		},
		"API key of another format": {
			config: block(e.URL, "luml_your_api_key", e.Org.ID),
			want:   `(?s)Invalid LUML API key.*dfs_`,
		},
		"rejected API key": {
			config: block(e.URL, "dfs_"+strings.Repeat("x", 43), e.Org.ID),
			want:   `(?s)LUML API key rejected.*401`,
		},
		"unknown organization": {
			config: block(e.URL, twoOrgs.APIKey, "Gamma"),
			want:   `(?s)Unable to choose the LUML organization.*"Gamma".*"Acme".*"Beta"`,
		},
		"ambiguous organization name": {
			config: block(e.URL, e.APIKey, "Acme"),
			want:   `(?s)2 organizations are named "Acme".*` + e.Org.ID,
		},
		"several organizations and none chosen": {
			config: strings.Replace(block(e.URL, twoOrgs.APIKey, ""), `organization = ""`, "", 1),
			want:   `(?s)belongs to 2 organizations.*"Beta"`,
		},
		"member role": {
			config: block(e.URL, member.APIKey, "Beta"),
			want:   `(?s)Not enough rights.*member.*owners and admins`,
		},
		"negative max_retries": {
			config: strings.Replace(block(e.URL, e.APIKey, e.Org.ID), "organization", "max_retries = -1\n  organization", 1),
			want:   `(?s)max_retries.*between 0 and 20`,
		},
		"request_timeout without a unit": {
			config: strings.Replace(block(e.URL, e.APIKey, e.Org.ID), "organization", "request_timeout = \"30\"\n  organization", 1),
			want:   `(?s)Invalid duration.*request_timeout = "30".*"30" is not a duration.*"30s"`,
		},
		"zero request_timeout": {
			config: strings.Replace(block(e.URL, e.APIKey, e.Org.ID), "organization", "request_timeout = \"0s\"\n  organization", 1),
			want:   `(?s)Invalid duration.*positive duration.*30s`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: c.config, ExpectError: regexp.MustCompile(c.want)}},
			})
		})
	}
	if n := e.mutatingRequests(); n != 0 {
		t.Errorf("bad provider configurations sent %d mutating requests", n)
	}
}

func TestAccProvider_environment(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv(envBaseURL, e.URL)
	t.Setenv(envAPIKey, e.APIKey)
	t.Setenv(envOrganization, e.Org.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Configuration wins over the environment.
				Config: `
provider "luml" {
  api_key = "dfs_` + strings.Repeat("y", 43) + `"
}

data "luml_bucket_secrets" "all" {}
`,
				ExpectError: regexp.MustCompile(`LUML API key rejected`),
			},
			{
				// Everything from the environment; an organization ID in upper case matches.
				Config: `
provider "luml" {
  organization = "` + strings.ToUpper(e.Org.ID) + `"
}

data "luml_bucket_secrets" "all" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.luml_bucket_secrets.all", tfjsonpath.New("organization_id"), knownvalue.StringExact(e.Org.ID)),
				},
			},
		},
	})
}

func TestAccProvider_userAgent(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.providerConfig() + `data "luml_bucket_secrets" "all" {}`,
			Check: func(*terraform.State) error {
				for _, r := range e.Fake.Requests() {
					if ua := r.Header.Get("User-Agent"); !regexp.MustCompile(`^terraform-provider-luml/test Terraform/\d+\.\d+\.\d+`).MatchString(ua) {
						return fmt.Errorf("User-Agent %q", ua)
					}
				}
				return nil
			},
		}},
	})
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
