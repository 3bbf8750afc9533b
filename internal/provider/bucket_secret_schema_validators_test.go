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
