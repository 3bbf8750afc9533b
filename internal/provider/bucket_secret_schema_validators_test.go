package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validate runs a resource's configuration validation, as terraform validate does.
func (p *protoProvider) validate(typeName string, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: typeName, Config: p.value(p.schema.ResourceSchemas[typeName], attrs),
		// As Terraform 1.11 and OpenTofu 1.11 and later say.
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// summaries lists the diagnostics as "<severity>: <summary>", for a comparison in one line.
func summaries(diags []*tfprotov6.Diagnostic) string {
	out := make([]string, len(diags))
	for i, d := range diags {
		out[i] = d.Severity.String() + ": " + d.Summary
	}
	return strings.Join(out, "; ")
}

func TestEndpointSchemeWarnings(t *testing.T) {
	unknown := tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)
	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	null := tftypes.NewValue(tftypes.Bool, nil)
	cases := []struct {
		endpoint string
		secure   tftypes.Value
		want     string
	}{
		{"http://minio.local:9000", null, "WARNING: LUML will use HTTPS"},
		{"http://minio.local:9000", boolean(true), "WARNING: LUML will use HTTPS"},
		{"http://minio.local:9000", boolean(false), ""},
		{"http://minio.local:9000", unknown, ""},
		{"https://s3.example.com", boolean(false), "WARNING: LUML will use plain HTTP"},
		{"https://s3.example.com", null, ""},
		{"https://s3.example.com", boolean(true), ""},
		{"s3.example.com", boolean(false), ""},
		{"s3.example.com", null, ""},
	}
	p := newProtoProvider(t)
	for _, c := range cases {
		diags := p.validate("luml_bucket_secret", map[string]tftypes.Value{
			"endpoint": str(c.endpoint), "bucket_name": str("models"), "region": str("eu-central-1"), "secure": c.secure,
		})
		if got := summaries(diags); got != c.want {
			t.Errorf("endpoint %q, secure %s: got %q, want %q", c.endpoint, c.secure, got, c.want)
		}
		for _, d := range diags {
			if d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName("endpoint").String() {
				t.Errorf("the warning is attached to %s, not endpoint", d.Attribute)
			}
			checkProse(t, "the warning", d.Detail)
		}
	}
}

// Through the schema: both attributes are checked, an unknown value (such as a write-only value
// from an ephemeral resource) passes, and no diagnostic repeats the value.
func TestAzureConnectionStringValidatorInSchema(t *testing.T) {
	const sas = "BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv=2025-11-05&sig=c2VjcmV0"
	p := newProtoProvider(t)
	for i, c := range []struct {
		attribute string
		value     tftypes.Value
		wantError bool
	}{
		{"connection_string", str(sas), true},
		{"connection_string_wo", str(sas), true},
		{"connection_string_wo", tftypes.NewValue(tftypes.String, tftypes.UnknownValue), false},
		{"connection_string", str("AccountName=acme;AccountKey=a2V5"), false},
	} {
		config := map[string]tftypes.Value{"type": str("azure"), "bucket_name": str("models"), c.attribute: c.value}
		if c.attribute == "connection_string_wo" {
			// A write-only value without a version draws a warning of its own.
			config["credentials_wo_version"] = tftypes.NewValue(tftypes.Number, 1)
		}
		diags := p.validate("luml_bucket_secret", config)
		if got := summaries(diags); (got == "ERROR: Invalid Azure connection string") != c.wantError || (!c.wantError && got != "") {
			t.Errorf("%s (case %d): got %q", c.attribute, i, got)
		}
		for _, d := range diags {
			if strings.Contains(d.Detail, "c2VjcmV0") || strings.Contains(d.Summary, "c2VjcmV0") {
				t.Errorf("the diagnostic repeats the connection string: %s", d.Detail)
			}
			if want := tftypes.NewAttributePath().WithAttributeName(c.attribute); !d.Attribute.Equal(want) {
				t.Errorf("attached to %s, want %s", d.Attribute, want)
			}
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
