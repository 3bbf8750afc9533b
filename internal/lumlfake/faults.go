package lumlfake

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a failure the emulator can inject into API requests.
type FaultKind string

const (
	Fault500 FaultKind = "500" // bare text/plain 500, as an unhandled exception
	Fault502 FaultKind = "502"
	Fault503 FaultKind = "503"
	Fault504 FaultKind = "504"
	Fault429 FaultKind = "429" // with a Retry-After header
	// FaultDrop processes the request (the change is made) and then closes
	// the connection without a response.
	FaultDrop FaultKind = "drop"
)

// Fault describes an injected failure.
type Fault struct {
	Kind FaultKind
	// Methods limits the fault to these HTTP methods; empty means any.
	Methods []string
	// RetryAfter is the Retry-After of a 429, rounded up to whole seconds;
	// zero means one second.
	RetryAfter time.Duration
}

// RandomFaults injects faults at random into matching requests. The
// sequence is reproducible for a given Seed and request order.
type RandomFaults struct {
	Rate    float64     // probability per matching request; 0 disables
	Seed    int64       // seed of the random sequence
	Kinds   []FaultKind // chosen uniformly; empty means 503
	Methods []string    // empty means any
	// RetryAfter is used for 429 faults, as in Fault.
	RetryAfter time.Duration
}

type pendingFault struct {
	fault Fault
	left  int
}

// faults is the fault-injection state. Every access holds Server.logMu.
type faults struct {
	latency time.Duration
	pending []pendingFault
	random  RandomFaults
	rng     *rand.Rand
	stats   map[FaultKind]int
}

// SetLatency delays every API request by d.
func (s *Server) SetLatency(d time.Duration) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.faults.latency = d
}

// FailNext makes the next n API requests whose method matches f.Methods
// fail with f. Calls queue up: a request takes the first pending fault it
// matches.
func (s *Server) FailNext(n int, f Fault) {
	if n <= 0 {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.faults.pending = append(s.faults.pending, pendingFault{fault: f, left: n})
}

// SetRandomFaults replaces the random fault configuration; a zero Rate
// turns random faults off.
func (s *Server) SetRandomFaults(r RandomFaults) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	r.Kinds = slices.Clone(r.Kinds)
	r.Methods = slices.Clone(r.Methods)
	s.faults.random = r
	s.faults.rng = rand.New(rand.NewPCG(uint64(r.Seed), 0))
}

// FaultStats counts the faults injected so far, by kind.
func (s *Server) FaultStats() map[FaultKind]int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make(map[FaultKind]int, len(s.faults.stats))
	for k, v := range s.faults.stats {
		out[k] = v
	}
	return out
}

func methodMatches(methods []string, method string) bool {
	return len(methods) == 0 || slices.ContainsFunc(methods, func(m string) bool {
		return strings.EqualFold(m, method)
	})
}

// pickFault decides whether this request fails, and how.
func (s *Server) pickFault(method string) (Fault, bool) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	f := &s.faults
	for i := range f.pending {
		p := &f.pending[i]
		if !methodMatches(p.fault.Methods, method) {
			continue
		}
		fault := p.fault
		if p.left--; p.left == 0 {
			f.pending = slices.Delete(f.pending, i, i+1)
		}
		f.count(fault.Kind)
		return fault, true
	}
	r := f.random
	if r.Rate <= 0 || !methodMatches(r.Methods, method) || f.rng.Float64() >= r.Rate {
		return Fault{}, false
	}
	kind := Fault503
	if len(r.Kinds) > 0 {
		kind = r.Kinds[f.rng.IntN(len(r.Kinds))]
	}
	f.count(kind)
	return Fault{Kind: kind, RetryAfter: r.RetryAfter}, true
}

func (f *faults) count(k FaultKind) {
	if f.stats == nil {
		f.stats = map[FaultKind]int{}
	}
	f.stats[k]++
}

// delay waits for the configured latency or until the client goes away.
func (s *Server) delay(ctx context.Context) {
	s.logMu.Lock()
	d := s.faults.latency
	s.logMu.Unlock()
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// faultResponse is what a failing proxy or server in front of the API
// would answer.
func faultResponse(f Fault) response {
	switch f.Kind {
	case Fault429:
		wait := int64(1)
		if f.RetryAfter > 0 {
			wait = int64(math.Ceil(f.RetryAfter.Seconds()))
		}
		r := plainText(http.StatusTooManyRequests, http.StatusText(http.StatusTooManyRequests))
		r.header = http.Header{"Retry-After": {strconv.FormatInt(wait, 10)}}
		return r
	case Fault502:
		return plainText(http.StatusBadGateway, http.StatusText(http.StatusBadGateway))
	case Fault503:
		return plainText(http.StatusServiceUnavailable, http.StatusText(http.StatusServiceUnavailable))
	case Fault504:
		return plainText(http.StatusGatewayTimeout, http.StatusText(http.StatusGatewayTimeout))
	}
	return internalError()
}
