package luml_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// statuses returns the status of each recorded request with method and path.
func (e *testEnv) statuses(method, path string) []int {
	var out []int
	for _, r := range e.requests(method, path) {
		out = append(out, r.Status)
	}
	return out
}

func TestThreeServiceUnavailableThenSuccessIsOneCall(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(3, lumlfake.Fault{Kind: lumlfake.Fault503})

	if _, err := e.client.ListBucketSecrets(context.Background(), e.org.ID); err != nil {
		t.Fatalf("the call failed despite the retries: %v", err)
	}
	want := []int{503, 503, 503, 200}
	if got := e.statuses(http.MethodGet, secretsPath(e.org.ID)); !slices.Equal(got, want) {
		t.Errorf("attempts answered %v, want %v", got, want)
	}
}

func TestGatewayErrorsAreRetried(t *testing.T) {
	t.Parallel()
	for _, kind := range []lumlfake.FaultKind{lumlfake.Fault502, lumlfake.Fault504} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.fake.FailNext(1, lumlfake.Fault{Kind: kind})
			if err := validateKey(e.client); err != nil {
				t.Fatalf("one %s was not retried: %v", kind, err)
			}
			if n := e.fake.CountRequests(http.MethodGet, "/v1/auth/api-keys/validate"); n != 2 {
				t.Errorf("%d attempts, want 2", n)
			}
		})
	}
}

func TestTooManyRequestsWaitsForRetryAfter(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault429, RetryAfter: time.Second})

	if _, err := e.client.ListBucketSecrets(context.Background(), e.org.ID); err != nil {
		t.Fatal(err)
	}
	if waits := e.logs.fieldOf("LUML API request failed; it will be retried", "wait"); !slices.Equal(waits, []any{"1s"}) {
		t.Errorf("the retry waited %v, want [1s] as Retry-After asks", waits)
	}
	if got := e.statuses(http.MethodGet, secretsPath(e.org.ID)); !slices.Equal(got, []int{429, 200}) {
		t.Errorf("attempts answered %v, want [429 200]", got)
	}
}

func TestPersistentFailureReportsTheAttempts(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, func(c *luml.Config) { c.MaxRetries = 2 })
	e.fake.FailNext(10, lumlfake.Fault{Kind: lumlfake.Fault503})

	_, err := e.client.ListBucketSecrets(context.Background(), e.org.ID)
	apiErr := requireAPIError(t, err, http.StatusServiceUnavailable, "")
	if apiErr.Attempts != 3 {
		t.Errorf("%d attempts reported, want 3", apiErr.Attempts)
	}
	for _, want := range []string{"503 Service Unavailable", "after 3 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if n := e.fake.CountRequests(http.MethodGet, secretsPath(e.org.ID)); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestZeroMaxRetriesMakesOneAttempt(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, func(c *luml.Config) { c.MaxRetries = 0 })
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault503})

	_, err := e.client.ListBucketSecrets(context.Background(), e.org.ID)
	apiErr := requireAPIError(t, err, http.StatusServiceUnavailable, "")
	if apiErr.Attempts != 1 || strings.Contains(err.Error(), "attempts") {
		t.Errorf("%q after %d attempts, want a single attempt", err, apiErr.Attempts)
	}
}

func TestDroppedResponseToAReadIsRetried(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	s := e.create(s3Spec("read"))
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.FaultDrop, Methods: []string{http.MethodGet}})

	// A new client has no idle connection, so net/http cannot replay the GET by itself: the
	// retry is the client's.
	got, err := e.newClient(e.owner.APIKey).GetBucketSecret(context.Background(), e.org.ID, s.ID)
	if err != nil {
		t.Fatalf("the dropped GET was not retried: %v", err)
	}
	if got.ID != s.ID {
		t.Errorf("got %s, want %s", got.ID, s.ID)
	}
	if n := e.fake.FaultStats()[lumlfake.FaultDrop]; n != 1 {
		t.Errorf("%d drops injected, want 1", n)
	}
	if n := len(e.requests(http.MethodGet, secretPath(e.org.ID, s.ID))); n != 2 {
		t.Errorf("%d GET requests, want the dropped one and its retry", n)
	}
	if !slices.Contains(e.logs.messages(), "LUML API request failed; it will be retried") {
		t.Error("no retry was logged")
	}
}

// The emulator creates the secret and then drops the connection: the retry meets the
// client's own secret as a conflict and must adopt it rather than fail or create another.
func TestCreateAdoptsTheSecretItsLostAttemptCreated(t *testing.T) {
	t.Parallel()
	for _, spec := range []luml.SecretSpec{s3Spec("lost"), azureSpec("lost")} {
		t.Run(string(spec.Type()), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.FaultDrop, Methods: []string{http.MethodPost}})

			got, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, spec)
			if err != nil {
				t.Fatalf("the create was not settled: %v", err)
			}
			stored := e.fake.Secrets(e.org.ID)
			if len(stored) != 1 {
				t.Fatalf("%d secrets on the server, want exactly 1", len(stored))
			}
			if got.ID != stored[0].ID {
				t.Errorf("returned %s, want the secret the lost attempt created, %s", got.ID, stored[0].ID)
			}
			if s := e.statuses(http.MethodPost, secretsPath(e.org.ID)); !slices.Equal(s, []int{200, 409}) {
				t.Errorf("attempts answered %v, want [200 (dropped) 409]", s)
			}
			if !slices.Contains(e.logs.messages(), "Adopted the bucket secret created by an attempt whose answer was lost") {
				t.Error("the adoption was not logged")
			}
		})
	}
}

// A 503 leaves the first attempt's outcome unknown to the client, but the conflicting secret
// existed before the call: it belongs to someone else and must not be adopted, even though its
// non-secret fields are the same.
func TestCreateDoesNotAdoptASecretThatExistedBefore(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	spec := s3Spec("taken")
	// Created a minute ago. The client allows for the one-second resolution of the server's
	// Date header, so a secret created within a second or two of the call could not be told
	// apart from its own (see the report on CreateBucketSecret).
	existing := e.fake.InsertSecret(e.org.ID, lumlfake.StoredSecret{
		Type: lumlfake.BucketS3, Endpoint: "s3.eu-west-1.amazonaws.com", BucketName: spec.BucketName,
		Region: ptr(spec.Region), Secure: spec.Secure, CertCheck: spec.CertCheck,
		AccessKey: ptr("someone-else's-key"), SecretKey: ptr("someone-else's-secret"),
		CreatedAt: time.Now().Add(-time.Minute),
	})
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault503, Methods: []string{http.MethodPost}})

	got, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, spec)
	requireAPIError(t, err, http.StatusConflict, msgDuplicate)
	if got != nil {
		t.Errorf("adopted %s, which existed before the call", got.ID)
	}
	if ids := storedIDs(e); !slices.Equal(ids, []string{existing.ID}) {
		t.Errorf("secrets %v, want only the one that existed, %s", ids, existing.ID)
	}
	if s := e.statuses(http.MethodPost, secretsPath(e.org.ID)); !slices.Equal(s, []int{503, 409}) {
		t.Errorf("attempts answered %v, want [503 409]", s)
	}
	// The client did look, and refused.
	if n := e.fake.CountRequests(http.MethodGet, secretsPath(e.org.ID)); n != 1 {
		t.Errorf("%d list requests, want the 1 that checks for a secret to adopt", n)
	}
}

func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, func(c *luml.Config) {
		c.RequestTimeout = 200 * time.Millisecond
		c.MaxRetries = 1
	})
	e.fake.SetLatency(time.Second)

	_, err := e.client.ListBucketSecrets(context.Background(), e.org.ID)
	if err == nil {
		t.Fatal("a 1 s answer beat a 200 ms timeout")
	}
	var apiErr *luml.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 0 || apiErr.Attempts != 2 {
		t.Fatalf("got %#v, want a transport *luml.Error after 2 attempts", err)
	}
	want := "GET " + secretsPath(e.org.ID) + " failed: the operation timed out (after 2 attempts)"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
}

func TestCancellationStopsRetries(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(100, lumlfake.Fault{Kind: lumlfake.Fault503})
	ctx, cancel := context.WithCancel(context.Background())
	e.logs.onLine = cancelOn(cancel, "LUML API request failed; it will be retried", 2) // during the wait before the third attempt

	_, err := e.client.ListBucketSecrets(ctx, e.org.ID)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want a cancellation", err)
	}
	if !strings.Contains(err.Error(), "failed: the operation was cancelled") {
		t.Errorf("%q does not say the operation was cancelled", err)
	}
	if n := e.fake.CountRequests(http.MethodGet, secretsPath(e.org.ID)); n != 2 {
		t.Errorf("%d attempts, want the 2 made before the cancellation", n)
	}
}

// After a 500 the server resets the next request sent on the same connection, as uvicorn
// does. A create sent on that connection is retried on a new one, and made once.
func TestTheRequestAfterA500SurvivesTheConnectionReset(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault500})
	if _, err := e.client.ListBucketSecrets(context.Background(), e.org.ID); !hasStatus(err, http.StatusInternalServerError) {
		t.Fatalf("got %v, want the 500, which is not retried", err)
	}

	got, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, s3Spec("after-500"))
	if err != nil {
		t.Fatalf("the create on the reset connection failed: %v", err)
	}
	if ids := storedIDs(e); !slices.Equal(ids, []string{got.ID}) {
		t.Errorf("secrets %v, want only %s", ids, got.ID)
	}
	// The reset attempt never reached the API, so only its retry is recorded.
	if s := e.statuses(http.MethodPost, secretsPath(e.org.ID)); !slices.Equal(s, []int{200}) {
		t.Errorf("recorded POST answers %v, want [200]", s)
	}
	errs := e.logs.fieldOf("LUML API request failed; it will be retried", "error")
	if !slices.Equal(errs, []any{"the connection was closed before an answer arrived"}) {
		t.Errorf("retries logged with errors %v, want the one reset", errs)
	}
}
