package luml_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// The API key never follows a redirect to another scheme or host: the client refuses it,
// names both locations without their query strings, and does not retry.
func TestRedirectsStayOnTheAPIsOrigin(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the Authorization header reached %s", r.Host)
		}
	}))
	t.Cleanup(other.Close)

	redirectTo := func(target func(r *http.Request) string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target(r), http.StatusTemporaryRedirect)
		}
	}
	plain := httptest.NewServer(redirectTo(func(*http.Request) string { return other.URL + "/v1/moved?signature=s3cr3t" }))
	t.Cleanup(plain.Close)
	var tlsRequests atomic.Int32
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tlsRequests.Add(1)
		http.Redirect(w, r, "http://"+r.Host+r.URL.Path+"?token=s3cr3t", http.StatusMovedPermanently)
	}))
	t.Cleanup(secure.Close)

	cases := []struct {
		name       string
		base       string
		client     *http.Client
		from, into string
	}{
		{"another host", plain.URL, nil, plain.URL + "/v1/users/me/organizations", other.URL + "/v1/moved"},
		{"https to http on the same host", secure.URL, secure.Client(), secure.URL + "/v1/users/me/organizations",
			"http://" + strings.TrimPrefix(secure.URL, "https://") + "/v1/users/me/organizations"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client, err := luml.New(luml.Config{BaseURL: c.base, APIKey: "dfs_redirected", HTTPClient: c.client, MaxRetries: 3})
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.ResolveOrganization(context.Background(), "")
			var redirect *luml.RedirectError
			if !errors.As(err, &redirect) {
				t.Fatalf("got %v, want a refused redirect", err)
			}
			if redirect.From != c.from || redirect.To != c.into {
				t.Errorf("the error names %s -> %s, want %s -> %s", redirect.From, redirect.To, c.from, c.into)
			}
			if msg := err.Error(); !strings.Contains(msg, c.from) || !strings.Contains(msg, c.into) || strings.Contains(msg, "s3cr3t") {
				t.Errorf("the message does not name both locations, or shows a query string: %s", msg)
			}
		})
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("%d requests reached the other host", n)
	}
	if n := tlsRequests.Load(); n != 1 {
		t.Errorf("the refused redirect was retried: %d requests, want 1", n)
	}
}

// A redirect on the API's own scheme and host is followed, with the key.
func TestSameOriginRedirectFollowed(t *testing.T) {
	e := newTestEnv(t)
	mux := http.NewServeMux()
	mux.Handle("/old/", http.StripPrefix("/old", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusTemporaryRedirect)
	})))
	mux.Handle("/", e.fake)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	client, err := luml.New(luml.Config{BaseURL: srv.URL + "/old", APIKey: e.owner.APIKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.ResolveOrganization(context.Background(), ""); err != nil {
		t.Fatalf("a redirect on the same origin was not followed: %v", err)
	}
}
