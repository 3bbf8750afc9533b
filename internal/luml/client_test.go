package luml_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

func TestRequestHeaders(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	s := e.create(s3Spec("headers"))
	if _, err := e.client.GetBucketSecret(ctx, e.org.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.client.DeleteBucketSecret(ctx, e.org.ID, s.ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		method, path    string
		wantContentType string
	}{
		{http.MethodPost, secretsPath(e.org.ID), "application/json"},
		{http.MethodGet, secretPath(e.org.ID, s.ID), ""},
		{http.MethodDelete, secretPath(e.org.ID, s.ID), ""},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			h := e.lastRequest(tt.method, tt.path).Header
			if h.Get("Authorization") != "Bearer "+e.owner.APIKey {
				t.Error("the Authorization header is not Bearer and the API key") // never print the key
			}
			for name, want := range map[string]string{
				"Accept":       "application/json",
				"User-Agent":   testUserAgent,
				"Content-Type": tt.wantContentType,
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s is %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestDefaultUserAgent(t *testing.T) {
	e := newTestEnv(t)
	c := e.newClient(e.owner.APIKey, func(c *luml.Config) { c.UserAgent = "" })
	if err := validateKey(c); err != nil {
		t.Fatal(err)
	}
	if got := e.lastRequest(http.MethodGet, "/v1/auth/api-keys/validate").Header.Get("User-Agent"); got != "terraform-provider-luml" {
		t.Errorf("User-Agent %q, want terraform-provider-luml", got)
	}
}

// The base URL may carry a path, as behind a reverse proxy; /v1 goes below it.
func TestBaseURLWithPath(t *testing.T) {
	fake := lumlfake.New(lumlfake.Options{})
	mux := http.NewServeMux()
	mux.Handle("/luml/api/", http.StripPrefix("/luml/api", fake))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	org, u := fake.AddOwnedOrganization("Acme", "u@acme.test")

	c, err := luml.New(luml.Config{BaseURL: srv.URL + "/luml/api/", APIKey: u.APIKey})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ResolveOrganization(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != org.ID {
		t.Errorf("got %v, want Acme", got)
	}
}

func TestNewRejectsABadConfiguration(t *testing.T) {
	tests := []struct {
		name    string
		cfg     luml.Config
		wantErr string
	}{
		{"empty API key", luml.Config{APIKey: " "}, "API key is empty"},
		{"no scheme", luml.Config{BaseURL: "api.luml.ai", APIKey: "dfs_x"}, "must start with https://"},
		{"other scheme", luml.Config{BaseURL: "ftp://api.luml.ai", APIKey: "dfs_x"}, "must start with https://"},
		{"no host", luml.Config{BaseURL: "https://", APIKey: "dfs_x"}, "has no host"},
		{"query", luml.Config{BaseURL: "https://api.luml.ai/?x=1", APIKey: "dfs_x"}, "must not carry"},
		{"credentials", luml.Config{BaseURL: "https://u:p@api.luml.ai", APIKey: "dfs_x"}, "must not carry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := luml.New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error saying %q", err, tt.wantErr)
			}
		})
	}
	if _, err := luml.New(luml.Config{APIKey: "dfs_x"}); err != nil {
		t.Errorf("the default base URL: %v", err)
	}
}

func TestNormalizeEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"https://s3.x.com": "s3.x.com",
		"http://s3.x.com":  "s3.x.com",
		"http://https://a": "a",
		"https://http://a": "http://a",
		"HTTPS://a":        "HTTPS://a",
		"s3.x.com/":        "s3.x.com/",
		"":                 "",
	} {
		if got := luml.NormalizeEndpoint(in); got != want {
			t.Errorf("NormalizeEndpoint(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConcurrentUseOfOneClient(t *testing.T) {
	e := newTestEnv(t)
	const workers = 50
	var wg sync.WaitGroup
	ids := make([]string, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			bucket := fmt.Sprintf("bucket-%02d", i)
			if _, err := e.client.ResolveOrganization(ctx, "Acme"); err != nil {
				t.Errorf("worker %d resolving the organization: %v", i, err)
				return
			}
			s, err := e.client.CreateBucketSecret(ctx, e.org.ID, s3Spec(bucket))
			if err != nil {
				t.Errorf("worker %d creating: %v", i, err)
				return
			}
			got, err := e.client.GetBucketSecret(ctx, e.org.ID, s.ID)
			if err != nil {
				t.Errorf("worker %d reading: %v", i, err)
				return
			}
			if got.BucketName != bucket {
				t.Errorf("worker %d read bucket %q, want %q", i, got.BucketName, bucket)
			}
			ids[i] = s.ID
		}()
	}
	wg.Wait()

	list, err := e.client.ListBucketSecrets(context.Background(), e.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != workers {
		t.Errorf("%d secrets listed, want %d", len(list), workers)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	if len(seen) != workers {
		t.Errorf("%d distinct IDs, want %d", len(seen), workers)
	}
	if n := e.fake.CountRequests(http.MethodGet, organizationsPath); n != 1 {
		t.Errorf("%d requests for the organizations, want 1 for the whole client", n)
	}
}
