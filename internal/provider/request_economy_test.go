package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// economyCount is how many secrets and data sources the request economy tests manage: more
// than Terraform's default parallelism of 10, so that calls overlap and also follow each other.
const economyCount = 12

// countingServer serves the provider and counts how often Terraform configures it. In a real
// run that is once per provider process; here, where the provider is served in-process, once
// per Terraform command that needs it configured.
type countingServer struct {
	tfprotov6.ProviderServer
	configures *atomic.Int64
}

func (s countingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	s.configures.Add(1)
	return s.ProviderServer.ConfigureProvider(ctx, req)
}

// economy counts, between two resets, the emulator's requests and the provider's configurations.
type economy struct {
	env        *testEnv
	configures atomic.Int64
}

func (x *economy) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"luml": func() (tfprotov6.ProviderServer, error) {
			srv, err := providerserver.NewProtocol6WithError(New("test")())()
			return countingServer{ProviderServer: srv, configures: &x.configures}, err
		},
	}
}

func (x *economy) reset() {
	x.env.Fake.ResetRequests()
	x.configures.Store(0)
}

// requestCounts are the requests since the last reset.
type requestCounts struct {
	orgLists    int
	secretLists int
	posts       int
	others      int            // PATCH, DELETE and anything else
	gets        map[string]int // GETs of single secrets, by path
}

func (x *economy) counts() requestCounts {
	secrets := "/v1/organizations/" + x.env.Org.ID + "/bucket-secrets"
	c := requestCounts{gets: map[string]int{}}
	for _, r := range x.env.Fake.Requests() {
		switch {
		case r.Method == http.MethodGet && r.Path == "/v1/users/me/organizations":
			c.orgLists++
		case r.Method == http.MethodGet && r.Path == secrets:
			c.secretLists++
		case r.Method == http.MethodGet && strings.HasPrefix(r.Path, secrets+"/"):
			c.gets[r.Path]++
		case r.Method == http.MethodPost && r.Path == secrets:
			c.posts++
		default:
			c.others++
		}
	}
	return c
}

// orgListPerProcess checks that each configuration of the provider listed the organizations
// once, and nothing else did.
func (x *economy) orgListPerProcess(c requestCounts) error {
	if configures := int(x.configures.Load()); c.orgLists != configures {
		return fmt.Errorf("the organizations were listed %d times by %d provider configurations, want once each",
			c.orgLists, configures)
	}
	return nil
}

// requestsCheck runs f as a plan check, to count the requests of the commands so far.
type requestsCheck func() error

func (f requestsCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

func TestAccRequestEconomy(t *testing.T) {
	e := newTestEnv(t)
	x := &economy{env: e}
	secrets := e.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "economy" {
  count       = %d
  endpoint    = "s3.example.com"
  bucket_name = "economy-${count.index}"
  region      = "us-east-1"
}
`, economyCount)
	dataSources := secrets + fmt.Sprintf(`
data "luml_bucket_secret" "by_name" {
  count       = %d
  bucket_name = "economy-${count.index}"
}
`, economyCount)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: x.factories(),
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				// A plan and an apply that create the secrets: one POST and at most one GET
				// per secret.
				PreConfig: x.reset,
				Config:    secrets,
				Check: func(*terraform.State) error {
					c := x.counts()
					if c.posts != economyCount || c.secretLists != 0 || c.others != 0 {
						return fmt.Errorf("creating %d secrets sent %d POST, %d list and %d other requests, want %d POST only",
							economyCount, c.posts, c.secretLists, c.others, economyCount)
					}
					for p, n := range c.gets {
						if n > 1 {
							return fmt.Errorf("creating a secret sent %d GET %s, want at most 1", n, p)
						}
					}
					return x.orgListPerProcess(c)
				},
			},
			{
				// A plan without refresh, then a plan with: the refresh of more secrets than a
				// quorum costs one list of the organization, and no GET.
				PreConfig: x.reset,
				Config:    secrets,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{requestsCheck(func() error {
						c := x.counts()
						if c.secretLists != 1 || len(c.gets) != 0 || c.posts != 0 || c.others != 0 {
							return fmt.Errorf("refreshing %d secrets sent %d list, %d GET, %d POST and %d other "+
								"requests; want one list and nothing else", economyCount, c.secretLists, len(c.gets),
								c.posts, c.others)
						}
						return x.orgListPerProcess(c)
					})},
				},
			},
			{
				// Two plans, each reading every data source by bucket name and refreshing every
				// secret: one list each, which serves both.
				PreConfig: x.reset,
				Config:    dataSources,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{requestsCheck(func() error {
						c := x.counts()
						if configures := int(x.configures.Load()); c.secretLists != configures {
							return fmt.Errorf("%d data sources looking up by bucket name sent %d list requests in %d "+
								"plans, want one per plan", economyCount, c.secretLists, configures)
						}
						if len(c.gets) != 0 || c.posts != 0 || c.others != 0 {
							return fmt.Errorf("the plans read %d secrets with %d POST and %d other requests, want "+
								"the refresh of the %d resources from the data sources' list", len(c.gets), c.posts,
								c.others, economyCount)
						}
						return x.orgListPerProcess(c)
					})},
				},
			},
		},
	})
}

// inFlight serves the emulator and keeps the highest number of requests it answered at once.
type inFlight struct {
	next      http.Handler
	now, peak atomic.Int64
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.now.Add(1)
	defer f.now.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	f.next.ServeHTTP(w, r)
}

// TestAccRequestEconomy_parallel checks that nothing in the provider serialises requests: with
// every answer delayed, Terraform's ten parallel creates are all in flight at once.
func TestAccRequestEconomy_parallel(t *testing.T) {
	const parallelism = 10 // Terraform's default
	e := newTestEnv(t)
	e.Fake.SetLatency(250 * time.Millisecond)
	counter := &inFlight{next: e.Fake}
	srv := httptest.NewServer(counter)
	t.Cleanup(srv.Close)
	config := fmt.Sprintf(`
provider "luml" {
  base_url     = %q
  api_key      = %q
  organization = %q
}

resource "luml_bucket_secret" "parallel" {
  count       = %d
  endpoint    = "s3.example.com"
  bucket_name = "parallel-${count.index}"
  region      = "us-east-1"
}
`, srv.URL, e.APIKey, e.Org.Name, 2*parallelism)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				if peak := counter.peak.Load(); peak < parallelism {
					return fmt.Errorf("at most %d requests were in flight at once, want Terraform's parallelism, %d", peak, parallelism)
				}
				return nil
			},
		}},
	})
}
