package provider

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

var (
	_ resource.ResourceWithConfigure      = &bucketSecretResource{}
	_ resource.ResourceWithImportState    = &bucketSecretResource{}
	_ resource.ResourceWithValidateConfig = &bucketSecretResource{}
	_ resource.ResourceWithIdentity       = &bucketSecretResource{}
	_ resource.ResourceWithModifyPlan     = &bucketSecretResource{}
)

const defaultOperationTimeout = 10 * time.Minute

func newBucketSecretResource() resource.Resource { return &bucketSecretResource{} }

type bucketSecretResource struct {
	data *providerData
}

func (r *bucketSecretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_secret"
}

func (r *bucketSecretResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *bucketSecretResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config bucketSecretResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel := operationContext(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	orgID := r.data.organizationID(plan.OrganizationID.ValueString())
	spec, credentials := plan.toAPI(config)
	ctx = maskCredentials(ctx, credentials)

	if plan.VerifyConnection.ValueBool() {
		if err := r.data.client.CheckConnection(ctx, orgID, "", spec); err != nil {
			addConnectionCheckError(&resp.Diagnostics, spec.Type(), err)
			return
		}
	}
	secret, err := r.data.client.CreateBucketSecret(ctx, orgID, spec)
	if err != nil {
		r.addCreateError(ctx, &resp.Diagnostics, orgID, spec, err)
		return
	}
	tflog.Trace(ctx, "Created bucket secret", map[string]any{"id": secret.ID})

	// A secret that did not exist a moment ago has no orbits: the empty list of the answer is
	// the truth, and no read-back is needed.
	plan.fromAPI(secret, plan)
	plan.OrganizationID = keepUUIDCase(plan.OrganizationID, secret.OrganizationID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identityOf(plan))...)
	sent, _ := config.credentialsSent()
	resp.Diagnostics.Append(writeCredentialRecord(ctx, resp.Private, sent)...)
}

func (r *bucketSecretResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state bucketSecretResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel := operationContext(ctx, state.Timeouts.Read, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	orgID := r.data.organizationID(state.OrganizationID.ValueString())
	secret, err := r.data.client.RefreshBucketSecret(ctx, orgID, state.ID.ValueString())
	if luml.IsNotFound(err) && state.Type.IsNull() {
		// Only an import leaves type unset: the ID names no secret, which is the user's to fix.
		addImportNotFoundError(&resp.Diagnostics, orgID, state.ID.ValueString())
		return
	}
	if luml.IsNotFound(err) {
		tflog.Warn(ctx, "Bucket secret no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
		// Terraform 1.11 wants the identity even on the way out.
		resp.Diagnostics.Append(resp.Identity.Set(ctx, identityOf(state))...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read bucket secret", r.errorDetail(ctx, orgID, err))
		return
	}
	prior := state
	state.fromAPI(secret, prior)
	state.OrganizationID = keepUUIDCase(prior.OrganizationID, secret.OrganizationID)
	if state.VerifyConnection.IsNull() {
		state.VerifyConnection = types.BoolValue(false) // after import
	}
	// The response starts as the prior state, and most refreshes find the secret unchanged:
	// then converting the model back, the costliest step of a refresh, can be skipped.
	if !reflect.DeepEqual(state, prior) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identityOf(state))...)
}

func (r *bucketSecretResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, state bucketSecretResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacedSecretKey, nil)...) // the plan's note
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.sendsChangeFrom(state) {
		// Only the provider's own attributes changed: LUML already holds what it would be sent.
		plan.bucketSecretAttributes = state.bucketSecretAttributes
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		resp.Diagnostics.Append(resp.Identity.Set(ctx, identityOf(plan))...)
		return
	}
	if !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel := operationContext(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	orgID := r.data.organizationID(state.OrganizationID.ValueString())
	id := state.ID.ValueString()
	sent := guardUpdateAtApply(ctx, req.Private, config, state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// The server replaces every field on PATCH, so the complete desired state is sent,
	// credentials included, whatever changed.
	spec, credentials := plan.toAPI(config)
	ctx = maskCredentials(ctx, credentials)

	if plan.VerifyConnection.ValueBool() {
		if err := r.data.client.CheckConnection(ctx, orgID, id, spec); err != nil {
			addConnectionCheckError(&resp.Diagnostics, spec.Type(), err)
			return
		}
	}
	if _, err := r.data.client.UpdateBucketSecret(ctx, orgID, id, spec); err != nil {
		resp.Diagnostics.AddError("Unable to update bucket secret", r.updateErrorDetail(ctx, orgID, id, err))
		return
	}
	resp.Diagnostics.Append(writeCredentialRecord(ctx, resp.Private, sent)...)
	// The PATCH answer always lists no orbits; read the secret back for them.
	secret, err := r.data.client.GetBucketSecret(ctx, orgID, id)
	if err != nil {
		resp.Diagnostics.AddError("Unable to read bucket secret after update",
			fmt.Sprintf("The update of bucket secret %s succeeded, but reading it back failed: %s. Run terraform "+
				"refresh or plan again to bring the state up to date.", id, err))
		return
	}
	plan.fromAPI(secret, plan)
	plan.OrganizationID = state.OrganizationID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identityOf(plan))...)
}

func (r *bucketSecretResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state bucketSecretResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel := operationContext(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	orgID := r.data.organizationID(state.OrganizationID.ValueString())
	id := state.ID.ValueString()
	err := r.data.client.DeleteBucketSecret(ctx, orgID, id)
	switch {
	case err == nil, luml.IsNotFound(err):
		return
	case luml.IsConflict(err):
		resp.Diagnostics.AddError("Bucket secret is in use", r.inUseDetail(ctx, orgID, id))
	default:
		resp.Diagnostics.AddError("Unable to delete bucket secret", r.errorDetail(ctx, orgID, err))
	}
}

// operationContext bounds an operation, retries included, by its configured timeout.
func operationContext(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics,
) (context.Context, context.CancelFunc) {
	d, timeoutDiags := timeout(ctx, defaultOperationTimeout)
	diags.Append(timeoutDiags...)
	return context.WithTimeout(ctx, d)
}
