package luml

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
)

// Error is a failed API call: either an HTTP answer outside 2xx (StatusCode set) or a
// transport failure (Err set, StatusCode zero).
type Error struct {
	Method     string
	Path       string
	StatusCode int
	// Detail is the server's explanation, made readable: the "detail" string, or the
	// validation errors of a 422 joined into one sentence.
	Detail     string
	Validation []ValidationIssue
	Attempts   int
	// LastStatus is, for a failure without an answer (StatusCode zero), the status of the
	// last answer an earlier attempt got; zero when none did.
	LastStatus int
	Err        error
}

// ValidationIssue is one entry of a FastAPI 422 answer.
type ValidationIssue struct {
	Type     string `json:"type"`
	Location []any  `json:"loc"`
	Message  string `json:"msg"`
}

// Field renders the location as the dotted path a user can find in a request body.
func (v ValidationIssue) Field() string {
	parts := make([]string, 0, len(v.Location))
	for i, p := range v.Location {
		s := fmt.Sprint(p)
		// "body" and the union tag ("s3", "azure") are noise to a user.
		if i == 0 && (s == "body" || s == "path") {
			continue
		}
		if i == 1 && (s == "s3" || s == "azure") && len(v.Location) > 2 {
			continue
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "request body"
	}
	return strings.Join(parts, ".")
}

func newError(method, path string, resp *http.Response, raw []byte, attempts int) *Error {
	e := &Error{Method: method, Path: path, StatusCode: resp.StatusCode, Attempts: attempts}
	var body struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(raw, &body) == nil && len(body.Detail) > 0 {
		var text string
		if json.Unmarshal(body.Detail, &text) == nil {
			e.Detail = text
		} else if json.Unmarshal(body.Detail, &e.Validation) == nil && len(e.Validation) > 0 {
			msgs := make([]string, len(e.Validation))
			for i, v := range e.Validation {
				msgs[i] = v.Field() + ": " + v.Message
			}
			e.Detail = strings.Join(msgs, "; ")
		}
	}
	if e.Detail == "" {
		// A bare "Internal Server Error" text, an HTML page from a proxy: the status says it.
		e.Detail = http.StatusText(resp.StatusCode)
	}
	return e
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%s %s answered %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
		if e.Detail != "" && e.Detail != http.StatusText(e.StatusCode) {
			fmt.Fprintf(&b, ": %s", strings.TrimSuffix(e.Detail, "."))
		} else if e.Err != nil {
			// A 2xx answer that could not be decoded: without the reason the message would
			// read as a success.
			fmt.Fprintf(&b, ": %s", e.Err)
		}
	} else {
		fmt.Fprintf(&b, "%s %s failed: %s", e.Method, e.Path, transportText(e.Err))
	}
	lastAnswer := ""
	if e.StatusCode == 0 && e.LastStatus != 0 {
		lastAnswer = fmt.Sprintf("; the last answer was %d %s", e.LastStatus, http.StatusText(e.LastStatus))
	}
	switch {
	case e.Attempts > 1:
		fmt.Fprintf(&b, " (after %d attempts%s)", e.Attempts, lastAnswer)
	case lastAnswer != "":
		fmt.Fprintf(&b, " (after 1 attempt%s)", lastAnswer)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// transportText turns a Go error chain into one plain clause, without the URL (which the
// message already names) and without the nested "Post ...: dial tcp ..." prefixes.
func transportText(err error) string {
	switch {
	case err == nil:
		return "unknown error"
	case errors.Is(err, context.DeadlineExceeded):
		return "the operation timed out"
	case errors.Is(err, context.Canceled):
		return "the operation was cancelled"
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return "no answer within the request timeout"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return "could not connect to the server (" + opErr.Err.Error() + ")"
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
		return "the connection was closed before an answer arrived"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

func statusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsConflict reports a 409 answer.
func IsConflict(err error) bool { return statusOf(err) == http.StatusConflict }

// IsForbidden reports a 403 answer.
func IsForbidden(err error) bool { return statusOf(err) == http.StatusForbidden }

// IsUnauthorized reports a 401 answer.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }
