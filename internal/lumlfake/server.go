// Package lumlfake is an in-memory emulator of the LUML REST API as the
// luml-ai/luml backend implements it: authentication with dfs_ API keys,
// organizations and roles, bucket secrets with the real server's PATCH
// semantics and error bodies, presigned test and multipart URLs, and orbits
// (seeded only, as what keeps a secret in use).
// It also injects latency and faults, and records every request.
//
// A Server is an http.Handler: serve it with httptest.NewServer in tests or
// with net/http in cmd/lumlfake.
package lumlfake

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	// Clock supplies created_at, updated_at and Azure SAS expiry times.
	// Default time.Now.
	Clock func() time.Time
}

// Server is the emulated API. It is safe for concurrent use.
type Server struct {
	clock func() time.Time

	mu sync.Mutex // guards st
	st state

	logMu  sync.Mutex // guards log and faults
	log    []RecordedRequest
	faults faults
}

// RecordedRequest is one request the Server received and what it answered.
type RecordedRequest struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
	Status   int       // the status produced, even when the response was dropped
	Fault    FaultKind // "" when no fault was injected
	Time     time.Time // wall-clock arrival time
}

// New returns an empty Server.
func New(opts Options) *Server {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	return &Server{clock: clock, st: newState()}
}

// Requests returns a copy of the request log, in the order the responses
// were produced.
func (s *Server) Requests() []RecordedRequest {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make([]RecordedRequest, len(s.log))
	for i, r := range s.log {
		r.Header = r.Header.Clone()
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log = nil
}

// CountRequests counts logged requests with the method ("" for any) whose
// path starts with pathPrefix.
func (s *Server) CountRequests(method, pathPrefix string) int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	n := 0
	for _, r := range s.log {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// isAPIPath reports whether latency and faults apply to the path.
func isAPIPath(p string) bool {
	return strings.HasPrefix(p, "/v1/")
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := RecordedRequest{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
		Time:     time.Now(),
	}
	var fault Fault
	injected := false
	if isAPIPath(r.URL.Path) {
		s.delay(r.Context())
		fault, injected = s.pickFault(r.Method)
	}
	var resp response
	if injected && fault.Kind != FaultDrop {
		resp = faultResponse(fault)
	} else {
		resp = s.dispatch(r, body)
	}
	rec.Status = resp.status
	if injected {
		rec.Fault = fault.Kind
	}
	s.logMu.Lock()
	s.log = append(s.log, rec)
	s.logMu.Unlock()

	if injected && fault.Kind == FaultDrop {
		dropConnection(w)
		return
	}
	resp.write(w)
	if resp.unhandled {
		resetNextRequest(w)
	}
}

// response is a complete HTTP response, built before anything is written
// so that a dropped response can be discarded whole.
type response struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
	// unhandled marks the answer to an unhandled exception, after which the server resets
	// the connection's next request.
	unhandled bool
}

func (resp response) write(w http.ResponseWriter) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	if resp.contentType != "" {
		w.Header().Set("Content-Type", resp.contentType)
	}
	// A length rather than chunks: the answer must be complete even when the connection is
	// taken over after it.
	if resp.status != http.StatusNoContent && resp.status != http.StatusNotModified {
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// jsonResponse serializes v as the API does. A value Python's json.dumps
// would refuse (NaN echoed back in a 422) turns into a 500, as there.
func jsonResponse(status int, v any) response {
	b, err := encodeJSON(v)
	if err != nil {
		return internalError()
	}
	return response{status: status, contentType: "application/json", body: b}
}

func detail(status int, msg string) response {
	return jsonResponse(status, obj("detail", msg))
}

func plainText(status int, text string) response {
	return response{status: status, contentType: "text/plain; charset=utf-8", body: []byte(text)}
}

// internalError is Starlette's answer to an unhandled exception.
func internalError() response {
	resp := plainText(http.StatusInternalServerError, "Internal Server Error")
	resp.unhandled = true
	return resp
}

// noContent is FastAPI's empty 204, which still names JSON as its content type.
func noContent() response {
	return response{status: http.StatusNoContent, contentType: "application/json"}
}

func validationError(errs []*object) response {
	return jsonResponse(http.StatusUnprocessableEntity, obj("detail", errs))
}

const (
	msgNotEnoughRights = "Not enough rights"
	msgSecretNotFound  = "Secret not found"
)

func forbidden() response { return detail(http.StatusForbidden, msgNotEnoughRights) }
