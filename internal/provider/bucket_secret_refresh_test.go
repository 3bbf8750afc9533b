package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// listedLate serves the emulator and, while hidden names a secret, answers each list of the
// organization's secrets as if that secret were created just after it: the secret is taken
// out of the emulator for the list and put back, with its ID, before the answer leaves.
type listedLate struct {
	env    *testEnv
	hidden atomic.Pointer[string]
}

func (l *listedLate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id := l.hidden.Load(); id != nil && r.Method == http.MethodGet && r.URL.Path == l.env.secretsPath() {
		if s, ok := l.env.Fake.Secret(*id); ok {
			l.env.Fake.DeleteSecret(s.ID)
			defer l.env.Fake.InsertSecret(s.OrganizationID, s)
		}
	}
	l.env.Fake.ServeHTTP(w, r)
}

func (e *testEnv) secretsPath() string { return "/v1/organizations/" + e.Org.ID + "/bucket-secrets" }

// expectRefreshRequests checks, as a plan check, what the commands since the last reset sent
// besides organization lookups: lists list requests of the test organization's secrets, a GET
// of each secret named by gets (in any organization), and no other request but the GETs of the
// reads that came before a quorum of them (luml.RefreshListQuorum), when their plan started
// too slowly for them to wait for each other.
func (e *testEnv) expectRefreshRequests(lists int, gets ...func() string) plancheck.PlanCheck {
	return requestsCheck(func() error {
		gotLists, others := 0, 0
		got := map[string]int{}
		for _, r := range e.Fake.Requests() {
			parent, id, isSecret := strings.Cut(r.Path, "/bucket-secrets/")
			switch {
			case r.Method == http.MethodGet && r.Path == e.secretsPath():
				gotLists++
			case r.Method == http.MethodGet && isSecret && strings.HasPrefix(parent, "/v1/organizations/"):
				got[id]++
			case r.Method == http.MethodGet && r.Path == "/v1/users/me/organizations":
			default:
				others++
			}
		}
		if gotLists != lists || others != 0 {
			return fmt.Errorf("the refresh sent %d list requests and %d requests other than GETs, want %d list requests "+
				"and no other", gotLists, others, lists)
		}
		for _, id := range gets {
			if got[id()] != 1 {
				return fmt.Errorf("the refresh sent %d GETs of secret %s, want 1", got[id()], id())
			}
			delete(got, id())
		}
		early := 0
		for id, n := range got {
			if n != 1 {
				return fmt.Errorf("the refresh sent %d GETs of secret %s, want at most 1", n, id)
			}
			early += n
		}
		if early >= luml.RefreshListQuorum {
			return fmt.Errorf("the refresh read %d secrets found in the list with their own GET, want fewer than %d",
				early, luml.RefreshListQuorum)
		}
		return nil
	})
}

func refreshConfig(url, apiKey, org string, n int) string {
	return fmt.Sprintf(`
provider "luml" {
  base_url     = %q
  api_key      = %q
  organization = %q
}

resource "luml_bucket_secret" "s" {
  count       = %d
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "refresh-${count.index}"
  region      = "eu-central-1"
}
`, url, apiKey, org, n)
}

// TestAccBucketSecret_refreshFromTheList refreshes more secrets than Terraform reads at once:
// one list serves them all, and drift of every kind is found as with one GET per secret.
func TestAccBucketSecret_refreshFromTheList(t *testing.T) {
	e := newTestEnv(t)
	late := &listedLate{env: e}
	srv := httptest.NewServer(late)
	t.Cleanup(srv.Close)
	config := refreshConfig(srv.URL, e.APIKey, e.Org.Name, economyCount)
	// Another organization's secret, read alone: its own GET.
	other := e.joinOrganization("Other", lumlfake.RoleOwner)
	config += fmt.Sprintf(`
resource "luml_bucket_secret" "other" {
  organization_id = %q
  endpoint        = "s3.eu-central-1.amazonaws.com"
  bucket_name     = "other"
  region          = "eu-central-1"
}
`, other.ID)
	ids := map[string]string{} // by address
	id := func(addr string) func() string { return func() string { return ids[addr] } }
	remember := func(s *terraform.State) error {
		// The legacy state names count instances luml_bucket_secret.s.1.
		for addr, r := range s.RootModule().Resources {
			if i := strings.LastIndex(addr, "."); strings.Count(addr, ".") == 2 {
				addr = addr[:i] + "[" + addr[i+1:] + "]"
			}
			ids[addr] = r.Primary.ID
		}
		return nil
	}
	s := func(i int) string { return fmt.Sprintf("luml_bucket_secret.s[%d]", i) }
	var orbit lumlfake.Orbit

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{Config: config, Check: remember},
			{
				// No change: one list, and no GET but the other organization's.
				PreConfig: e.Fake.ResetRequests,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						e.expectRefreshRequests(1, id("luml_bucket_secret.other")),
					},
				},
			},
			{
				// Drift behind Terraform's back: a changed region, a deleted secret, an orbit
				// attached. The deleted secret, missing from the list, is confirmed by its GET.
				PreConfig: func() {
					e.Fake.ModifySecret(ids[s(1)], func(sec *lumlfake.StoredSecret) { sec.Region = ptr("us-west-2") })
					e.Fake.DeleteSecret(ids[s(2)])
					orbit = e.Fake.AddOrbit(e.Org.ID, ids[s(3)], "churn")
					e.Fake.ResetRequests()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(s(0), plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(s(1), plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(s(1), tfjsonpath.New("region"), knownvalue.StringExact("eu-central-1")),
						plancheck.ExpectResourceAction(s(2), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(s(3), plancheck.ResourceActionNoop),
						e.expectRefreshRequests(1, id(s(2)), id("luml_bucket_secret.other")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(s(3), tfjsonpath.New("orbits"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.NotNull(), "name": knownvalue.StringExact("churn"),
						}),
					})),
					statecheck.ExpectKnownValue(s(1), tfjsonpath.New("region"), knownvalue.StringExact("eu-central-1")),
				},
				Check: remember,
			},
			{
				// A secret created after the list was taken, as far as the list shows: its own
				// GET finds it, and it stays in the state.
				PreConfig: func() {
					e.Fake.RemoveOrbit(orbit.ID)
					hidden := ids[s(4)]
					late.hidden.Store(&hidden)
					e.Fake.ResetRequests()
				},
				Config:   config,
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						e.expectRefreshRequests(1, id(s(4)), id("luml_bucket_secret.other")),
					},
				},
			},
		},
	})
}

// TestAccBucketSecret_refreshOfOneSecret refreshes one secret of an organization of many: one
// GET, and never the organization's list.
func TestAccBucketSecret_refreshOfOneSecret(t *testing.T) {
	e := newTestEnv(t)
	for i := range 3 * economyCount {
		e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
			Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: fmt.Sprintf("unmanaged-%d", i), Region: ptr("eu-central-1"),
		})
	}
	config := refreshConfig(e.URL, e.APIKey, e.Org.Name, 1)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := e.Fake.Secret(id); ok {
				return fmt.Errorf("secret %s left on the server after destroy", id)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources["luml_bucket_secret.s.0"].Primary.ID
					return nil
				},
			},
			{
				PreConfig: e.Fake.ResetRequests,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						requestsCheck(func() error {
							reads := e.Fake.CountRequests(http.MethodGet, e.secretsPath())
							gets := e.Fake.CountRequests(http.MethodGet, e.secretsPath()+"/"+id)
							if reads != 1 || gets != 1 {
								return fmt.Errorf("refreshing one secret sent %d requests for the organization's secrets, "+
									"%d of them GETs of the secret; want its GET only", reads, gets)
							}
							return nil
						}),
					},
				},
			},
		},
	})
}
