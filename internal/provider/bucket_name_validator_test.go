package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

// The rules follow type, whether set, defaulted (unset) or not known yet.
func TestBucketNameValidatorFollowsType(t *testing.T) {
	conn := str("AccountName=acme;AccountKey=a2V5")
	cases := []struct {
		name  string
		attrs map[string]tftypes.Value
		want  string
	}{
		{"dot in an unset type's name", map[string]tftypes.Value{"bucket_name": str("acme.models")}, ""},
		{"dot in an s3 name", map[string]tftypes.Value{"type": str("s3"), "bucket_name": str("acme.models")}, ""},
		{"dot in an azure name", map[string]tftypes.Value{
			"type": str("azure"), "connection_string": conn, "bucket_name": str("acme.models"),
		}, "has '.': only lower-case letters, digits and hyphens are allowed"},
		{"upper case, type unset", map[string]tftypes.Value{"bucket_name": str("Models")},
			"has the upper-case letter 'M': only lower-case letters, digits, dots and hyphens are allowed"},
		{"upper case, type unknown", map[string]tftypes.Value{
			"type": tftypes.NewValue(tftypes.String, tftypes.UnknownValue), "bucket_name": str("Models"),
		}, ""},
		{"name unknown", map[string]tftypes.Value{
			"type": str("azure"), "connection_string": conn, "bucket_name": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		}, ""},
	}
	p := newProtoProvider(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.attrs["type"].IsNull() || c.attrs["type"].Equal(str("s3")) {
				c.attrs["endpoint"], c.attrs["region"] = str("s3.example.com"), str("eu-central-1")
			}
			var got []string
			for _, d := range p.validate("luml_bucket_secret", c.attrs) {
				if d.Summary != "Invalid bucket name" {
					t.Errorf("unexpected diagnostic %s: %s", d.Summary, d.Detail)
					continue
				}
				if d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName("bucket_name").String() {
					t.Errorf("attached to %s, not bucket_name", d.Attribute)
				}
				got = append(got, d.Detail)
			}
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("want no error, got %q", got)
			case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)):
				t.Errorf("got %q, want one error with %q", got, c.want)
			}
		})
	}
}

// An empty name gets one error, from the length validator, not a second one about the rules.
func TestBucketNameValidatorLeavesEmptyNameToLength(t *testing.T) {
	diags := newProtoProvider(t).validate("luml_bucket_secret", map[string]tftypes.Value{
		"endpoint": str("s3.example.com"), "region": str("eu-central-1"), "bucket_name": str(""),
	})
	if got := summaries(diags); got != "ERROR: Invalid Attribute Value Length" {
		t.Errorf("got %q", got)
	}
}
