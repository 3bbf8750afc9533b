package luml_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// errorCases provokes one error of each kind the API gives, through the client.
func errorCases(t *testing.T) map[string]error {
	t.Helper()
	e := newTestEnv(t, func(c *luml.Config) { c.MaxRetries = 1 })
	ctx := context.Background()
	s := e.create(s3Spec("taken"))
	used := e.create(s3Spec("used"))
	e.fake.AddOrbit(e.org.ID, used.ID, "models")
	az := e.create(azureSpec("az"))
	member := e.clientWithRole(lumlfake.RoleMember)
	stranger := e.newClient("dfs_" + strings.Repeat("z", 43))

	cases := map[string]error{}
	_, cases["401 unknown key"] = stranger.ListBucketSecrets(ctx, e.org.ID)
	_, cases["403 member"] = member.ListBucketSecrets(ctx, e.org.ID)
	_, cases["404 missing secret"] = e.client.GetBucketSecret(ctx, e.org.ID, unknownID)
	_, cases["409 duplicate"] = e.client.CreateBucketSecret(ctx, e.org.ID, s3Spec(s.BucketName))
	cases["409 in use"] = e.client.DeleteBucketSecret(ctx, e.org.ID, used.ID)
	cases["400 Azure fields"] = e.client.RawCall(ctx, http.MethodPatch, secretPath(e.org.ID, az.ID),
		`{"endpoint":"x;AccountName=a","bucket_name":"az","secure":true}`, nil)
	_, cases["422 bad UUID"] = e.client.GetBucketSecret(ctx, e.org.ID, "not-a-uuid")
	cases["422 no region"] = e.client.RawCall(ctx, http.MethodPost, secretsPath(e.org.ID),
		`{"type":"s3","endpoint":"e","bucket_name":"b","access_key":"AKIA"}`, nil)
	_, cases["500 no upload_id"] = e.client.MultipartUploadURLs(ctx, luml.MultipartRequest{
		BucketSecretID: s.ID, BucketLocation: "m", Size: 1,
	})
	e.fake.FailNext(2, lumlfake.Fault{Kind: lumlfake.Fault503})
	_, cases["503 after retries"] = e.client.ListBucketSecrets(ctx, e.org.ID)

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	offline, err := luml.New(luml.Config{BaseURL: closed.URL, APIKey: "dfs_x"})
	if err != nil {
		t.Fatal(err)
	}
	cases["connection refused"] = validateKey(offline)

	e.fake.SetLatency(time.Second)
	slow := e.newClient(e.owner.APIKey, func(c *luml.Config) {
		c.RequestTimeout = 50 * time.Millisecond
		c.MaxRetries = 0
	})
	cases["timeout"] = validateKey(slow)
	return cases
}

// TestErrors checks, on one error of each kind, the message, the matchers and unwrapping.
func TestErrors(t *testing.T) {
	cases := errorCases(t)
	t.Run("one readable sentence", func(t *testing.T) { checkOneSentence(t, cases) })
	t.Run("messages", func(t *testing.T) { checkMessages(t, cases) })
	t.Run("matchers", func(t *testing.T) { checkMatchers(t, cases) })
	t.Run("unwrapping", func(t *testing.T) { checkUnwrapping(t, cases) })
}

func checkOneSentence(t *testing.T, cases map[string]error) {
	for name, err := range cases {
		t.Run(name, func(t *testing.T) {
			if err == nil {
				t.Fatal("the call did not fail")
			}
			var apiErr *luml.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %T, want a *luml.Error", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, apiErr.Method+" /v1/") {
				t.Errorf("%q does not begin with the method and the API path", msg)
			}
			for _, noise := range []string{"{", "}", "\n", `"http`, `Get "`, `Post "`, "127.0.0.1", "msg", "loc", "detail"} {
				if strings.Contains(msg, noise) {
					t.Errorf("%q contains %q", msg, noise)
				}
			}
		})
	}
}

func checkMessages(t *testing.T, cases map[string]error) {
	want := map[string]string{
		"401 unknown key":    "answered 401 Unauthorized: Not authenticated",
		"403 member":         "answered 403 Forbidden: Not enough rights",
		"404 missing secret": "answered 404 Not Found: Secret not found",
		"409 duplicate":      "answered 409 Conflict: Bucket secret with the given bucket name and endpoint already exists",
		"409 in use":         "answered 409 Conflict: Cannot delete bucket secret that is currently used by orbits",
		"400 Azure fields":   "answered 400 Bad Request: Fields ['secure'] cannot be set for Azure bucket secrets",
		"422 bad UUID":       "answered 422 Unprocessable Entity: secret_id: Input should be a valid UUID",
		"422 no region":      "answered 422 Unprocessable Entity: region: Field required",
		"500 no upload_id":   "answered 500 Internal Server Error",
		"503 after retries":  "answered 503 Service Unavailable (after 2 attempts)",
		"connection refused": "failed: could not connect to the server",
		"timeout":            "failed: the operation timed out",
	}
	for name, err := range cases {
		if err == nil || !strings.Contains(err.Error(), want[name]) {
			t.Errorf("%s: got %v, want a message containing %q", name, err, want[name])
		}
	}
	// The 500's text/plain body is not dumped after the status, which already says it.
	if msg := cases["500 no upload_id"].Error(); strings.Count(msg, "Internal Server Error") != 1 {
		t.Errorf("%q repeats the body", msg)
	}
}

func checkMatchers(t *testing.T, cases map[string]error) {
	matchers := map[string]func(error) bool{
		"IsUnauthorized": luml.IsUnauthorized,
		"IsForbidden":    luml.IsForbidden,
		"IsNotFound":     luml.IsNotFound,
		"IsConflict":     luml.IsConflict,
	}
	wantMatcher := map[string]string{
		"401 unknown key":    "IsUnauthorized",
		"403 member":         "IsForbidden",
		"404 missing secret": "IsNotFound",
		"409 duplicate":      "IsConflict",
		"409 in use":         "IsConflict",
		"400 Azure fields":   "",
		"422 bad UUID":       "",
		"422 no region":      "",
		"500 no upload_id":   "",
		"503 after retries":  "",
		"connection refused": "",
		"timeout":            "",
	}
	for name, err := range cases {
		wrapped := fmt.Errorf("reading the bucket secret: %w", err)
		for matcherName, match := range matchers {
			want := matcherName == wantMatcher[name]
			if got := match(err); got != want {
				t.Errorf("%s(%s) = %v, want %v", matcherName, name, got, want)
			}
			if got := match(wrapped); got != want {
				t.Errorf("%s(wrapped %s) = %v, want %v", matcherName, name, got, want)
			}
		}
	}
	for matcherName, match := range matchers {
		if match(nil) || match(errors.New("404")) {
			t.Errorf("%s matches nil or an error that is not the API's", matcherName)
		}
	}
}

func checkUnwrapping(t *testing.T, cases map[string]error) {
	if !errors.Is(cases["timeout"], context.DeadlineExceeded) {
		t.Errorf("the timeout %v does not unwrap to context.DeadlineExceeded", cases["timeout"])
	}
	var apiErr *luml.Error
	if !errors.As(cases["connection refused"], &apiErr) || apiErr.StatusCode != 0 || apiErr.Err == nil {
		t.Errorf("a refused connection gives %#v, want a transport error with no status", cases["connection refused"])
	}
}

// Answers the typed client never provokes, sent raw to show how the client surfaces them.
func TestOtherErrorBodies(t *testing.T) {
	e := newTestEnv(t)
	s := e.create(s3Spec("s"))
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantDetail               string
		wantIssue                string // the validation error type, for a 422
	}{
		{
			name: "unknown type", method: http.MethodPost, path: secretsPath(e.org.ID),
			body:       `{"type":"gcs","endpoint":"e","bucket_name":"b"}`,
			wantStatus: http.StatusUnprocessableEntity, wantIssue: "union_tag_invalid",
			wantDetail: "request body: Input tag 'gcs' found using 'type' does not match any of the expected tags",
		},
		{
			name: "no body", method: http.MethodPost, path: secretsPath(e.org.ID),
			wantStatus: http.StatusUnprocessableEntity, wantIssue: "missing", wantDetail: "request body: Field required",
		},
		{
			name: "PATCH with a bad type", method: http.MethodPatch, path: secretPath(e.org.ID, s.ID),
			body:       `{"type":"gcs","endpoint":"e","bucket_name":"b","region":"r"}`,
			wantStatus: http.StatusUnprocessableEntity, wantIssue: "enum", wantDetail: "type: Input should be 's3' or 'azure'",
		},
		{
			name: "URLs for another id", method: http.MethodPost, path: secretPath(e.org.ID, s.ID) + "/urls",
			body:       `{"id":"` + unknownID + `","type":"s3"}`,
			wantStatus: http.StatusBadRequest, wantDetail: "Secret id does not match the path",
		},
		{
			name: "path without /v1", method: http.MethodGet, path: "/bucket-secrets/urls",
			wantStatus: http.StatusNotFound, wantDetail: "Not Found",
		},
		{
			name: "wrong method", method: http.MethodPut, path: secretPath(e.org.ID, s.ID), body: `{}`,
			wantStatus: http.StatusMethodNotAllowed, wantDetail: "Method Not Allowed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.client.RawCall(context.Background(), tt.method, tt.path, tt.body, nil)
			apiErr := requireAPIError(t, err, tt.wantStatus, tt.wantDetail)
			if tt.wantIssue != "" && (len(apiErr.Validation) != 1 || apiErr.Validation[0].Type != tt.wantIssue) {
				t.Errorf("validation issues %+v, want one %s", apiErr.Validation, tt.wantIssue)
			}
			if strings.ContainsAny(err.Error(), "{}\n") {
				t.Errorf("%q is not one plain sentence", err)
			}
		})
	}
}

// A base URL that points at a web site rather than the API answers 200 with HTML: the error
// must say the answer was not what the API sends, not merely "200 OK".
func TestSuccessfulAnswerThatIsNotJSON(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!doctype html><html><body>Welcome to LUML</body></html>"))
	}))
	t.Cleanup(site.Close)
	c, err := luml.New(luml.Config{BaseURL: site.URL, APIKey: "dfs_x"})
	if err != nil {
		t.Fatal(err)
	}

	_, err = c.ListOrganizations(context.Background())
	var apiErr *luml.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusOK || apiErr.Err == nil {
		t.Fatalf("got %#v, want a *luml.Error for the 200 answer with the decoding error", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "answered 200 OK") || !strings.Contains(msg, "not the JSON expected") {
		t.Errorf("%q does not say the 200 answer could not be read", msg)
	}
	if strings.Contains(msg, "<html") || strings.Contains(msg, "\n") {
		t.Errorf("%q dumps the body", msg)
	}
}

// Transport errors are told apart by what they are, not by their text.
func TestTransportErrorText(t *testing.T) {
	closed := "the connection was closed before an answer arrived"
	for name, tt := range map[string]struct {
		err  error
		want string
	}{
		"EOF":              {&url.Error{Op: "Get", URL: "http://x/v1", Err: io.EOF}, closed},
		"unexpected EOF":   {fmt.Errorf("reading the answer: %w", io.ErrUnexpectedEOF), closed},
		"connection reset": {&url.Error{Op: "Post", URL: "http://x/v1", Err: &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}}, closed},
		// Text that merely mentions EOF is some other failure, and says so.
		"EOF in a message": {&url.Error{Op: "Get", URL: "http://x/v1", Err: errors.New("tls: record overflow near EOF")}, "tls: record overflow near EOF"},
	} {
		t.Run(name, func(t *testing.T) {
			err := &luml.Error{Method: http.MethodGet, Path: "/v1", Err: tt.err}
			if want := "GET /v1 failed: " + tt.want; err.Error() != want {
				t.Errorf("got %q, want %q", err, want)
			}
		})
	}
}
