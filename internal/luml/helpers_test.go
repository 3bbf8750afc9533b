package luml_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const testUserAgent = "terraform-provider-luml/0.0.0-test"

// providerMaxRetries is the provider's default max_retries. The client's zero value means no
// retries, so every test client sets it as the provider does.
const providerMaxRetries = 4

// testEnv is an emulated LUML API with one organization, its owner and a client for the
// owner's API key, for one test.
type testEnv struct {
	t      *testing.T
	fake   *lumlfake.Server
	url    string
	org    lumlfake.Organization
	owner  lumlfake.User
	client *luml.Client
	logs   *captureLogger
}

// newTestEnv starts the emulator. configure adjusts the owner's client configuration.
func newTestEnv(t *testing.T, configure ...func(*luml.Config)) *testEnv {
	t.Helper()
	fake := lumlfake.New(lumlfake.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	e := &testEnv{t: t, fake: fake, url: srv.URL, logs: &captureLogger{}}
	e.org, e.owner = fake.AddOwnedOrganization("Acme", "owner@acme.test")
	e.client = e.newClient(e.owner.APIKey, configure...)
	return e
}

// newClient builds a client for apiKey against the emulator, logging into e.logs.
func (e *testEnv) newClient(apiKey string, configure ...func(*luml.Config)) *luml.Client {
	e.t.Helper()
	cfg := luml.Config{
		BaseURL: e.url, APIKey: apiKey, UserAgent: testUserAgent, Logger: e.logs, MaxRetries: providerMaxRetries,
	}
	for _, f := range configure {
		f(&cfg)
	}
	c, err := luml.New(cfg)
	if err != nil {
		e.t.Fatalf("luml.New: %v", err)
	}
	return c
}

// clientWithRole adds a user with role in the test organization and returns its client.
func (e *testEnv) clientWithRole(role lumlfake.Role) *luml.Client {
	e.t.Helper()
	u := e.fake.AddUser(string(role) + "@acme.test")
	e.fake.AddMembership(u.ID, e.org.ID, role)
	return e.newClient(u.APIKey)
}

// create creates a secret through the client and fails the test on error.
func (e *testEnv) create(spec luml.SecretSpec) *luml.BucketSecret {
	e.t.Helper()
	s, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, spec)
	if err != nil {
		e.t.Fatalf("creating a %s secret: %v", spec.Type(), err)
	}
	return s
}

// stored returns the emulator's row of a secret, credentials included.
func (e *testEnv) stored(id string) lumlfake.StoredSecret {
	e.t.Helper()
	s, ok := e.fake.Secret(id)
	if !ok {
		e.t.Fatalf("the emulator has no secret %s", id)
	}
	return s
}

// requests returns the recorded requests with method and exactly path, oldest first.
func (e *testEnv) requests(method, path string) []lumlfake.RecordedRequest {
	var out []lumlfake.RecordedRequest
	for _, r := range e.fake.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// lastRequest returns the last recorded request with method and exactly path.
func (e *testEnv) lastRequest(method, path string) lumlfake.RecordedRequest {
	e.t.Helper()
	rs := e.requests(method, path)
	if len(rs) == 0 {
		e.t.Fatalf("no %s %s request was recorded", method, path)
	}
	return rs[len(rs)-1]
}

// bodyKeys returns the sorted top-level keys of a recorded JSON body.
func bodyKeys(t *testing.T, r lumlfake.RecordedRequest) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("the %s %s body is not a JSON object: %v", r.Method, r.Path, err)
	}
	return slices.Sorted(maps.Keys(m))
}

func secretsPath(orgID string) string { return "/v1/organizations/" + orgID + "/bucket-secrets" }

func secretPath(orgID, id string) string { return secretsPath(orgID) + "/" + id }

// unknownID is a well-formed ID that names nothing in the emulator.
const unknownID = "01990000-0000-7000-8000-000000000000"

func ptr[T any](v T) *T { return &v }

// s3Spec is a complete S3 configuration for bucket, with credentials.
func s3Spec(bucket string) luml.S3Spec {
	return luml.S3Spec{
		Endpoint:   "https://s3.eu-west-1.amazonaws.com",
		BucketName: bucket,
		Region:     "eu-west-1",
		AccessKey:  ptr("AKIAIOSFODNN7EXAMPLE"),
		SecretKey:  ptr("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
		Secure:     ptr(true),
		CertCheck:  ptr(true),
	}
}

// azureConnectionString is a connection string for account whose account key is accountKey
// encoded in base64, as Azure's are. A non-empty blobEndpoint (http://host/account) points the
// blob service at a local host instead of Azure.
func azureConnectionString(account, accountKey, blobEndpoint string) string {
	s := "DefaultEndpointsProtocol=https;AccountName=" + account +
		";AccountKey=" + base64.StdEncoding.EncodeToString([]byte(accountKey)) +
		";EndpointSuffix=core.windows.net"
	if blobEndpoint != "" {
		s += ";BlobEndpoint=" + blobEndpoint
	}
	return s
}

func azureSpec(container string) luml.AzureSpec {
	return luml.AzureSpec{
		ConnectionString: azureConnectionString("lumltest", "azure-account-key-for-tests", ""),
		ContainerName:    container,
	}
}

// validateKey asks the server whether the client's API key is valid: the simplest call there is.
func validateKey(c *luml.Client) error {
	return c.RawCall(context.Background(), http.MethodGet, "/v1/auth/api-keys/validate", "", nil)
}

// hasStatus reports whether err is a *luml.Error with the status.
func hasStatus(err error, status int) bool {
	var apiErr *luml.Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// requireAPIError asserts that err is a *luml.Error with status whose Detail contains detail,
// and returns it.
func requireAPIError(t *testing.T, err error, status int, detail string) *luml.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %d %q", status, detail)
	}
	var apiErr *luml.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %T %q, want a *luml.Error", err, err)
	}
	if apiErr.StatusCode != status || !strings.Contains(apiErr.Detail, detail) {
		t.Fatalf("got %d with detail %q, want %d with a detail containing %q", apiErr.StatusCode, apiErr.Detail, status, detail)
	}
	return apiErr
}

// logLine is one Debug call.
type logLine struct {
	msg    string
	fields map[string]any
}

// captureLogger keeps every line the client logs. With quiet set, it says it keeps none, as a
// logger below the debug level does, and keeps only what is logged anyway.
type captureLogger struct {
	quiet bool
	// onLine, when set before the client is used, sees each line as it is logged.
	onLine func(msg string, fields map[string]any)
	mu     sync.Mutex
	lines  []logLine
}

func (l *captureLogger) DebugEnabled(context.Context) bool { return !l.quiet }

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, logLine{msg: msg, fields: maps.Clone(fields)})
	if l.onLine != nil {
		l.onLine(msg, fields)
	}
}

// cancelOn is an onLine that calls cancel when the line msg is logged, for attempt when it is
// not zero.
func cancelOn(cancel context.CancelFunc, msg string, attempt int) func(string, map[string]any) {
	return func(m string, fields map[string]any) {
		if m == msg && (attempt == 0 || fields["attempt"] == attempt) {
			cancel()
		}
	}
}

// fieldOf returns the value of field in every line with the message msg, in order.
func (l *captureLogger) fieldOf(msg, field string) []any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []any
	for _, line := range l.lines {
		if line.msg == msg {
			out = append(out, line.fields[field])
		}
	}
	return out
}

// rendered returns every line as text: the message, then each field as key=%v.
func (l *captureLogger) rendered() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, len(l.lines))
	for i, line := range l.lines {
		var b strings.Builder
		b.WriteString(line.msg)
		for _, k := range slices.Sorted(maps.Keys(line.fields)) {
			fmt.Fprintf(&b, " %s=%v", k, line.fields[k])
		}
		out[i] = b.String()
	}
	return out
}

// messages returns the message of every line.
func (l *captureLogger) messages() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, len(l.lines))
	for i, line := range l.lines {
		out[i] = line.msg
	}
	return out
}
