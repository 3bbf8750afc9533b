package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

var (
	_ action.Action              = &bucketSecretCheckAction{}
	_ action.ActionWithConfigure = &bucketSecretCheckAction{}
)

func newBucketSecretCheckAction() action.Action { return &bucketSecretCheckAction{} }

// bucketSecretCheckAction is action "luml_bucket_secret_check": the connection check of a
// saved secret, with the credentials LUML holds (the server signs the test URLs), so it works
// on imported secrets whose credentials Terraform never saw.
type bucketSecretCheckAction struct {
	data *providerData
}

type bucketSecretCheckModel struct {
	BucketSecretID types.String `tfsdk:"bucket_secret_id"`
	OrganizationID types.String `tfsdk:"organization_id"`
}

func (a *bucketSecretCheckAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_secret_check"
}

func (a *bucketSecretCheckAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Checks that LUML can use a saved bucket secret, as LUML's own client does before " +
			"saving one: LUML signs test URLs with the credentials it stores, and the provider uploads a small " +
			"object through them, reads a byte range of it back (the bucket must answer 206 Partial Content) and " +
			"deletes it, reporting each step. The provider never needs the credentials, so the check works on " +
			"imported secrets too. Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"bucket_secret_id": schema.StringAttribute{
				MarkdownDescription: "ID (a UUID) of the bucket secret to check.",
				Required:            true,
				Validators:          []validator.String{validators.UUID()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "ID of the organization that owns the secret. Defaults to the provider's " +
					"organization.",
				Optional:   true,
				Validators: []validator.String{validators.UUID()},
			},
		},
	}
}

func (a *bucketSecretCheckAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *bucketSecretCheckAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config bucketSecretCheckModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !requireConfigured(a.data, &resp.Diagnostics) {
		return
	}
	orgID := a.data.organizationID(config.OrganizationID.ValueString())
	id := config.BucketSecretID.ValueString()

	secret, err := a.data.client.GetBucketSecret(ctx, orgID, id)
	if err != nil {
		addCheckLookupError(&resp.Diagnostics, orgID, id, err)
		return
	}
	name := bucketSecretDisplayName(secret)
	progress := func(step string) {
		sendProgress(ctx, resp, name+": "+checkStepText[step])
	}
	if err := a.data.client.CheckStoredSecret(ctx, orgID, secret.ID, secret.Type, progress); err != nil {
		addCheckActionError(&resp.Diagnostics, secret, err)
		return
	}
	sendProgress(ctx, resp, name+": connection check passed")
}

// checkStepText is the progress line shown when a step starts.
var checkStepText = map[string]string{
	"urls":   "asking LUML for test URLs signed with the stored credentials",
	"upload": "uploading a test object (PUT)",
	"range":  "reading a byte range of it (GET, expecting 206 Partial Content)",
	"delete": "deleting the test object (DELETE)",
}

// bucketSecretDisplayName names a secret for people: its bucket and where it lives. An Azure
// secret's endpoint is a connection string with the account key in it, so never shown.
func bucketSecretDisplayName(s *luml.BucketSecret) string {
	where := s.Endpoint
	if s.Type == luml.BucketTypeAzure {
		where = "azure"
	}
	return fmt.Sprintf("%s (%s)", s.BucketName, where)
}

func addCheckLookupError(diags *diag.Diagnostics, orgID, id string, err error) {
	if luml.IsNotFound(err) {
		diags.AddAttributeError(path.Root("bucket_secret_id"), "Bucket secret not found",
			fmt.Sprintf("Organization %s has no bucket secret %s. Check bucket_secret_id and organization_id.", orgID, id))
		return
	}
	diags.AddError("Unable to read the bucket secret", fmt.Sprintf("Reading bucket secret %s failed: %s", id, err))
}

// addCheckActionError names the failed step, what the bucket answered and what to look at.
// The error text never carries the signed URLs, only their host.
func addCheckActionError(diags *diag.Diagnostics, secret *luml.BucketSecret, err error) {
	step := "urls"
	var check *luml.ConnectionCheckError
	if errors.As(err, &check) {
		step = check.Step
	}
	diags.AddError("Bucket connection check failed",
		fmt.Sprintf("Bucket secret %s, %s, failed at step %q: %s %s", secret.ID, bucketSecretDisplayName(secret),
			step, sentence(err.Error()), storedCheckHint(secret.Type, step, err)))
}

// storedCheckHint says what to check after a failed step: the hint verify_connection gives,
// and, since the check used the settings LUML stores, how to replace them.
func storedCheckHint(bucketType luml.BucketType, step string, err error) string {
	hint := connectionCheckHint(bucketType, step, err)
	if step == "range" && hint.attribute == "" {
		return hint.text
	}
	settings := "access_key and secret_key (or their _wo twins)"
	switch {
	case hint.attribute == "region" || hint.attribute == "bucket_name" || hint.attribute == "endpoint":
		settings = hint.attribute
	case bucketType == luml.BucketTypeAzure:
		settings = "connection_string (or connection_string_wo)"
	}
	return hint.text + " The check used the settings LUML stores: if they are wrong, apply the secret again " +
		"with the right " + settings + "."
}
