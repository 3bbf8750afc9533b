package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Only the data source's id, which has a bucket_name alternative, suggests it; an ID in
// another spelling is shown in the canonical one.
func TestUUIDValidator(t *testing.T) {
	for _, tt := range []struct {
		name   string
		v      uuidValidator
		value  string
		want   string
		absent string
	}{
		{"bucket name, data source", uuidValidator{byBucketName: true}, "acme-models",
			`set bucket_name = "acme-models" instead of id`, ""},
		{"bucket name, elsewhere", uuidValidator{}, "acme-models", `must be a UUID such as`, "bucket_name"},
		{"braced UUID", uuidValidator{byBucketName: true}, "{0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41}",
			"write 0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41.", "bucket_name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := validator.StringRequest{Path: path.Root("id"), ConfigValue: types.StringValue(tt.value)}
			var resp validator.StringResponse
			tt.v.ValidateString(context.Background(), req, &resp)
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("%d diagnostics, want 1", len(resp.Diagnostics))
			}
			d := resp.Diagnostics[0]
			if p, ok := d.(interface{ Path() path.Path }); !ok || !p.Path().Equal(path.Root("id")) {
				t.Error("not attached to id")
			}
			if !strings.Contains(d.Detail(), tt.want) || (tt.absent != "" && strings.Contains(d.Detail(), tt.absent)) {
				t.Errorf("detail %q: want %q, and no %q", d.Detail(), tt.want, tt.absent)
			}
		})
	}
	var resp validator.StringResponse
	uuidValidator{}.ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("id"), ConfigValue: types.StringValue("0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41"),
	}, &resp)
	if resp.Diagnostics.HasError() {
		t.Errorf("a canonical UUID is refused: %v", resp.Diagnostics)
	}
}

func TestIsCanonicalUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41":          true,
		"0199C3A2-7B1E-7CC4-A3F5-2B7F0E0C9D41":          true,
		"0199c3a27b1e7cc4a3f52b7f0e0c9d41":              false,
		"{0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41}":        false,
		"urn:uuid:0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41": false,
		"0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d4g":          false,
		"models":                                        false,
	} {
		if got := IsCanonicalUUID(s); got != want {
			t.Errorf("IsCanonicalUUID(%q) = %v, want %v", s, got, want)
		}
	}
}
