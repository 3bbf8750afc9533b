package lumlfake

import (
	"errors"
	"mime"
	"net/http"
	"slices"
	"strings"
)

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
			v, err := decodeJSON(body)
			var malformed *malformedJSON
			switch {
			case errors.As(err, &malformed):
				return validationError([]*object{obj(
					"type", "json_invalid", "loc", []any{"body", malformed.pos}, "msg", "JSON decode error", "input", obj(),
					"ctx", obj("error", malformed.msg),
				)})
			case err != nil:
				return detail(http.StatusBadRequest, "There was an error parsing the body")
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
