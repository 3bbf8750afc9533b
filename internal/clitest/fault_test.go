package clitest_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const (
	faultSecrets     = 20
	faultParallelism = 5
	faultRate        = 0.3
	faultSeed        = 20261123
	// One re-run is allowed: with the default 4 retries a call still fails once in 400
	// (0.3^5), and an apply makes over 20 calls.
	faultApplyRuns = 2
)

// TestFaults applies 20 bucket secrets while the emulator fails 30% of all requests with 503,
// 429 or a dropped response (the change made, the answer lost). Whatever it takes, the end
// must be exactly one secret per resource, each in the state under the server's ID, and an
// empty plan.
func TestFaults(t *testing.T) {
	e := clitest.New(t)
	e.WriteConfig(secretsConfig("fault", faultSecrets))
	log := filepath.Join(t.TempDir(), "provider.log")
	e.Setenv("TF_LOG_PROVIDER", "DEBUG")
	e.Setenv("TF_LOG_PATH", log)
	kinds := []lumlfake.FaultKind{lumlfake.Fault503, lumlfake.Fault429, lumlfake.FaultDrop}
	e.Fake.SetRandomFaults(lumlfake.RandomFaults{Rate: faultRate, Seed: faultSeed, Kinds: kinds})

	started := time.Now()
	runs := 0
	for ok := false; !ok; {
		if runs == faultApplyRuns {
			t.Fatalf("apply failed %d times under faults", runs)
		}
		runs++
		r := e.Run("apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", faultParallelism))
		if ok = r.ExitCode == 0; !ok {
			t.Logf("apply run %d failed:\n%s", runs, e.Tail(r.Stdout+r.Stderr, 20))
		}
	}
	elapsed := time.Since(started)
	faults := e.Fake.FaultStats()
	requests := len(e.Fake.Requests())
	l := readProviderLog(t, log)

	// The figures are taken; the state is checked against the server without faults.
	e.Fake.SetRandomFaults(lumlfake.RandomFaults{})
	if got := len(e.Fake.Secrets(e.Org.ID)); got != faultSecrets {
		t.Errorf("%d secrets on the server, want %d", got, faultSecrets)
	}
	e.CheckStateMatchesServer()
	e.CheckEmptyPlan()

	injected := 0
	var byKind []string
	for _, k := range kinds {
		injected += faults[k]
		byKind = append(byKind, fmt.Sprintf("%s: %d", k, faults[k]))
	}
	// Retries the provider did not make are net/http's own: it sends an idempotent request
	// again when a reused connection closes without an answer, as a dropped GET does.
	retries := requests - l.calls
	replays := retries - l.retries
	if l.retries == 0 || replays < 0 || replays > droppedReads(e.Fake) {
		t.Errorf("the provider logged %d retries at DEBUG; the server saw %d requests for %d calls", l.retries, requests, l.calls)
	}
	if l.announced != l.retries {
		t.Errorf("%d failed attempts announced a retry, %d retries were logged", l.announced, l.retries)
	}
	e.Report("faults", "fault test, %s: %d secrets at -parallelism=%d, %.0f%% of requests failing (seed %d): "+
		"%d faults injected (%s); %d requests for %d calls, so %d retries (%d by the provider, each logged at "+
		"DEBUG; %d by Go's HTTP transport); %d secrets adopted after a lost answer; apply runs: %d; %v",
		e.Name(), faultSecrets, faultParallelism, faultRate*100, faultSeed, injected, strings.Join(byKind, ", "),
		requests, l.calls, retries, l.retries, replays, l.adopted, runs, elapsed.Round(100*time.Millisecond))
}

// droppedReads counts the GET requests whose answer the emulator dropped.
func droppedReads(fake *lumlfake.Server) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet && r.Fault == lumlfake.FaultDrop {
			n++
		}
	}
	return n
}

// providerLog counts lines of the provider's DEBUG log.
type providerLog struct {
	calls     int // logical API calls
	retries   int // attempts after the first
	announced int // failed attempts that said they would be retried
	adopted   int // secrets adopted after a lost answer
}

func readProviderLog(t *testing.T, path string) providerLog {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var l providerLog
	counters := []struct {
		marker string
		n      *int
	}{
		{": LUML API request: ", &l.calls},
		{": Retrying LUML API request: ", &l.retries},
		{": LUML API request failed; it will be retried: ", &l.announced},
		{": Adopted the bucket secret created by an attempt", &l.adopted},
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, c := range counters {
			if strings.Contains(line, c.marker) {
				*c.n++
			}
		}
		if strings.Contains(line, "it will be retried") &&
			(!strings.Contains(line, " attempt=") || !(strings.Contains(line, " status=") || strings.Contains(line, " error="))) {
			t.Errorf("a retry was logged without its attempt number and status or error")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return l
}
