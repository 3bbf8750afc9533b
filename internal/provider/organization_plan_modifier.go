package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// organizationDefault plans the provider's organization for a secret that names none. An
// existing secret keeps the organization it lives in.
type organizationDefault struct {
	r *bucketSecretResource
}

func (organizationDefault) Description(context.Context) string {
	return "defaults to the provider's organization"
}

func (d organizationDefault) MarkdownDescription(ctx context.Context) string {
	return d.Description(ctx)
}

func (d organizationDefault) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		if !req.StateValue.IsNull() && strings.EqualFold(req.ConfigValue.ValueString(), req.StateValue.ValueString()) {
			resp.PlanValue = req.StateValue
		}
		return
	}
	switch {
	case !req.StateValue.IsNull():
		resp.PlanValue = req.StateValue
	case d.r.data != nil:
		resp.PlanValue = types.StringValue(d.r.data.organization.ID)
	}
}
