// Package lumlfake is an in-memory emulator of the LUML REST API as the
// luml-ai/luml backend implements it: authentication with dfs_ API keys,
// organizations and roles, bucket secrets with the real server's PATCH
// semantics and error bodies, presigned test and multipart URLs, and orbits.
// It also injects latency and faults, and records every request.
//
// A Server is an http.Handler: serve it with httptest.NewServer in tests or
// with net/http in cmd/lumlfake.
package lumlfake

import (
	"io"
	"mime"
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

func noContent() response {
	return response{status: http.StatusNoContent}
}

func validationError(errs []*object) response {
	return jsonResponse(http.StatusUnprocessableEntity, obj("detail", errs))
}

const (
	msgNotEnoughRights = "Not enough rights"
	msgSecretNotFound  = "Secret not found"
)

func forbidden() response { return detail(http.StatusForbidden, msgNotEnoughRights) }

// call is a request that matched a route and passed authentication.
type call struct {
	user   *User
	params map[string]string
	body   any // the parsed body; nil when absent or JSON null
}

type route struct {
	method  string
	pattern []string // path segments; "{name}" matches any non-empty segment
	scopes  []string
	hasBody bool
	handle  func(*Server, *call) response
}

var userScopes = []string{"jwt", "api_key"}

func newRoute(method, path string, scopes []string, hasBody bool, handle func(*Server, *call) response) route {
	return route{method, strings.Split(strings.TrimPrefix(path, "/"), "/"), scopes, hasBody, handle}
}

var routes = []route{
	newRoute(http.MethodGet, "/v1/users/me/organizations", userScopes, false, (*Server).listMyOrganizations),
	newRoute(http.MethodGet, "/v1/auth/api-keys/validate", []string{"api_key"}, false, (*Server).validateAPIKey),
	// JWT only: every API key gets 403 before a handler would run.
	newRoute(http.MethodGet, "/v1/organizations/{organization_id}", []string{"jwt"}, false, nil),
	newRoute(http.MethodGet, "/v1/organizations/{organization_id}/bucket-secrets", userScopes, false, (*Server).listSecrets),
	newRoute(http.MethodPost, "/v1/organizations/{organization_id}/bucket-secrets", userScopes, true, (*Server).createSecret),
	newRoute(http.MethodGet, "/v1/organizations/{organization_id}/bucket-secrets/{secret_id}", userScopes, false, (*Server).getSecret),
	newRoute(http.MethodPatch, "/v1/organizations/{organization_id}/bucket-secrets/{secret_id}", userScopes, true, (*Server).updateSecret),
	newRoute(http.MethodDelete, "/v1/organizations/{organization_id}/bucket-secrets/{secret_id}", userScopes, false, (*Server).deleteSecret),
	newRoute(http.MethodPost, "/v1/organizations/{organization_id}/bucket-secrets/{secret_id}/urls", userScopes, true, (*Server).existingSecretURLs),
	newRoute(http.MethodPost, "/v1/bucket-secrets/urls", userScopes, true, (*Server).testURLs),
	newRoute(http.MethodPost, "/v1/bucket-secrets/upload/multipart", userScopes, true, (*Server).multipartUpload),
	newRoute(http.MethodGet, "/v1/organizations/{organization_id}/orbits", userScopes, false, (*Server).listOrbits),
	newRoute(http.MethodPost, "/v1/organizations/{organization_id}/orbits", userScopes, true, (*Server).createOrbit),
}

func (rt *route) match(path string) (map[string]string, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(segs) != len(rt.pattern) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range rt.pattern {
		switch {
		case strings.HasPrefix(p, "{"):
			if segs[i] == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = segs[i]
		case p != segs[i]:
			return nil, false
		}
	}
	return params, true
}

// dispatch routes the request as Starlette would: a full match wins, then
// the first route matching only the path answers 405 with its own method
// in Allow (FastAPI routes do not answer HEAD either), then a
// trailing-slash redirect, then 404.
func (s *Server) dispatch(r *http.Request, body []byte) response {
	var partial *route
	for i := range routes {
		rt := &routes[i]
		params, ok := rt.match(r.URL.Path)
		switch {
		case ok && rt.method == r.Method:
			return s.serveRoute(rt, r, params, body)
		case ok && partial == nil:
			partial = rt
		}
	}
	if partial != nil {
		resp := detail(http.StatusMethodNotAllowed, "Method Not Allowed")
		resp.header = http.Header{"Allow": {partial.method}}
		return resp
	}
	if p := r.URL.Path; p != "/" && strings.HasSuffix(p, "/") {
		trimmed := strings.TrimRight(p, "/")
		for i := range routes {
			if _, ok := routes[i].match(trimmed); ok {
				return redirect(r, trimmed)
			}
		}
	}
	return detail(http.StatusNotFound, "Not Found")
}

// redirect is Starlette's redirect_slashes answer: 307 to the same URL with
// the new path, quoted as RedirectResponse quotes it.
func redirect(r *http.Request, path string) response {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := scheme + "://" + r.Host + path
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return response{
		status: http.StatusTemporaryRedirect,
		header: http.Header{"Location": {pyQuote(u, ":/%#?=@[]!$&'()*+,;")}},
	}
}

// pyQuote is urllib.parse.quote: percent-encode every byte outside the
// unreserved set and safe.
func pyQuote(s, safe string) string {
	const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(unreserved, c) >= 0 || strings.IndexByte(safe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// serveRoute runs FastAPI's steps for a matched route: body decoding (its
// errors come before authentication), authentication, then the handler,
// which validates parameters and checks permissions.
func (s *Server) serveRoute(rt *route, r *http.Request, params map[string]string, body []byte) response {
	c := &call{params: params}
	if rt.hasBody && len(body) > 0 {
		if !isJSONContentType(r.Header.Get("Content-Type")) {
			c.body = string(body)
		} else {
			v, malformedAt, err := decodeJSON(body)
			switch {
			case err != nil:
				return detail(http.StatusBadRequest, "There was an error parsing the body")
			case malformedAt >= 0:
				return validationError([]*object{obj(
					"type", "json_invalid", "loc", []any{"body", malformedAt}, "msg", "JSON decode error", "input", obj(),
				)})
			}
			c.body = v
		}
	}
	user, ok := s.authenticate(r)
	if !ok {
		return detail(http.StatusUnauthorized, "Not authenticated")
	}
	// Only API keys can authenticate here, so a route without the api_key
	// scope always refuses.
	if !slices.Contains(rt.scopes, "api_key") {
		return detail(http.StatusForbidden, "This endpoint requires "+strings.Join(rt.scopes, ", ")+" authentication.")
	}
	c.user = user
	return rt.handle(s, c)
}

// isJSONContentType is FastAPI's test for decoding the body as JSON: no
// content type at all, or application/json or application/*+json.
func isJSONContentType(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	sub, ok := strings.CutPrefix(mt, "application/")
	return ok && (sub == "json" || strings.HasSuffix(sub, "+json"))
}

// authenticate follows JWTAuthenticationBackend: an Authorization header
// must be exactly "Bearer <token>" (any case); without the header the
// access_token cookie is used. Only dfs_ API keys can succeed, since the
// emulator issues no JWTs, satellite keys or relay tokens.
func (s *Server) authenticate(r *http.Request) (*User, bool) {
	var token string
	if h := r.Header.Get("Authorization"); h != "" {
		parts := strings.Fields(h)
		if len(parts) != 2 || !strings.EqualFold(parts[0], "bearer") {
			return nil, false
		}
		token = parts[1]
	} else if ck, err := r.Cookie("access_token"); err == nil {
		token = ck.Value
	}
	if !strings.HasPrefix(token, "dfs_") {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.usersByKey[token]
	if u == nil {
		return nil, false
	}
	cp := *u
	return &cp, true
}

// pathUUIDs validates the named path parameters, in order, into v.
func (c *call) pathUUIDs(v *validation, names ...string) []string {
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = v.pathUUID(n, c.params[n])
	}
	return ids
}
