package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

var (
	_ list.ListResource              = &bucketSecretListResource{}
	_ list.ListResourceWithConfigure = &bucketSecretListResource{}
)

func newBucketSecretListResource() list.ListResource { return &bucketSecretListResource{} }

// bucketSecretListResource is list "luml_bucket_secret", for `terraform query`: it finds the
// secrets of an organization so that they can be imported in bulk.
type bucketSecretListResource struct {
	data *providerData
}

type bucketSecretListModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Type           types.String `tfsdk:"type"`
	BucketName     types.String `tfsdk:"bucket_name"`
}

func (l *bucketSecretListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_secret"
}

func (l *bucketSecretListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the bucket secrets of an organization, for `terraform query`: each result " +
			"carries the secret's identity and, with `include_resource = true`, every attribute LUML returns, so " +
			"that `terraform query -generate-config-out=FILE` writes import blocks and configuration for them. " +
			"LUML never returns credentials: fill them in before the first change (the docs have a bulk import walkthrough). " +
			"Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "ID of the organization to search. Defaults to the provider's organization.",
				Optional:            true,
				Validators:          []validator.String{validators.UUID()},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only secrets of this storage type: `s3` or `azure`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(bucketTypeNames()...)},
			},
			"bucket_name": schema.StringAttribute{
				MarkdownDescription: "Only secrets of this bucket or container (exact, case-sensitive).",
				Optional:            true,
			},
		},
	}
}

func (l *bucketSecretListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *bucketSecretListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config bucketSecretListModel
	diags := req.Config.Get(ctx, &config)
	if diags.HasError() || !requireConfigured(l.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	orgID := l.data.organizationID(config.OrganizationID.ValueString())
	secrets, err := l.data.client.ListBucketSecrets(ctx, orgID)
	if err != nil {
		diags.AddError("Unable to list bucket secrets",
			fmt.Sprintf("Listing the bucket secrets of organization %s failed: %s", orgID, err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	stream.Results = func(push func(list.ListResult) bool) {
		if req.IncludeResource && !push(list.ListResult{Diagnostics: credentialsNotListedWarning()}) {
			return
		}
		// Terraform stops the stream at the list block's limit.
		for i := range secrets {
			s := &secrets[i]
			if matchesListFilter(config, s) && !push(l.listResult(ctx, req, s)) {
				return
			}
		}
	}
}

func matchesListFilter(config bucketSecretListModel, s *luml.BucketSecret) bool {
	if !config.Type.IsNull() && config.Type.ValueString() != string(s.Type) {
		return false
	}
	return config.BucketName.IsNull() || config.BucketName.ValueString() == s.BucketName
}

func (l *bucketSecretListResource) listResult(ctx context.Context, req list.ListRequest, s *luml.BucketSecret) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = bucketSecretDisplayName(s)
	m, diags := importedSecretModel(ctx, req, s)
	result.Diagnostics.Append(diags...)
	if diags.HasError() {
		return result
	}
	// The identity Read writes, so that an import by it matches.
	result.Diagnostics.Append(result.Identity.Set(ctx, identityOf(m))...)
	if req.IncludeResource {
		result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
	}
	return result
}

// importedSecretModel is what a refresh right after an import holds: what the API returns,
// and no credentials, which it never returns.
func importedSecretModel(ctx context.Context, req list.ListRequest, s *luml.BucketSecret) (bucketSecretResourceModel, diag.Diagnostics) {
	var m bucketSecretResourceModel
	m.fromAPI(s, bucketSecretResourceModel{})
	m.VerifyConnection = types.BoolValue(false)
	// No timeouts block, typed as the resource schema's.
	timeoutsType, diags := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	if objectType, ok := timeoutsType.(attr.TypeWithAttributeTypes); ok {
		m.Timeouts = timeouts.Value{Object: types.ObjectNull(objectType.AttributeTypes())}
	}
	return m, diags
}

// credentialsNotListedWarning tells the user, before the configuration is used, which
// attributes the generated configuration leaves for them to fill in.
func credentialsNotListedWarning() diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddWarning("Credentials are not part of the results",
		"LUML never returns a bucket secret's credentials, so configuration generated from these results has "+
			"them null: access_key, secret_key and session_token for S3, connection_string for Azure. Fill in "+
			"those of each secret's type, or their _wo twins. An Azure secret cannot be planned without its "+
			"connection string; an S3 secret imports unchanged without keys, but set them before its first "+
			"change: an update sends the complete secret, and LUML would keep it without keys.")
	return diags
}
