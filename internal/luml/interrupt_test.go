package luml_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// A create cancelled while its POST is in flight (Terraform interrupted) waits for the answer:
// the secret the server makes is returned, not left on the server with its ID unknown.
func TestCancelledCreateKeepsTheAnswerInFlight(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.SetLatency(200 * time.Millisecond) // the answer comes long after the cancellation
	ctx, cancel := context.WithCancel(context.Background())
	e.logs.onLine = cancelOn(cancel, "LUML API request", 0) // as the POST goes out

	got, err := e.client.CreateBucketSecret(ctx, e.org.ID, s3Spec("interrupted"))
	if err != nil {
		t.Fatalf("the create in flight was abandoned: %v", err)
	}
	stored := e.fake.Secrets(e.org.ID)
	if len(stored) != 1 || stored[0].ID != got.ID {
		t.Fatalf("returned %s, the server holds %d secrets", got.ID, len(stored))
	}
	if s := e.statuses(http.MethodPost, secretsPath(e.org.ID)); !slices.Equal(s, []int{200}) {
		t.Errorf("attempts answered %v, want the single 200", s)
	}
}

// When every retry after a lost answer fails too, the secret the lost attempt made is found
// and adopted rather than orphaned.
func TestCreateAdoptsAfterRetriesRunOut(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.FaultDrop, Methods: []string{http.MethodPost}})
	e.fake.FailNext(providerMaxRetries, lumlfake.Fault{Kind: lumlfake.Fault503, Methods: []string{http.MethodPost}})

	got, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, s3Spec("unlucky"))
	if err != nil {
		t.Fatalf("the create was not settled: %v", err)
	}
	if ids := storedIDs(e); !slices.Equal(ids, []string{got.ID}) {
		t.Errorf("secrets %v, want only the adopted %s", ids, got.ID)
	}
}

// A create cancelled between attempts sends no further attempt, and settles what the earlier
// attempts may have done.
func TestCancelledCreateStopsRetryingAndSettles(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.FaultDrop, Methods: []string{http.MethodPost}})
	ctx, cancel := context.WithCancel(context.Background())
	e.logs.onLine = cancelOn(cancel, "LUML API request failed; it will be retried", 1) // during the wait after the drop

	got, err := e.client.CreateBucketSecret(ctx, e.org.ID, s3Spec("dropped"))
	if err != nil {
		t.Fatalf("the dropped create was not settled: %v", err)
	}
	if ids := storedIDs(e); !slices.Equal(ids, []string{got.ID}) {
		t.Errorf("secrets %v, want only the adopted %s", ids, got.ID)
	}
	if n := e.fake.CountRequests(http.MethodPost, secretsPath(e.org.ID)); n != 1 {
		t.Errorf("%d POST requests, want none after the cancellation", n)
	}
}

func TestCancelledRetriesReportTheLastAnswer(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(10, lumlfake.Fault{Kind: lumlfake.Fault503})
	ctx, cancel := context.WithCancel(context.Background())
	e.logs.onLine = cancelOn(cancel, "LUML API request failed; it will be retried", 1)

	_, err := e.client.ListBucketSecrets(ctx, e.org.ID)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want a cancellation", err)
	}
	want := "GET " + secretsPath(e.org.ID) + " failed: the operation was cancelled " +
		"(after 1 attempt; the last answer was 503 Service Unavailable)"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
}

// A Retry-After beyond the operation's deadline is not waited for: the call fails at once with
// the answer that asked for it.
func TestRetryAfterBeyondTheDeadlineIsNotWaitedFor(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault429, RetryAfter: 30 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// Had the client waited, the deadline would have ended the call with a timeout instead.
	_, err := e.client.ListBucketSecrets(ctx, e.org.ID)
	if apiErr := requireAPIError(t, err, http.StatusTooManyRequests, ""); apiErr.Attempts != 1 {
		t.Errorf("%d attempts, want the one that asked for the pause", apiErr.Attempts)
	}
	if !slices.Contains(e.logs.messages(), "LUML API request failed; not retried, as the wait would outlast the operation's timeout") {
		t.Error("giving up early was not logged")
	}
}
