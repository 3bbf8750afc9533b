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
	"github.com/hashicorp/go-retryablehttp"
)

// DefaultBaseURL is the public LUML API.
const DefaultBaseURL = "https://api.luml.ai"

// DefaultMaxRetries is how many times the provider retries a request unless told otherwise.
const DefaultMaxRetries = 4

const (
	defaultRequestTimeout = 30 * time.Second
	retryWaitMin          = 250 * time.Millisecond
	retryWaitMax          = 8 * time.Second
	// A server asking for a longer pause than this is not waited for beyond it: the operation's
	// own timeout should decide when to give up, not a header.
	retryAfterMax = time.Minute
	// A response body this large is cut in the debug log: a 5 TiB multipart answer has
	// thousands of URLs and nothing in it helps a reader past the first few.
	maxLoggedBody = 4096
)

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
	http       *retryablehttp.Client
	maxRetries int

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
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
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
	withTimeout := *httpClient
	withTimeout.Timeout = cfg.RequestTimeout

	c := &Client{
		baseURL:    base,
		apiKey:     cfg.APIKey,
		userAgent:  cfg.UserAgent,
		logger:     cfg.Logger,
		maxRetries: cfg.MaxRetries,
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &withTimeout
	rc.Logger = nil // attempts are logged through RequestLogHook and CheckRetry, which see the context
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = retryWaitMin
	rc.RetryWaitMax = retryWaitMax
	rc.CheckRetry = c.checkRetry
	rc.Backoff = backoff
	rc.RequestLogHook = c.logAttempt
	rc.PrepareRetry = stopRetries
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	c.http = rc
	return c, nil
}

// backoff waits exponentially, or as long as a 429 or 503 answer's Retry-After asks, up to
// retryAfterMax.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	return min(retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp), retryAfterMax)
}

// attemptState follows one logical request across its retries.
type attemptState struct {
	description string
	// caller is the context of the call: once it ends, no attempt is retried. The attempts
	// themselves may run under a context that outlives it (see outlive).
	caller context.Context

	mu        sync.Mutex
	attempts  int
	inFlight  bool // an attempt was sent and its answer is not read yet
	ambiguous bool // some attempt may have reached the server without us learning the outcome
	// lastStatus is the status of the last answer, for an error that ends without one.
	lastStatus int
	// serverOffset is a lower bound of the server's clock minus ours: the Date header of the
	// last answer is the server's time truncated to the second.
	serverOffset time.Duration
}

func (s *attemptState) wasAmbiguous() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ambiguous
}

func (s *attemptState) serverClockOffset() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.serverOffset
}

// outlive returns the context for the attempts of a request whose answer must not be lost
// to a cancellation: it ends with ctx, except that an attempt already sent then has up to
// grace more to bring its answer back. The returned function releases it.
func (s *attemptState) outlive(ctx context.Context, grace time.Duration) (context.Context, func()) {
	attemptCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var timer *time.Timer
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.inFlight {
			timer = time.AfterFunc(grace, cancel)
		} else {
			cancel()
		}
	})
	return attemptCtx, func() {
		stop()
		s.mu.Lock()
		if timer != nil {
			timer.Stop()
		}
		s.mu.Unlock()
		cancel()
	}
}

type attemptStateKey struct{}

func stateFrom(ctx context.Context) *attemptState {
	s, _ := ctx.Value(attemptStateKey{}).(*attemptState)
	return s
}

func (c *Client) logAttempt(_ retryablehttp.Logger, req *http.Request, retry int) {
	st := stateFrom(req.Context())
	if st == nil {
		return
	}
	st.mu.Lock()
	st.attempts = retry + 1
	st.inFlight = true
	st.mu.Unlock()
	if retry > 0 {
		c.logger.Debug(req.Context(), "Retrying LUML API request", map[string]any{
			"request": st.description,
			"attempt": retry + 1,
		})
	}
}

// checkRetry decides whether an attempt is worth repeating: rate limits, gateway errors and
// dropped connections are, while retries are left and the caller waits. Every request is
// retried, POST included: the URL endpoints change nothing, and CreateBucketSecret settles an
// ambiguous outcome itself. A wait that would outlast the caller's deadline is not started:
// the last answer then makes a better error than a timeout.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateFrom(ctx)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	retry := false
	switch {
	case err != nil:
		retry, _ = retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	case status == http.StatusTooManyRequests, status == http.StatusBadGateway,
		status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		retry = true
	}

	st.mu.Lock()
	if resp != nil {
		st.lastStatus = status
		if date, derr := http.ParseTime(resp.Header.Get("Date")); derr == nil {
			st.serverOffset = time.Until(date)
		}
	}
	// A 5xx may come from a server that crashed after its commit, or from a proxy that gave up
	// waiting for it.
	if err != nil || status >= 500 {
		st.ambiguous = true
	}
	attempts := st.attempts
	retry = retry && attempts <= c.maxRetries
	if retry {
		st.inFlight = false
	}
	st.mu.Unlock()

	if callerErr := st.caller.Err(); callerErr != nil && (retry || err != nil) {
		return false, callerErr
	}
	if !retry {
		return false, nil
	}
	fields := map[string]any{"request": st.description, "attempt": attempts}
	if err != nil {
		fields["error"] = transportText(err) // never the URL, which names the request already
	} else {
		fields["status"] = status
	}
	wait := c.http.Backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, attempts-1, resp)
	fields["wait"] = wait.String()
	if deadline, ok := st.caller.Deadline(); ok && time.Until(deadline) < wait {
		c.logger.Debug(ctx, "LUML API request failed; not retried, as the wait would outlast the operation's timeout", fields)
		return false, nil
	}
	c.logger.Debug(ctx, "LUML API request failed; it will be retried", fields)
	return true, nil
}

// stopRetries is the PrepareRetry hook: no new attempt once the caller has given up, even if
// the wait before it ended at the same moment.
func stopRetries(req *http.Request) error {
	if st := stateFrom(req.Context()); st != nil {
		return st.caller.Err()
	}
	return nil
}

// request is one API call: method and path below the base URL, an optional JSON body, and
// what to decode a successful answer into.
type request struct {
	method string
	path   string
	body   any
	out    any
	// grace is how long an attempt already sent may outlive ctx; zero abandons it at once.
	grace time.Duration
}

// do runs a request with retries. A non-2xx answer becomes an *Error.
func (c *Client) do(ctx context.Context, r request) error {
	_, err := c.doState(ctx, r)
	return err
}

func (c *Client) doState(ctx context.Context, r request) (*attemptState, error) {
	u := *c.baseURL
	u.Path = c.baseURL.Path + r.path
	st := &attemptState{description: r.method + " " + r.path, caller: ctx}
	attemptCtx := context.WithValue(ctx, attemptStateKey{}, st)
	if r.grace > 0 {
		var release func()
		attemptCtx, release = st.outlive(attemptCtx, r.grace)
		defer release()
	}

	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return st, fmt.Errorf("encoding the %s request: %w", r.path, err)
		}
	}
	var bodyArg any
	if payload != nil {
		bodyArg = payload
	}
	req, err := retryablehttp.NewRequestWithContext(attemptCtx, r.method, u.String(), bodyArg)
	if err != nil {
		return st, fmt.Errorf("building the %s request: %w", r.path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	c.logger.Debug(ctx, "LUML API request", map[string]any{
		"method": r.method,
		"path":   r.path,
		"body":   maskBody(payload),
	})
	started := time.Now()
	resp, err := c.http.Do(req)
	if err == nil {
		defer resp.Body.Close()
		raw, readErr := io.ReadAll(resp.Body)
		if readErr == nil {
			return st, c.answer(ctx, r, st, resp, raw, time.Since(started))
		}
		// The answer was cut off: what the request did is unknown.
		st.mu.Lock()
		st.ambiguous = true
		st.mu.Unlock()
		err = readErr
	} else if resp != nil {
		resp.Body.Close() // an answer not retried because the caller gave up
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st, &Error{Method: r.method, Path: r.path, Attempts: st.attempts, LastStatus: st.lastStatus, Err: err}
}

// answer logs and decodes the answer to a request's last attempt.
func (c *Client) answer(ctx context.Context, r request, st *attemptState, resp *http.Response, raw []byte, took time.Duration) error {
	st.mu.Lock()
	attempts := st.attempts
	st.mu.Unlock()
	c.logger.Debug(ctx, "LUML API response", map[string]any{
		"method":      r.method,
		"path":        r.path,
		"status":      resp.StatusCode,
		"attempts":    attempts,
		"duration_ms": took.Milliseconds(),
		"body":        truncate(maskBody(raw), maxLoggedBody),
	})
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newError(r.method, r.path, resp, raw, attempts)
	}
	if r.out != nil && len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, r.out); err != nil {
			return &Error{
				Method: r.method, Path: r.path, StatusCode: resp.StatusCode, Attempts: attempts,
				Err: fmt.Errorf("the answer is not the JSON expected: %w", err),
			}
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("... (%d bytes in all)", len(s))
}

// ValidateAPIKey asks the server whether the key is a valid API key.
func (c *Client) ValidateAPIKey(ctx context.Context) error {
	return c.do(ctx, request{method: http.MethodGet, path: "/v1/auth/api-keys/validate"})
}
