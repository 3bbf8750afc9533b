package luml

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// RedirectError is a redirect the client refused to follow: to another scheme or host, where
// the API key in the Authorization header would travel in clear text or to someone else.
type RedirectError struct {
	From, To string // scheme, host and path only: a query string may carry a signature
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the API redirected %s to %s, another scheme or host; the provider does not follow such a "+
		"redirect, which would send the API key there. Set base_url to the API's own address", e.From, e.To)
}

// sameOriginRedirects is the API client's CheckRedirect: it follows a redirect on the same
// scheme and host, up to Go's usual ten, and refuses any other. Go itself keeps the
// Authorization header on a redirect to the same host, https -> http included.
func sameOriginRedirects(req *http.Request, via []*http.Request) error {
	prev := via[len(via)-1].URL
	if req.URL.Scheme != prev.Scheme || req.URL.Host != prev.Host {
		return &RedirectError{From: withoutQuery(prev), To: withoutQuery(req.URL)}
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

func withoutQuery(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
