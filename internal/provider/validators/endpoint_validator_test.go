package validators

import (
	"strings"
	"testing"
)

func TestEndpointProblem(t *testing.T) {
	for endpoint, want := range map[string]string{
		"s3.eu-central-1.amazonaws.com": "",
		"https://minio.local:9000":      "",
		"http://127.0.0.1:9000":         "",
		"http://https://a.example":      "",
		"[::1]:9000":                    "",
		"":                              "is empty",
		"https://":                      "is empty",
		"HTTPS://s3.example.com":        "has a scheme",
		"s3.example.com/bucket":         "has a path",
		"s3.example.com/":               "has a path",
		"s3 example.com":                "is not a host name",
	} {
		if got := endpointProblem(endpoint); !strings.HasPrefix(got, want) || (want == "" && got != "") {
			t.Errorf("endpointProblem(%q) = %q, want %q...", endpoint, got, want)
		}
	}
}
