package luml

import (
	"context"
	"encoding/json"
	"strings"
)

// Logger receives the client's debug lines. The provider adapts it to tflog; the context is
// the one of the call, so the lines carry Terraform's request fields.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}

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
