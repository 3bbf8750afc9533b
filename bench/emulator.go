package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// emulator is the LUML API emulator, served in this process so that its request counters can
// be read between phases.
type emulator struct {
	fake   *lumlfake.Server
	srv    *http.Server
	url    string
	org    lumlfake.Organization
	apiKey string
}

func startEmulator(ctx context.Context) (*emulator, error) {
	fake := lumlfake.New(lumlfake.Options{})
	org := fake.AddOrganization("Bench")
	owner := fake.AddUser("owner@bench.test")
	fake.AddMembership(owner.ID, org.ID, lumlfake.RoleOwner)
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &emulator{fake: fake, srv: srv, url: "http://" + ln.Addr().String(), org: org, apiKey: owner.APIKey}, nil
}

func (e *emulator) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = e.srv.Shutdown(ctx)
}

// env is what the LUML provider needs to reach the emulator.
func (e *emulator) env() []string {
	return []string{"LUML_BASE_URL=" + e.url, "LUML_API_KEY=" + e.apiKey, "LUML_ORGANIZATION=" + e.org.ID}
}

func (e *emulator) setLatency(d time.Duration) { e.fake.SetLatency(d) }

// requests are the API requests of one phase, by kind.
type requests struct {
	OrgList    int // GET /v1/users/me/organizations
	SecretList int // GET .../bucket-secrets
	SecretGet  int // GET .../bucket-secrets/{id}
	Create     int // POST
	Update     int // PATCH
	Delete     int // DELETE
	Other      int
}

func (r requests) total() int {
	return r.OrgList + r.SecretList + r.SecretGet + r.Create + r.Update + r.Delete + r.Other
}

// perSecret are the requests that deal with bucket secrets, as opposed to the provider's
// configuration.
func (r requests) perSecret() int { return r.total() - r.OrgList }

// take counts the requests since the last call and forgets them.
func (e *emulator) take() requests {
	var r requests
	for _, req := range e.fake.Requests() {
		p := req.Path
		switch {
		case req.Method == http.MethodGet && p == "/v1/users/me/organizations":
			r.OrgList++
		case req.Method == http.MethodGet && strings.HasSuffix(p, "/bucket-secrets"):
			r.SecretList++
		case req.Method == http.MethodGet && strings.Contains(p, "/bucket-secrets/"):
			r.SecretGet++
		case req.Method == http.MethodPost && strings.HasSuffix(p, "/bucket-secrets"):
			r.Create++
		case req.Method == http.MethodPatch:
			r.Update++
		case req.Method == http.MethodDelete:
			r.Delete++
		default:
			r.Other++
		}
	}
	e.fake.ResetRequests()
	return r
}
