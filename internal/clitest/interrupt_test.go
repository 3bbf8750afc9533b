package clitest_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// interruptedApply starts an apply, interrupts it once ready says so, and checks that the state
// it leaves tells the truth: every secret on the server is in it, none twice. A second apply
// must then finish the job with nothing duplicated and leave an empty plan.
func interruptedApply(t *testing.T, e *clitest.Env, n int, ready func() bool) {
	t.Helper()
	p := e.Start("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=2")
	waitFor(t, time.Minute, "the apply is under way", ready)
	p.Interrupt()
	r := p.Wait(time.Minute)
	if r.ExitCode == 0 {
		t.Fatalf("the interrupted apply succeeded: the interrupt came too late to test anything")
	}
	created := len(e.Fake.Secrets(e.Org.ID))
	if created == n {
		t.Fatalf("all %d secrets were created before the interrupt took effect", n)
	}
	t.Logf("interrupted apply: %d of %d secrets created, %d in state, exit code %d after %v",
		created, n, len(e.SecretIDs()), r.ExitCode, r.Duration.Round(time.Millisecond))
	e.CheckStateMatchesServer()
	if t.Failed() {
		t.FailNow()
	}

	e.Fake.SetLatency(0)
	e.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if got := len(e.Fake.Secrets(e.Org.ID)); got != n {
		t.Errorf("%d secrets on the server after the second apply, want %d", got, n)
	}
	e.CheckStateMatchesServer()
	e.CheckEmptyPlan()
}

// TestInterruptWhileCreating sends Ctrl-C while creates are in flight: the server makes those
// secrets, and their answers must still reach the state.
func TestInterruptWhileCreating(t *testing.T) {
	var sent, working atomic.Int32 // create requests received, and those not answered yet
	e := clitest.New(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				sent.Add(1)
				working.Add(1)
				defer working.Add(-1)
			}
			next.ServeHTTP(w, r)
		})
	})
	const n = 6
	e.WriteConfig(secretsConfig("inflight", n))
	e.Fake.SetLatency(time.Second)
	// Two creates at a time: interrupt during the second pair, after the first pair is done
	// and before the third is sent.
	interruptedApply(t, e, n, func() bool {
		return len(e.Fake.Secrets(e.Org.ID)) >= 2 && sent.Load() > 2 && working.Load() > 0
	})
}

// TestInterruptBetweenRetries sends Ctrl-C while creates wait to retry after their first
// answers were lost: the secrets those attempts made must be found and kept in the state.
func TestInterruptBetweenRetries(t *testing.T) {
	e := clitest.New(t)
	const n = 4
	e.WriteConfig(secretsConfig("retrying", n))
	post := []string{http.MethodPost}
	e.Fake.FailNext(2, lumlfake.Fault{Kind: lumlfake.FaultDrop, Methods: post})
	// Then 503s, with waits of 250 ms, 500 ms, 1 s and 2 s between attempts.
	e.Fake.FailNext(8, lumlfake.Fault{Kind: lumlfake.Fault503, Methods: post})
	var dropped time.Time
	interruptedApply(t, e, n, func() bool {
		if dropped.IsZero() && e.Fake.FaultStats()[lumlfake.FaultDrop] == 2 {
			dropped = time.Now()
		}
		return !dropped.IsZero() && time.Since(dropped) > time.Second
	})
}
