// Package luml is a client for the LUML REST API. It knows nothing of Terraform: the provider
// translates between its own models and the types here.
package luml

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// DefaultBaseURL is the public LUML API.
const DefaultBaseURL = "https://api.luml.ai"

// DefaultMaxRetries is how many times the provider retries a request unless told otherwise.
const DefaultMaxRetries = 4

const defaultRequestTimeout = 30 * time.Second

// Config holds what a Client needs. Only APIKey is required.
type Config struct {
	BaseURL        string
	APIKey         string
	UserAgent      string
	RequestTimeout time.Duration // per attempt; zero means 30 s
	MaxRetries     int           // retries after the first attempt; zero or negative means none
	Logger         Logger        // nil discards logs
	HTTPClient     *http.Client  // optional; its Timeout is overridden by RequestTimeout
}

// Client talks to one LUML API with one API key. It is safe for concurrent use.
type Client struct {
	baseURL    *url.URL
	apiKey     string
	userAgent  string
	logger     Logger
	maxRetries int
	// api sends the attempts of API requests and logs them; storage sends the connection
	// check's requests to presigned URLs, which are never logged.
	api     *http.Client
	storage *http.Client

	orgMu   sync.Mutex
	orgList []Organization

	secretLists secretListCache
}

// ParseBaseURL checks that raw is an absolute http(s) URL without query or fragment and
// returns it without a trailing slash.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %s", raw, urlErrorText(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q must start with https:// (or http:// for a local server)", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%q must not carry credentials, a query or a fragment", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

func urlErrorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// New builds a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, errors.New("the API key is empty")
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = defaultRequestTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = nopLogger{}
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-luml"
	}

	httpClient := cfg.HTTPClient
	if httpClient == nil {
		// Pooled, with enough idle connections per host that parallel Terraform operations
		// do not serialise on a handful of sockets.
		httpClient = cleanhttp.DefaultPooledClient()
		if t, ok := httpClient.Transport.(*http.Transport); ok {
			t.MaxIdleConnsPerHost = 64
		}
	}
	storage := *httpClient
	storage.Timeout = cfg.RequestTimeout
	api := storage
	api.Transport = loggingTransport{next: transportOf(&storage), logger: cfg.Logger}
	api.CheckRedirect = sameOriginRedirects

	return &Client{
		baseURL:    base,
		apiKey:     cfg.APIKey,
		userAgent:  cfg.UserAgent,
		logger:     cfg.Logger,
		maxRetries: max(cfg.MaxRetries, 0),
		api:        &api,
		storage:    &storage,
	}, nil
}

func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return http.DefaultTransport
}

// request is one API call: method and path below the base URL, an optional JSON body, and
// what to decode a successful answer into.
type request struct {
	method string
	path   string
	body   any
	out    any
	// grace is how long an attempt already sent may outlive the caller's context; zero
	// abandons it at once.
	grace time.Duration
}

func (r request) String() string { return r.method + " " + r.path }

// do runs a request (see send) and returns only its error.
func (c *Client) do(ctx context.Context, r request) error {
	_, err := c.send(ctx, r)
	return err
}

// send runs r's attempts, one after the other, until one gets an answer not worth retrying,
// the retries run out or the caller gives up; then it decodes the last answer. A non-2xx
// answer becomes an *Error. The returned attempts say what the server may have done, whatever
// the outcome.
func (c *Client) send(ctx context.Context, r request) (*attempts, error) {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return &attempts{}, fmt.Errorf("encoding the %s request: %w", r.path, err)
		}
	}
	done := &attempts{}
	for {
		done.count++
		attemptCtx, release := attemptContext(ctx, r.grace)
		req, err := c.newRequest(withAttemptNumber(attemptCtx, done.count), r, payload)
		if err != nil {
			release()
			return done, err
		}
		resp, err := c.api.Do(req)
		done.record(resp, err)
		next := c.decide(ctx, r, done, resp, err)
		if !next.retry {
			err = finish(ctx, r, done, resp, err, next.stop) // the answer is read under the attempt's context
			release()
			return done, err
		}
		drain(resp)
		release()
		if !pause(ctx, next.wait) {
			return done, done.failure(r, ctx.Err())
		}
	}
}

// finish turns the last attempt into the call's result: its decoded answer, or the reason it
// has none.
func finish(ctx context.Context, r request, done *attempts, resp *http.Response, err, stop error) error {
	switch {
	case stop != nil:
		drain(resp)
		return done.failure(r, stop)
	case err != nil:
		return done.failure(r, callerErrOr(ctx, err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		done.ambiguous = true // the answer was cut off: what the request did is unknown
		return done.failure(r, callerErrOr(ctx, err))
	}
	return decode(r, done, resp, raw)
}

// newRequest builds the HTTP request of one attempt of r.
func (c *Client) newRequest(ctx context.Context, r request, payload []byte) (*http.Request, error) {
	u := *c.baseURL
	u.Path = c.baseURL.Path + r.path
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("building the %s request: %w", r.path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// callerErrOr prefers the caller's cancellation or timeout to the transport error it caused.
func callerErrOr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// drain reads and closes an answer that will not be used, so that its connection is reused.
func drain(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
}

// decode turns the last answer into r.out or an *Error.
func decode(r request, done *attempts, resp *http.Response, raw []byte) error {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newError(r.method, r.path, resp, raw, done.count)
	}
	if r.out != nil && len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, r.out); err != nil {
			return &Error{
				Method: r.method, Path: r.path, StatusCode: resp.StatusCode, Attempts: done.count,
				Err: fmt.Errorf("the answer is not the JSON expected: %w", err),
			}
		}
	}
	return nil
}
