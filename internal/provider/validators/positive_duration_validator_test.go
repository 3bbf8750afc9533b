package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A duration that does not parse or is not positive is refused in one sentence, at the
// attribute, with an example; neither Go's parse error nor a value dump shows.
func TestPositiveDurationValidator(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  string // "" when accepted
	}{
		{"30", `"30" is not a duration: write a number with a unit, such as "30s"`},
		{"soon", `"soon" is not a duration`},
		{"0s", `"0s" is not a positive duration`},
		{"-5m", `"-5m" is not a positive duration`},
		{"30s", ""},
		{"1m30s", ""},
	} {
		t.Run(tt.value, func(t *testing.T) {
			req := validator.StringRequest{Path: path.Root("request_timeout"), ConfigValue: types.StringValue(tt.value)}
			var resp validator.StringResponse
			positiveDurationValidator{}.ValidateString(context.Background(), req, &resp)
			if tt.want == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("refused: %v", resp.Diagnostics)
				}
				return
			}
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("%d diagnostics, want 1", len(resp.Diagnostics))
			}
			d := resp.Diagnostics[0]
			if p, ok := d.(interface{ Path() path.Path }); !ok || !p.Path().Equal(path.Root("request_timeout")) {
				t.Errorf("not attached to request_timeout")
			}
			detail := d.Detail()
			if !strings.HasPrefix(detail, tt.want) || strings.Count(detail, ".") != 1 || !strings.HasSuffix(detail, ".") {
				t.Errorf("detail %q, want one sentence starting %q", detail, tt.want)
			}
			for _, noise := range []string{"Given Value", "time:", "\n"} {
				if strings.Contains(detail, noise) {
					t.Errorf("the detail shows %q: %q", noise, detail)
				}
			}
		})
	}
}
