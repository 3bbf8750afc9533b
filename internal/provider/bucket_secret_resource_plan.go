package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ModifyPlan keeps a plan empty when nothing but the spelling of the endpoint differs. The
// framework marks updated_at and orbits unknown as soon as any configured value differs from
// the state, even when a plan modifier then restores the state's value.
func (r *bucketSecretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	// Without a change, the plan already is the state. Checking that first spares a plan of N
	// unchanged secrets 3N conversions between Terraform values and the model.
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		return
	}
	var plan, state bucketSecretResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.UpdatedAt, plan.Orbits = state.UpdatedAt, state.Orbits
	candidate := resp.Plan
	resp.Diagnostics.Append(candidate.Set(ctx, &plan)...)
	if !resp.Diagnostics.HasError() && candidate.Raw.Equal(req.State.Raw) {
		resp.Plan = candidate
	}
}
