package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// ModifyPlan does four jobs, one step each.
func (r *bucketSecretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	c, ok := r.classifyPlan(ctx, req, resp)
	if !ok {
		return
	}
	r.planDefaultOrganization(ctx, c, resp) // 1. a new secret gets the provider's organization
	planNoRequestUpdate(ctx, c, resp)       // 2. an update of the provider's own attributes sends nothing
	planOrbitWarnings(c, resp)              // 3. warn about (or refuse) what the plan does to orbits
	planCredentialGuard(ctx, c, req, resp)  // 4. no plan erases credentials LUML may hold
}

type planKind int

const (
	planCreate            planKind = iota // a new secret
	planReplacementCreate                 // the new secret of a replacement (its prior state is null)
	planDestroy
	planUnchanged
	planReplacement // a change of type or organization_id: the replacement's new secret is planned next
	planUpdate      // an in-place update that sends the secret to LUML
	planLocalUpdate // an in-place update of the provider's own attributes only
)

// plannedChange is what ModifyPlan plans, with the models its steps need.
type plannedChange struct {
	kind                planKind
	plan, state, config bucketSecretResourceModel
	id                  string
	orbits              []string        // of the existing secret, at its last refresh
	replaced            *replacedSecret // for planReplacementCreate
}

// classifyPlan reads what the steps need, and notes every existing secret in the planned
// private state, in case Terraform replaces it (-replace does so without telling the provider).
func (r *bucketSecretResource) classifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) (plannedChange, bool) {
	var c plannedChange
	switch {
	case req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw):
		// A destroy, or no change: two attributes rather than the whole model, which spares a
		// plan of N unchanged secrets 3N conversions between Terraform values and the model.
		var id, bucketType types.String
		var orbits types.List
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("orbits"), &orbits)...)
		c.kind, c.id, c.orbits = planDestroy, id.ValueString(), orbitNames(orbits)
		if !req.Plan.Raw.IsNull() {
			c.kind = planUnchanged
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("type"), &bucketType)...)
			resp.Diagnostics.Append(noteReplacedSecret(ctx, resp.Private, c.id, bucketType.ValueString(), orbits)...)
		}
		return c, !resp.Diagnostics.HasError()
	case req.State.Raw.IsNull():
		resp.Diagnostics.Append(req.Plan.Get(ctx, &c.plan)...)
		resp.Diagnostics.Append(req.Config.Get(ctx, &c.config)...)
		replaced, diags := readReplacedSecret(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		c.kind, c.replaced = planCreate, replaced
		if replaced != nil {
			c.kind = planReplacementCreate
		}
		return c, !resp.Diagnostics.HasError()
	}
	resp.Diagnostics.Append(req.Plan.Get(ctx, &c.plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &c.state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &c.config)...)
	if resp.Diagnostics.HasError() {
		return c, false
	}
	c.id, c.orbits = c.state.ID.ValueString(), orbitNames(c.state.Orbits)
	resp.Diagnostics.Append(noteReplacedSecret(ctx, resp.Private, c.id, c.state.Type.ValueString(), c.state.Orbits)...)
	// ModifyPlan does not see the RequiresReplace of the attributes' plan modifiers: a change
	// of type or organization_id is what replaces the secret.
	switch {
	case !c.plan.Type.Equal(c.state.Type) || !c.plan.OrganizationID.Equal(c.state.OrganizationID):
		c.kind = planReplacement
	case c.plan.sendsChangeFrom(c.state):
		c.kind = planUpdate
	default:
		c.kind = planLocalUpdate
	}
	return c, !resp.Diagnostics.HasError()
}

// planDefaultOrganization plans the provider's organization for a new secret that names none,
// so that organization_id is known at plan time. It cannot be a schema default or plan
// modifier: the framework builds the schema from a resource the provider has not configured.
func (r *bucketSecretResource) planDefaultOrganization(ctx context.Context, c plannedChange, resp *resource.ModifyPlanResponse) {
	if (c.kind != planCreate && c.kind != planReplacementCreate) || r.data == nil || !c.config.OrganizationID.IsNull() {
		return // not a new secret, the provider is not configured in this plan, or it names its organization
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("organization_id"), r.data.organization.ID)...)
}

// planNoRequestUpdate keeps a plan free of server-side changes when nothing LUML stores
// changes (an endpoint spelt with a scheme, timeouts, verify_connection, no_credentials): the
// update makes no request, so updated_at and orbits, which the framework marks unknown on any
// change, stay as they are.
func planNoRequestUpdate(ctx context.Context, c plannedChange, resp *resource.ModifyPlanResponse) {
	if c.kind != planLocalUpdate {
		return
	}
	c.plan.UpdatedAt, c.plan.Orbits = c.state.UpdatedAt, c.state.Orbits
	candidate := resp.Plan
	resp.Diagnostics.Append(candidate.Set(ctx, &c.plan)...)
	if !resp.Diagnostics.HasError() {
		resp.Plan = candidate
	}
}

// planOrbitWarnings warns that a destroy will fail, or that an update re-points the orbits
// using the secret, and refuses a replacement that would fail.
func planOrbitWarnings(c plannedChange, resp *resource.ModifyPlanResponse) {
	switch c.kind {
	case planDestroy:
		warnAboutDestroy(c.id, c.orbits, &resp.Diagnostics)
	case planReplacementCreate:
		refuseReplacementInUse(*c.replaced, &resp.Diagnostics)
	case planUpdate:
		if changed := repointedAttributes(c.plan, c.state); len(changed) > 0 {
			warnAboutRepointing(c.id, c.orbits, strings.Join(changed, ", "), &resp.Diagnostics)
		}
	}
}

// planCredentialGuard refuses an update or a replacement that would leave LUML fewer
// credentials than it may hold, and warns about a new S3 secret without any.
func planCredentialGuard(ctx context.Context, c plannedChange, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if c.kind != planCreate && c.kind != planReplacementCreate && c.kind != planUpdate {
		return
	}
	sent, pending := c.config.credentialsSent()
	if c.config.NoCredentials.ValueBool() || len(pending) > 0 && c.kind != planUpdate {
		return // said so; or values still unknown, which a new secret gets whatever they are
	}
	switch c.kind {
	case planCreate:
		if len(sent) == 0 && c.plan.Type.ValueString() == string(luml.BucketTypeS3) {
			resp.Diagnostics.AddAttributeWarning(path.Root("no_credentials"), "Bucket secret without credentials",
				"The configuration gives no credentials, so LUML will reach the bucket anonymously. If the bucket "+
					"is public, set no_credentials = true, which says so and silences this warning; otherwise set "+
					"access_key and secret_key, or access_key_wo and secret_key_wo with credentials_wo_version.")
		}
	case planReplacementCreate:
		rec, diags := readCredentialRecord(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		// The new secret gets its own credentials; with none, those of the old one are lost.
		if len(sent) == 0 && len(rec.mayHold(c.replaced.Type)) > 0 {
			addCredentialGuardError(&resp.Diagnostics, "Replacement", c.replaced.ID, rec,
				credentialRecord{}.mayHold(c.plan.Type.ValueString()), "the configuration gives none for the new secret")
		}
	case planUpdate:
		rec, diags := readCredentialRecord(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		if erased := erasedCredentials(rec, c.state.Type.ValueString(), append(sent, pending...)); len(erased) > 0 {
			addCredentialGuardError(&resp.Diagnostics, "Update", c.id, rec, erased,
				"the configuration gives no value for "+strings.Join(erased, ", ")+" in this run")
		}
	}
}
