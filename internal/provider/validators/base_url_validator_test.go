package validators

import (
	"strings"
	"testing"
)

func TestBaseURLProblem(t *testing.T) {
	for raw, want := range map[string]string{
		"https://api.luml.ai":              "",
		"https://api.luml.ai/":             "",
		"http://127.0.0.1:8000":            "",
		"api.luml.ai":                      `"api.luml.ai" has no scheme`,
		"api.luml.ai:443":                  `"api.luml.ai:443" has no scheme`,
		"https://api.luml.ai/v1":           `"https://api.luml.ai/v1" ends with /v1, which the provider adds itself (requests would go to /v1/v1/...`,
		"https://api.luml.ai/v1/":          `"https://api.luml.ai/v1/" ends with /v1`,
		"https://example.com/luml/v1":      `"https://example.com/luml/v1" ends with /v1`,
		"https://example.com/luml":         `"https://example.com/luml" has a path (/luml)`,
		"ftp://api.luml.ai":                "must start with https://",
		"https://api.luml.ai?x=1":          "must not carry credentials, a query or a fragment",
		"https://user:hunter2@api.luml.ai": "must not carry a user name or password",
	} {
		got := BaseURLProblem(raw)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("BaseURLProblem(%q) = %q, want it to contain %q", raw, got, want)
		}
		if strings.Contains(got, "hunter2") {
			t.Errorf("BaseURLProblem(%q) repeats the password: %q", raw, got)
		}
	}
}

func TestPlainHTTPHost(t *testing.T) {
	for raw, want := range map[string]string{
		"https://api.luml.ai":          "",
		"http://localhost:8000":        "",
		"http://LOCALHOST":             "",
		"http://127.0.0.1:8000":        "",
		"http://127.8.9.10":            "",
		"http://[::1]:8000":            "",
		"http://[::ffff:127.0.0.1]":    "",
		"http://api.luml.ai":           "api.luml.ai",
		"http://10.0.0.5:8000":         "10.0.0.5",
		"http://localhost.example.com": "localhost.example.com",
		"http://128.0.0.1":             "128.0.0.1",
	} {
		if got := plainHTTPHost(raw); got != want {
			t.Errorf("plainHTTPHost(%q) = %q, want %q", raw, got, want)
		}
	}
}
