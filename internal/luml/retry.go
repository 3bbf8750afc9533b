package luml

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

const (
	retryWaitMin = 250 * time.Millisecond
	retryWaitMax = 8 * time.Second
	// A server asking for a longer pause than this is not waited for beyond it: the operation's
	// own timeout should decide when to give up, not a header.
	retryAfterMax = time.Minute
)

// attempts is what the attempts of one request told the client.
type attempts struct {
	count int
	// lastStatus is the status of the last answer, for an error that ends without one.
	lastStatus int
	// ambiguous: some attempt may have reached the server without the client learning the
	// outcome.
	ambiguous bool
	// serverOffset is a lower bound of the server's clock minus ours: the Date header of the
	// last answer is the server's time truncated to the second.
	serverOffset time.Duration
}

func (a *attempts) record(resp *http.Response, err error) {
	if resp != nil {
		a.lastStatus = resp.StatusCode
		if date, dateErr := http.ParseTime(resp.Header.Get("Date")); dateErr == nil {
			a.serverOffset = time.Until(date)
		}
	}
	// A 5xx may come from a server that crashed after its commit, or from a proxy that gave up
	// waiting for it.
	if err != nil || resp.StatusCode >= 500 {
		a.ambiguous = true
	}
}

// failure is the error of a request that ended without an answer to decode.
func (a *attempts) failure(r request, err error) *Error {
	return &Error{Method: r.method, Path: r.path, Attempts: a.count, LastStatus: a.lastStatus, Err: err}
}

// nextStep is what follows an attempt: another one after wait, or none. stop, when set, ends
// the request with that error instead of the attempt's answer.
type nextStep struct {
	retry bool
	wait  time.Duration
	stop  error
}

// decide is the retry policy. Rate limits, gateway errors and dropped connections are worth
// another attempt while retries are left and the caller waits. Every request is retried, POST
// included: the URL endpoints change nothing, and CreateBucketSecret settles an ambiguous
// outcome itself. Once the caller has given up, nothing is retried and a failed attempt's
// error is the caller's. A wait that would outlast the caller's deadline is not started: the
// last answer then makes a better error than a timeout.
func (c *Client) decide(ctx context.Context, r request, done *attempts, resp *http.Response, err error) nextStep {
	retry := retryable(ctx, resp, err) && done.count <= c.maxRetries
	if callerErr := ctx.Err(); callerErr != nil && (retry || err != nil) {
		return nextStep{stop: callerErr}
	}
	if !retry {
		return nextStep{}
	}
	wait := backoff(done.count, resp)
	fields := map[string]any{"request": r.String(), "attempt": done.count, "wait": wait.String()}
	if err != nil {
		fields["error"] = transportText(err) // never the URL, which names the request already
	} else {
		fields["status"] = resp.StatusCode
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		c.logger.Debug(ctx, "LUML API request failed; not retried, as the wait would outlast the operation's timeout", fields)
		return nextStep{}
	}
	c.logger.Debug(ctx, "LUML API request failed; it will be retried", fields)
	return nextStep{retry: true, wait: wait}
}

// retryable reports whether an attempt failed in a way another attempt may not: a transport
// error go-retryablehttp deems passing (not a TLS or redirect error), or a 429, 502, 503 or
// 504. A 500 is the API's own answer and stays.
func retryable(ctx context.Context, resp *http.Response, err error) bool {
	if err != nil {
		var redirect *RedirectError
		if errors.As(err, &redirect) {
			return false
		}
		retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
		return retry
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff waits exponentially after the attempt-th attempt, or as long as a 429 or 503
// answer's Retry-After asks, up to retryAfterMax.
func backoff(attempt int, resp *http.Response) time.Duration {
	return min(retryablehttp.DefaultBackoff(retryWaitMin, retryWaitMax, attempt-1, resp), retryAfterMax)
}

// pause waits d, and reports false if the caller gave up meanwhile.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return ctx.Err() == nil
	}
}

// attemptContext is the context of one attempt. It ends with ctx, except with a grace: an
// attempt begun before ctx ended then has up to grace more to bring its answer back, since the
// server may be acting on it. release ends it once the answer is read.
func attemptContext(ctx context.Context, grace time.Duration) (attemptCtx context.Context, release func()) {
	if grace <= 0 || ctx.Err() != nil {
		return ctx, func() {}
	}
	attemptCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	// The timer is not stopped by release: cancelling twice is harmless.
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(grace, cancel) })
	return attemptCtx, func() {
		stop()
		cancel()
	}
}
