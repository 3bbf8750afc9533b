package luml_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

func TestConnectionTestURLs(t *testing.T) {
	tests := []struct {
		name          string
		spec          luml.SecretSpec
		wantSigned    string   // what shows each URL is signed
		wantPerObject []string // what tells the three URLs apart, in order PUT, GET, DELETE
	}{
		{name: "S3", spec: s3Spec("tested"), wantSigned: "X-Amz-Signature=", wantPerObject: []string{"", "", ""}},
		{name: "Azure", spec: azureSpec("tested"), wantSigned: "sig=", wantPerObject: []string{"sp=cw", "sp=r", "sp=d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			urls, err := e.client.ConnectionTestURLs(context.Background(), tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			for i, u := range []string{urls.PresignedURL, urls.DownloadURL, urls.DeleteURL} {
				if !strings.Contains(u, "/test_file?") || !strings.Contains(u, tt.wantSigned) || !strings.Contains(u, tt.wantPerObject[i]) {
					t.Errorf("URL %d is not a signed URL of test_file with %q", i, tt.wantPerObject[i])
				}
			}
			r := e.lastRequest(http.MethodPost, "/v1/bucket-secrets/urls")
			var body struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil || body.Type != string(tt.spec.Type()) {
				t.Errorf("the body's type is %q (%v), want %q", body.Type, err, tt.spec.Type())
			}
			if n := len(e.fake.Secrets(e.org.ID)); n != 0 {
				t.Errorf("asking for test URLs stored %d secrets", n)
			}
		})
	}
}

func TestExistingSecretURLs(t *testing.T) {
	tests := []struct {
		name       string
		spec       luml.SecretSpec
		wantSigned string
	}{
		{name: "S3", spec: s3Spec("existing"), wantSigned: "X-Amz-Signature="},
		{name: "Azure", spec: azureSpec("existing"), wantSigned: "sig="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			s := e.create(tt.spec)
			urls, err := e.client.ExistingSecretURLs(context.Background(), e.org.ID, s.ID, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(urls.PresignedURL, tt.wantSigned) || !strings.Contains(urls.DeleteURL, tt.wantSigned) {
				t.Errorf("the URLs are not signed (%q)", tt.wantSigned)
			}
			r := e.lastRequest(http.MethodPost, secretPath(e.org.ID, s.ID)+"/urls")
			var body struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			// The type defaults to s3 on the server, which refuses an Azure secret asked for
			// without its type (API.md, "Connection-test URLs"): the client names it.
			if body.ID != s.ID || body.Type != string(tt.spec.Type()) {
				t.Errorf("the body carries id %q and type %q, want %s and %q", body.ID, body.Type, s.ID, tt.spec.Type())
			}
		})
	}
}

func TestExistingSecretURLsOfAForeignSecret(t *testing.T) {
	e := newTestEnv(t)
	other := e.fake.AddOrganization("Other")
	foreign := e.fake.InsertSecret(other.ID, lumlfake.StoredSecret{Endpoint: "e", BucketName: "b", Region: ptr("r")})
	_, err := e.client.ExistingSecretURLs(context.Background(), e.org.ID, foreign.ID, s3Spec("b"))
	requireAPIError(t, err, http.StatusNotFound, msgNotFound)
}

// objectStore serves a lumlfake.ObjectStore and returns it with its host:port.
func objectStore(t *testing.T) (*lumlfake.ObjectStore, string) {
	t.Helper()
	store := lumlfake.NewObjectStore()
	srv := httptest.NewServer(store)
	t.Cleanup(srv.Close)
	return store, strings.TrimPrefix(srv.URL, "http://")
}

// s3SpecAt is an S3 configuration for a bucket on the plain-HTTP host.
func s3SpecAt(host string) luml.S3Spec {
	spec := s3Spec("checked")
	spec.Endpoint = host
	spec.Region = "us-east-1"
	spec.Secure = ptr(false)
	return spec
}

// azureSpecAt is an Azure configuration whose blob service is the plain-HTTP host.
func azureSpecAt(host string) luml.AzureSpec {
	return luml.AzureSpec{
		ConnectionString: azureConnectionString("devaccount", "dev-account-key", "http://"+host+"/devaccount"),
		ContainerName:    "checked",
	}
}

func TestCheckConnectionSucceeds(t *testing.T) {
	tests := []struct {
		name     string
		spec     func(host string) luml.SecretSpec
		existing bool
	}{
		{name: "S3", spec: func(h string) luml.SecretSpec { return s3SpecAt(h) }},
		{name: "Azure", spec: func(h string) luml.SecretSpec { return azureSpecAt(h) }},
		{name: "S3 saved secret", spec: func(h string) luml.SecretSpec { return s3SpecAt(h) }, existing: true},
		{name: "Azure saved secret", spec: func(h string) luml.SecretSpec { return azureSpecAt(h) }, existing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			store, host := objectStore(t)
			spec := tt.spec(host)
			var existingID string
			if tt.existing {
				existingID = e.create(spec).ID
			}
			if err := e.client.CheckConnection(context.Background(), e.org.ID, existingID, spec); err != nil {
				t.Fatal(err)
			}
			for _, m := range []string{http.MethodPut, http.MethodGet, http.MethodDelete} {
				if n := store.Count(m); n != 1 {
					t.Errorf("%d %s requests reached the bucket, want 1", n, m)
				}
			}
			wantSecrets := 0
			if tt.existing {
				wantSecrets = 1
			}
			if n := len(e.fake.Secrets(e.org.ID)); n != wantSecrets {
				t.Errorf("%d secrets stored after the check, want %d: a check saves nothing", n, wantSecrets)
			}
		})
	}
}

func TestCheckConnectionFailures(t *testing.T) {
	tests := []struct {
		name        string
		setup       func(store *lumlfake.ObjectStore)
		spec        func(host string) luml.SecretSpec
		wantStep    string
		wantText    string
		wantDeletes int
	}{
		{
			name:  "range requests not supported",
			setup: func(s *lumlfake.ObjectStore) { s.SetRangeSupport(false) },
			spec:  func(h string) luml.SecretSpec { return s3SpecAt(h) },
			// The test object is still removed.
			wantStep: "range", wantText: "expected 206, got 200", wantDeletes: 1,
		},
		{
			name:     "upload refused",
			setup:    func(s *lumlfake.ObjectStore) { s.SetFailPut(http.StatusForbidden) },
			spec:     func(h string) luml.SecretSpec { return s3SpecAt(h) },
			wantStep: "upload", wantText: "answered 403 Forbidden",
		},
		{
			name:     "Azure upload refused",
			setup:    func(s *lumlfake.ObjectStore) { s.SetFailPut(http.StatusInternalServerError) },
			spec:     func(h string) luml.SecretSpec { return azureSpecAt(h) },
			wantStep: "upload", wantText: "answered 500 Internal Server Error",
		},
		{
			name:     "bucket host unreachable",
			spec:     func(string) luml.SecretSpec { return s3SpecAt("127.0.0.1:1") },
			wantStep: "upload", wantText: "could not connect",
		},
		{
			name: "no test URLs for the configuration",
			spec: func(string) luml.SecretSpec {
				return luml.AzureSpec{ConnectionString: "not a connection string", ContainerName: "c"}
			},
			wantStep: "urls", wantText: "Failed to create Azure Blob Service client",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			store, host := objectStore(t)
			if tt.setup != nil {
				tt.setup(store)
			}
			err := e.client.CheckConnection(context.Background(), e.org.ID, "", tt.spec(host))
			var checkErr *luml.ConnectionCheckError
			if !errors.As(err, &checkErr) {
				t.Fatalf("got %v, want a *ConnectionCheckError", err)
			}
			if checkErr.Step != tt.wantStep || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("step %q, %q: want step %q saying %q", checkErr.Step, err, tt.wantStep, tt.wantText)
			}
			if n := store.Count(http.MethodDelete); n != tt.wantDeletes {
				t.Errorf("%d DELETE requests reached the bucket, want %d", n, tt.wantDeletes)
			}
			// The URLs are credentials for 12 hours: no part of them in the message.
			for _, leak := range []string{"http://", "https://", "?", "X-Amz-", "sig=", "test_file"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("%q contains %q", err, leak)
				}
			}
		})
	}
}

// The server builds a storage client to sign URLs; what it refuses is a 400 or, from an
// uncaught exception, a bare 500 (internal/lumlfake/API.md, "Connection-test URLs").
func TestConnectionTestURLsFailures(t *testing.T) {
	e := newTestEnv(t)
	withS3 := func(change func(*luml.S3Spec)) luml.SecretSpec {
		spec := s3Spec("b")
		change(&spec)
		return spec
	}
	tests := []struct {
		name       string
		spec       luml.SecretSpec
		wantStatus int
		wantDetail string
	}{
		{"S3 region that is not one", withS3(func(s *luml.S3Spec) { s.Region = "not a region!" }), http.StatusInternalServerError, "Internal Server Error"},
		{"S3 access key without secret key", withS3(func(s *luml.S3Spec) { s.SecretKey = nil }), http.StatusInternalServerError, "Internal Server Error"},
		{"S3 endpoint with a path", withS3(func(s *luml.S3Spec) { s.Endpoint = "s3.example.com/bucket" }), http.StatusInternalServerError, "Internal Server Error"},
		{"Azure without AccountName", luml.AzureSpec{ConnectionString: "AccountKey=a2V5", ContainerName: "c"}, http.StatusBadRequest, "Failed to create Azure Blob Service client."},
		{"Azure without AccountKey", luml.AzureSpec{ConnectionString: "AccountName=a;EndpointSuffix=core.windows.net", ContainerName: "c"}, http.StatusInternalServerError, "Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client.ConnectionTestURLs(context.Background(), tt.spec)
			requireAPIError(t, err, tt.wantStatus, tt.wantDetail)
		})
	}
}
