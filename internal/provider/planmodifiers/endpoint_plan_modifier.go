package planmodifiers

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// endpointSpellingPlanModifier plans no change when the configured endpoint and the stored one are
// the same endpoint spelt with and without the scheme (after an import, say).
type endpointSpellingPlanModifier struct{}

// EndpointSpelling plans the stored endpoint when the configured one differs from it only by
// an http:// or https:// in front.
func EndpointSpelling() planmodifier.String { return endpointSpellingPlanModifier{} }

func (endpointSpellingPlanModifier) Description(context.Context) string {
	return "an endpoint with or without http:// or https:// is the same endpoint"
}

func (m endpointSpellingPlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (endpointSpellingPlanModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	switch {
	case req.ConfigValue.IsNull():
		resp.PlanValue = types.StringNull()
	case req.ConfigValue.IsUnknown():
		resp.PlanValue = req.ConfigValue
	case !req.StateValue.IsNull() &&
		luml.NormalizeEndpoint(req.ConfigValue.ValueString()) == luml.NormalizeEndpoint(req.StateValue.ValueString()):
		resp.PlanValue = req.StateValue
	default:
		resp.PlanValue = req.ConfigValue
	}
}
