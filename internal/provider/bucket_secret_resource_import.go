package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

// ImportState accepts a secret ID, "<organization_id>/<id>", or an exact bucket name (with
// the same optional organization prefix) when only one secret has it. Only the canonical
// 8-4-4-4-12 form is an ID: a bucket may well be named with 32 hex digits. On Terraform and
// OpenTofu 1.12 and later an import block may give the identity instead.
func (r *bucketSecretResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	var orgID, ref string
	if req.ID == "" && req.Identity != nil {
		var identity bucketSecretIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		orgID, ref = identity.OrganizationID.ValueString(), identity.ID.ValueString()
	} else {
		ref = req.ID
		if before, after, found := strings.Cut(req.ID, "/"); found {
			if validators.IsCanonicalUUID(before) {
				orgID, ref = before, after
			}
		}
	}
	if orgID == "" {
		orgID = r.data.organization.ID
	}
	if ref == "" {
		resp.Diagnostics.AddError("Invalid import ID",
			"Import a bucket secret by its ID, \"<organization_id>/<id>\", or its exact bucket name.")
		return
	}

	id := ref
	if !validators.IsCanonicalUUID(ref) {
		found, diags := r.findByBucketName(ctx, orgID, ref)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = found
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), orgID)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, bucketSecretIdentityModel{
		ID: types.StringValue(id), OrganizationID: types.StringValue(orgID),
	})...)
}

func (r *bucketSecretResource) findByBucketName(ctx context.Context, orgID, name string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	matches, err := r.data.client.BucketSecretsNamed(ctx, orgID, name)
	if err != nil {
		diags.AddError("Unable to list bucket secrets", r.errorDetail(ctx, orgID, err))
		return "", diags
	}
	switch len(matches) {
	case 1:
		return matches[0].ID, diags
	case 0:
		hint := "Import by ID instead: the LUML web app shows it in the bucket secret's settings."
		if id, err := uuid.Parse(name); err == nil {
			hint = fmt.Sprintf("Only a UUID in its canonical form is taken as an ID: to import by ID, write %s.", id)
		}
		diags.AddError("Bucket secret not found",
			fmt.Sprintf("No bucket secret of organization %s has the bucket name %q (names are matched exactly, "+
				"case included). %s", orgID, name, hint))
	default:
		diags.AddError("Several bucket secrets have this bucket name",
			fmt.Sprintf("%d bucket secrets of organization %s have the bucket name %q: %s. Import by ID instead.",
				len(matches), orgID, name, describeSecrets(matches)))
	}
	return "", diags
}

// addImportNotFoundError reports an import by an ID that no secret of the organization has,
// where Terraform would otherwise blame the "configured region or endpoint".
func addImportNotFoundError(diags *diag.Diagnostics, orgID, id string) {
	diags.AddError("Bucket secret not found",
		fmt.Sprintf("No bucket secret of organization %s has the ID %s. List the organization's bucket secrets "+
			"with data \"luml_bucket_secrets\" or `terraform query` (list \"luml_bucket_secret\"), or import by "+
			"the exact bucket name instead.", orgID, id))
}
