package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestAzureConnectionStringProblem(t *testing.T) {
	const key = "dGVzdC1henVyZS1rZXktMTIzNA=="
	for conn, want := range map[string]string{
		"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + key + ";EndpointSuffix=core.windows.net": "",
		"AccountName=acme;AccountKey=" + key + ";":                                                               "",
		"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + key +
			";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;": "",
		"":    "is empty",
		"   ": "is empty",
		"https://acme.blob.core.windows.net/models?sv=2025-11-05&sig=abc": "is a URL",
		"AccountName=acme;broken":               "is not a list of key=value pairs",
		"=x;AccountName=acme;AccountKey=" + key: "is not a list of key=value pairs",
		"AccountName=acme;;AccountKey=" + key:   "is not a list of key=value pairs",
		"BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv=2025&sig=abc": "has no AccountName",
		"AccountName=acme;SharedAccessSignature=sv=2025&sig=abc":                                 "has no AccountKey",
		"AccountName=acme;AccountKey=":                                                           "has no AccountKey",
		"accountname=acme;accountkey=" + key:                                                     "has no AccountName",
	} {
		got := azureConnectionStringProblem(conn)
		if (want == "") != (got == "") || !strings.HasPrefix(got, want) {
			t.Errorf("azureConnectionStringProblem(#%d) = %q, want %q...", len(conn), got, want)
		}
		if strings.Contains(got, key) || (conn != "" && strings.TrimSpace(conn) != "" && strings.Contains(got, conn)) {
			t.Errorf("the problem quotes the connection string: %q", got)
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
