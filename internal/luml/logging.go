package luml

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Logger receives the client's debug lines. The provider adapts it to tflog; the context is
// the one of the call, so the lines carry Terraform's request fields.
type Logger interface {
	// DebugEnabled reports whether Debug lines are kept. When they are not, the client skips
	// the work of preparing them, such as masking a multi-megabyte answer.
	DebugEnabled(ctx context.Context) bool
	Debug(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) DebugEnabled(context.Context) bool             { return false }
func (nopLogger) Debug(context.Context, string, map[string]any) {}

// A response body this large is cut in the debug log: a 5 TiB multipart answer has thousands
// of URLs and nothing in it helps a reader past the first few.
const maxLoggedBody = 4096

type attemptNumberKey struct{}

// withAttemptNumber tells the log which attempt of its request an HTTP request is (from 1).
func withAttemptNumber(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptNumberKey{}, n)
}

// loggingTransport logs each attempt of an API request and its answer, bodies masked, never
// the headers (the API key is in one).
type loggingTransport struct {
	next   http.RoundTripper
	logger Logger
}

func (t loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !t.logger.DebugEnabled(ctx) {
		return t.next.RoundTrip(req)
	}
	attempt, _ := ctx.Value(attemptNumberKey{}).(int)
	if attempt > 1 {
		t.logger.Debug(ctx, "Retrying LUML API request", map[string]any{
			"request": req.Method + " " + req.URL.Path,
			"attempt": attempt,
		})
	} else {
		t.logger.Debug(ctx, "LUML API request", map[string]any{
			"method": req.Method,
			"path":   req.URL.Path,
			"body":   maskBody(requestBody(req)),
		})
	}
	started := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	raw, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	// The caller reads the same bytes, and the same error after them.
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(raw), failingReader{readErr}))
	t.logger.Debug(ctx, "LUML API response", map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"status":      resp.StatusCode,
		"attempt":     attempt,
		"duration_ms": time.Since(started).Milliseconds(),
		"body":        truncate(maskBody(raw), maxLoggedBody),
	})
	return resp, nil
}

func requestBody(req *http.Request) []byte {
	if req.GetBody == nil {
		return nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil
	}
	raw, _ := io.ReadAll(body)
	return raw
}

// failingReader returns err, or io.EOF when err is nil.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) {
	if r.err == nil {
		return 0, io.EOF
	}
	return 0, r.err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("... (%d bytes in all)", len(s))
}

const masked = "***"

// secretKeys are JSON keys whose values never reach a log line: credentials, presigned URLs
// (they grant access to the bucket for 12 hours) and the API key the server may echo.
var secretKeys = map[string]bool{
	"access_key":    true,
	"secret_key":    true,
	"session_token": true,
	"presigned_url": true,
	"download_url":  true,
	"delete_url":    true,
	"url":           true,
	"complete_url":  true,
	"key":           true,
}

// maskBody renders a JSON body for a log line with every secret replaced. An Azure endpoint
// is its connection string, account key included, so an endpoint that looks like one is
// masked too. A body that is not JSON is kept only if it is short plain text.
func maskBody(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		s := string(raw)
		if len(s) > 200 || strings.ContainsAny(s, "?=") {
			return "(non-JSON body omitted)"
		}
		return s
	}
	out, err := json.Marshal(maskValue(v))
	if err != nil {
		return "(body omitted)"
	}
	return string(out)
}

func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			switch {
			case secretKeys[k] && val != nil:
				t[k] = masked
			case k == "endpoint" && looksLikeConnectionString(val):
				t[k] = masked
			default:
				t[k] = maskValue(val)
			}
		}
		return t
	case []any:
		for i := range t {
			t[i] = maskValue(t[i])
		}
		return t
	default:
		return v
	}
}

func looksLikeConnectionString(v any) bool {
	s, ok := v.(string)
	return ok && (strings.Contains(s, "AccountKey") || strings.Contains(s, "SharedAccessSignature") ||
		strings.Contains(s, ";"))
}
