package lumlfake

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFailNext(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext(3, Fault{Kind: Fault503})
	var statuses []int
	for range 4 {
		statuses = append(statuses, e.as(http.MethodGet, e.secretsPath(), "").status)
	}
	if fmt.Sprint(statuses) != "[503 503 503 200]" {
		t.Errorf("statuses %v", statuses)
	}
	if got := e.srv.FaultStats(); got[Fault503] != 3 || len(got) != 1 {
		t.Errorf("FaultStats %v", got)
	}
	reqs := e.srv.Requests()
	if len(reqs) != 4 || reqs[0].Fault != Fault503 || reqs[0].Status != 503 || reqs[3].Fault != "" || reqs[3].Status != 200 {
		t.Errorf("request log %+v", reqs)
	}
}

func TestFaultKinds(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext(1, Fault{Kind: Fault429})
	r := e.as(http.MethodGet, e.secretsPath(), "")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Errorf("429: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	e.srv.FailNext(1, Fault{Kind: Fault429, RetryAfter: 2500 * time.Millisecond})
	if r := e.as(http.MethodGet, e.secretsPath(), ""); r.header.Get("Retry-After") != "3" {
		t.Errorf("Retry-After %q, want 3", r.header.Get("Retry-After"))
	}
	for kind, status := range map[FaultKind]int{Fault502: 502, Fault503: 503, Fault504: 504} {
		e.srv.FailNext(1, Fault{Kind: kind})
		if r := e.as(http.MethodPost, e.secretsPath(), s3Body); r.status != status {
			t.Errorf("%s: status %d", kind, r.status)
		}
	}
	e.srv.FailNext(1, Fault{Kind: Fault500})
	e.as(http.MethodPost, e.secretsPath(), s3Body).expectInternalError(t)
	if n := len(e.srv.Secrets(e.org.ID)); n != 0 {
		t.Errorf("a faulted request was processed: %d secrets", n)
	}
}

func TestFaultMethodsAndPaths(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext(1, Fault{Kind: Fault503, Methods: []string{"post"}})
	if r := e.as(http.MethodGet, e.secretsPath(), ""); r.status != http.StatusOK {
		t.Errorf("GET took a POST fault: %d", r.status)
	}
	// Faults only hit API paths.
	if r := e.as(http.MethodPost, "/elsewhere", ""); r.status != http.StatusNotFound {
		t.Errorf("non-API path: %d", r.status)
	}
	if r := e.as(http.MethodPost, e.secretsPath(), s3Body); r.status != http.StatusServiceUnavailable {
		t.Errorf("POST: %d", r.status)
	}
	if r := e.as(http.MethodPost, e.secretsPath(), s3Body); r.status != http.StatusOK {
		t.Errorf("fault not used up: %d", r.status)
	}
}

func TestDropFault(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext(1, Fault{Kind: FaultDrop})
	req, _ := http.NewRequest(http.MethodPost, e.url+e.secretsPath(), strings.NewReader(s3Body))
	req.Header.Set("Authorization", "Bearer "+e.owner.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped response arrived: %d", resp.StatusCode)
	}
	if n := len(e.srv.Secrets(e.org.ID)); n != 1 {
		t.Errorf("the dropped create stored %d secrets, want 1", n)
	}
	reqs := e.srv.Requests()
	if last := reqs[len(reqs)-1]; last.Fault != FaultDrop || last.Status != http.StatusOK {
		t.Errorf("logged %+v", last)
	}
	// The retried create now conflicts, as it would against the real server.
	if r := e.as(http.MethodPost, e.secretsPath(), s3Body); r.status != http.StatusConflict {
		t.Errorf("retry: %d", r.status)
	}
}

func TestLatency(t *testing.T) {
	e := newEnv(t)
	e.srv.SetLatency(60 * time.Millisecond)
	start := time.Now()
	e.as(http.MethodGet, e.secretsPath(), "")
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("request took %v", d)
	}
	e.srv.SetLatency(0)
}

func TestRandomFaultsAreReproducible(t *testing.T) {
	run := func() ([]int, map[FaultKind]int) {
		e := newEnv(t)
		e.srv.SetRandomFaults(RandomFaults{Rate: 0.5, Seed: 42, Kinds: []FaultKind{Fault503, Fault429, Fault502}, Methods: []string{http.MethodGet}})
		var statuses []int
		for range 40 {
			statuses = append(statuses, e.as(http.MethodGet, e.secretsPath(), "").status)
		}
		if r := e.as(http.MethodPost, e.secretsPath(), s3Body); r.status != http.StatusOK {
			t.Errorf("POST is not in Methods but failed: %d", r.status)
		}
		e.srv.SetRandomFaults(RandomFaults{})
		if r := e.as(http.MethodGet, e.secretsPath(), ""); r.status != http.StatusOK {
			t.Errorf("Rate 0 still fails: %d", r.status)
		}
		return statuses, e.srv.FaultStats()
	}
	first, stats := run()
	second, _ := run()
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Errorf("same seed, different faults:\n%v\n%v", first, second)
	}
	failed := 0
	for _, s := range first {
		if s != http.StatusOK {
			failed++
		}
	}
	if failed == 0 || failed == len(first) || stats[Fault503]+stats[Fault429]+stats[Fault502] != failed {
		t.Errorf("%d of %d failed; stats %v", failed, len(first), stats)
	}
}

func TestRequestLog(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodPost, e.url+e.secretsPath()+"?x=1", strings.NewReader(s3Body))
	req.Header.Set("Authorization", "Bearer "+e.owner.APIKey)
	req.Header.Set("User-Agent", "terraform-provider-luml/test")
	e.send(req)
	e.as(http.MethodGet, e.secretsPath(), "")
	reqs := e.srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests logged", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != e.secretsPath() || r.RawQuery != "x=1" || string(r.Body) != s3Body ||
		r.Header.Get("User-Agent") != "terraform-provider-luml/test" || r.Header.Get("Authorization") != "Bearer "+e.owner.APIKey ||
		r.Status != http.StatusOK || r.Time.IsZero() {
		t.Errorf("logged %+v", r)
	}
	if e.srv.CountRequests(http.MethodGet, "/v1/organizations/") != 1 || e.srv.CountRequests("", "/v1/") != 2 || e.srv.CountRequests("", "/v2") != 0 {
		t.Error("CountRequests")
	}
	e.srv.ResetRequests()
	if len(e.srv.Requests()) != 0 {
		t.Error("ResetRequests kept entries")
	}
}

func TestConcurrentUse(t *testing.T) {
	e := newEnv(t)
	e.srv.SetRandomFaults(RandomFaults{Rate: 0.1, Seed: 7, Kinds: []FaultKind{Fault503}, Methods: []string{http.MethodGet}})
	do := func(method, path, body string) (int, string, error) {
		req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
		if err != nil {
			return 0, "", err
		}
		req.Header.Set("Authorization", "Bearer "+e.owner.APIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	const workers, each = 16, 5
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				body := fmt.Sprintf(`{"type":"s3","endpoint":"s3.example.com","bucket_name":"bucket-%d-%d","region":"r"}`, w, i)
				status, out, err := do(http.MethodPost, e.secretsPath(), body)
				if err != nil || status != http.StatusOK {
					t.Errorf("create: %d %v", status, err)
					return
				}
				id := out[7:43]
				if status, _, err := do(http.MethodGet, e.secretPath(id), ""); err != nil || (status != http.StatusOK && status != http.StatusServiceUnavailable) {
					t.Errorf("get: %d %v", status, err)
				}
				if _, _, err := do(http.MethodGet, e.secretsPath(), ""); err != nil {
					t.Error(err)
				}
				e.srv.Secrets(e.org.ID)
				e.srv.ModifySecret(id, func(s *StoredSecret) { s.Region = ptr("r2") })
				e.srv.CountRequests("", "/v1/")
				e.srv.FaultStats()
			}
		})
	}
	wg.Wait()
	if n := len(e.srv.Secrets(e.org.ID)); n != workers*each {
		t.Errorf("%d secrets, want %d", n, workers*each)
	}
}
