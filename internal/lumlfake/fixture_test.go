package lumlfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a settable Clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// epoch is the fixed start time of test clocks; its microseconds are
// non-zero so serialized timestamps carry a fraction.
var epoch = time.Date(2026, 8, 17, 10, 20, 30, 123456000, time.UTC)

const epochJSON = "2026-08-17T10:20:30.123456Z"

// env is a Server behind httptest with one organization and its owner.
type env struct {
	t     testing.TB
	srv   *Server
	url   string
	clock *testClock
	org   Organization
	owner User
}

func newEnv(t testing.TB) *env {
	t.Helper()
	clock := &testClock{t: epoch}
	srv := New(Options{Clock: clock.now})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	e := &env{t: t, srv: srv, url: ts.URL, clock: clock}
	e.org = srv.AddOrganization("Acme")
	e.owner = e.user(e.org, RoleOwner)
	return e
}

// user adds a user with the role in org.
func (e *env) user(org Organization, role Role) User {
	u := e.srv.AddUser(string(role) + "-" + org.Name + "@example.com")
	e.srv.AddMembership(u.ID, org.ID, role)
	return u
}

type result struct {
	status int
	header http.Header
	body   string
}

// call sends a request with key as bearer token ("" for none) and body as
// JSON ("" for none).
func (e *env) call(method, path, key, body string) result {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(req)
}

// freshConnections gives each request its own connection: after a 500 the emulator resets the
// next request on the same one, as the real server does (connections_test.go).
var freshConnections = &http.Transport{DisableKeepAlives: true}

func (e *env) send(req *http.Request) result {
	e.t.Helper()
	client := &http.Client{
		Transport:     freshConnections,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return result{resp.StatusCode, resp.Header, string(b)}
}

// as calls with the owner's key.
func (e *env) as(method, path, body string) result {
	e.t.Helper()
	return e.call(method, path, e.owner.APIKey, body)
}

func (e *env) secretsPath() string {
	return "/v1/organizations/" + e.org.ID + "/bucket-secrets"
}

func (e *env) secretPath(id string) string {
	return e.secretsPath() + "/" + id
}

// create posts a secret and returns its ID, failing on anything but 200.
func (e *env) create(body string) string {
	e.t.Helper()
	r := e.as(http.MethodPost, e.secretsPath(), body)
	if r.status != http.StatusOK {
		e.t.Fatalf("create: %d %s", r.status, r.body)
	}
	var out struct{ ID string }
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		e.t.Fatal(err)
	}
	return out.ID
}

func (e *env) stored(id string) StoredSecret {
	e.t.Helper()
	sec, ok := e.srv.Secret(id)
	if !ok {
		e.t.Fatalf("secret %s is not stored", id)
	}
	return sec
}

// expect checks status and exact body.
func (r result) expect(t *testing.T, status int, body string) {
	t.Helper()
	if r.status != status || r.body != body {
		t.Errorf("got %d %s\nwant %d %s", r.status, r.body, status, body)
	}
}

func (r result) expectInternalError(t *testing.T) {
	t.Helper()
	r.expect(t, http.StatusInternalServerError, "Internal Server Error")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("500 content type %q, want text/plain", ct)
	}
}

func ptr[T any](v T) *T { return &v }

const (
	s3Body    = `{"type":"s3","endpoint":"https://s3.eu-central-1.amazonaws.com","bucket_name":"models","region":"eu-central-1","access_key":"AKIAEXAMPLE","secret_key":"s3cr3t","secure":true}`
	azureConn = "DefaultEndpointsProtocol=https;AccountName=lumltest;AccountKey=bHVtbC10ZXN0LWFjY291bnQta2V5;EndpointSuffix=core.windows.net"
)

func azureBody(bucket string) string {
	return `{"type":"azure","endpoint":"` + azureConn + `","bucket_name":"` + bucket + `"}`
}
