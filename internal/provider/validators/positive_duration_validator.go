package validators

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// positiveDurationValidator refuses what is not a positive Go duration, in one sentence with
// an example: a number without a unit ("30") is the usual slip.
type positiveDurationValidator struct{}

// PositiveDuration checks that a value is a positive Go duration such as 30s or 2m.
func PositiveDuration() validator.String { return positiveDurationValidator{} }

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
	value := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(value)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a duration: write a number with a unit, such as \"30s\", \"90s\" or \"2m\".", value))
	case d <= 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a positive duration: write a number with a unit, such as \"30s\", \"90s\" or \"2m\".", value))
	}
}
