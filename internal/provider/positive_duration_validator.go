package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// positiveDurationValidator refuses a zero or negative duration. The attribute's type,
// timetypes.GoDuration, already refuses what does not parse.
type positiveDurationValidator struct{}

func (positiveDurationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}

func (v positiveDurationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (positiveDurationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a positive duration. Use a number with a unit, such as 30s, 90s or 2m.",
				req.ConfigValue.ValueString()))
	}
}
