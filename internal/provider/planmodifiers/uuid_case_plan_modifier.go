package planmodifiers

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// uuidCasePlanModifier plans the state's value when the configured UUID differs from it only
// in letter case: LUML stores UUIDs in lower case, and the two name the same object.
type uuidCasePlanModifier struct{}

// UUIDCase plans the stored UUID when the configured one differs from it only in letter case.
func UUIDCase() planmodifier.String { return uuidCasePlanModifier{} }

func (uuidCasePlanModifier) Description(context.Context) string {
	return "a UUID in another letter case is the same UUID"
}

func (m uuidCasePlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (uuidCasePlanModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.StateValue.IsNull() {
		return
	}
	if strings.EqualFold(req.ConfigValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
