package validators

import (
	"strings"
	"testing"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

func TestS3BucketNameProblem(t *testing.T) {
	for name, want := range map[string]string{
		"models":                       "",
		"acme.models-2026":             "",
		"abc":                          "",
		strings.Repeat("a", 63):        "",
		"1.2.3":                        "",
		"999.168.5.4":                  "is formatted as an IP address",
		"300.1.1.1":                    "is formatted as an IP address",
		"192.168.01.1":                 "is formatted as an IP address",
		"1.2.3.4.5":                    "",
		"v1.2.3.4":                     "",
		"ab":                           "has 2 characters, not 3 to 63",
		strings.Repeat("a", 64):        "has 64 characters, not 3 to 63",
		"Models":                       "has the upper-case letter 'M'",
		"acme_models":                  "has '_'",
		"acme models":                  "has ' '",
		"mödels":                       "has 'ö'",
		"-models":                      "starts with '-'",
		".models":                      "starts with '.'",
		"models-":                      "ends with '-'",
		"acme..models":                 `has ".."`,
		"acme.-models":                 `has ".-"`,
		"acme-.models":                 `has "-."`,
		"192.168.5.4":                  "is formatted as an IP address",
		"d41d8cd98f00b204e9800998ecf8": "",
	} {
		got := s3BucketNameProblem(name)
		if (want == "") != (got == "") || !strings.HasPrefix(got, want) {
			t.Errorf("s3BucketNameProblem(%q) = %q, want %q...", name, got, want)
		}
		// The validator mirrors the strict check of the library that signs LUML's URLs.
		if strict := s3utils.CheckValidBucketNameStrict(name); (strict == nil) != (got == "") {
			t.Errorf("s3BucketNameProblem(%q) = %q, but minio-go's strict check says %v", name, got, strict)
		}
	}
}

func TestAzureContainerNameProblem(t *testing.T) {
	for name, want := range map[string]string{
		"models":                "",
		"acme-models-2026":      "",
		"0ab":                   "",
		strings.Repeat("a", 63): "",
		"ab":                    "has 2 characters, not 3 to 63",
		"Models":                "has the upper-case letter 'M'",
		"acme.models":           "has '.'",
		"acme_models":           "has '_'",
		"-models":               "starts with '-'",
		"models-":               "ends with '-'",
		"acme--models":          "has two hyphens side by side",
	} {
		got := azureContainerNameProblem(name)
		if (want == "") != (got == "") || !strings.HasPrefix(got, want) {
			t.Errorf("azureContainerNameProblem(%q) = %q, want %q...", name, got, want)
		}
	}
}
