package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan defaults organization_id on create, keeps a plan free of server-side changes
// when only the provider's own attributes change, warns about the orbits a destroy, a
// replacement or an update affects, and refuses an update that would erase credentials the
// provider has never seen.
func (r *bucketSecretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	switch {
	case req.State.Raw.IsNull():
		if !req.Plan.Raw.IsNull() {
			r.planOrganization(ctx, req, resp)
		}
		return
	case req.Plan.Raw.IsNull():
		// Two attributes, rather than the whole model, for each secret a destroy plans.
		var id types.String
		var orbits types.List
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("orbits"), &orbits)...)
		if !resp.Diagnostics.HasError() {
			r.warnAboutOrbits(ctx, req.Private, id.ValueString(), orbits, "destroy", true, &resp.Diagnostics)
		}
		return
	case req.Plan.Raw.Equal(req.State.Raw):
		// Without a change, the plan already is the state. Checking that first spares a plan
		// of N unchanged secrets 3N conversions between Terraform values and the model.
		return
	}
	var plan, state, config bucketSecretResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.sendsChangeFrom(state) {
		// Nothing LUML stores changes (an endpoint spelt with a scheme, timeouts,
		// verify_connection): the update makes no request, so updated_at and orbits, which
		// the framework marks unknown on any change, stay as they are.
		plan.UpdatedAt, plan.Orbits = state.UpdatedAt, state.Orbits
		candidate := resp.Plan
		resp.Diagnostics.Append(candidate.Set(ctx, &plan)...)
		if !resp.Diagnostics.HasError() {
			resp.Plan = candidate
		}
		return
	}
	// ModifyPlan does not see the RequiresReplace of the attributes' plan modifiers: a change
	// of type or organization_id is what replaces the secret.
	if !plan.Type.Equal(state.Type) || !plan.OrganizationID.Equal(state.OrganizationID) {
		r.warnAboutOrbits(ctx, req.Private, state.ID.ValueString(), state.Orbits, "replacement (which deletes this secret)",
			true, &resp.Diagnostics)
		return // a new secret gets what the configuration says; nothing is erased
	}
	if changed := repointedAttributes(plan, state); len(changed) > 0 {
		r.warnAboutOrbits(ctx, req.Private, state.ID.ValueString(), state.Orbits, strings.Join(changed, ", "), false,
			&resp.Diagnostics)
	}
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || config.setsCredentials() || config.NoCredentials.ValueBool() {
		return
	}
	seen, diags := credentialsSeen(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if !seen {
		addCredentialGuardError(&resp.Diagnostics, state)
	}
}

// planOrganization plans the provider's organization for a new secret that names none, so
// that organization_id is known at plan time. It cannot be a schema default or plan
// modifier: the framework builds the schema from a resource the provider has not configured.
func (r *bucketSecretResource) planOrganization(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return // the provider is not configured in this plan; the value stays unknown
	}
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("organization_id"), &configured)...)
	if resp.Diagnostics.HasError() || !configured.IsNull() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("organization_id"), r.data.organization.ID)...)
}
