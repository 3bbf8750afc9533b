package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

var _ datasource.DataSourceWithConfigure = &bucketSecretsDataSource{}

func newBucketSecretsDataSource() datasource.DataSource { return &bucketSecretsDataSource{} }

type bucketSecretsDataSource struct {
	data *providerData
}

type bucketSecretsDataSourceModel struct {
	OrganizationID types.String                  `tfsdk:"organization_id"`
	Type           types.String                  `tfsdk:"type"`
	BucketSecrets  []bucketSecretDataSourceModel `tfsdk:"bucket_secrets"`
}

func (d *bucketSecretsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_secrets"
}

func (d *bucketSecretsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the bucket secrets of an organization, optionally of one type, sorted by " +
			"bucket name and ID. Credentials are never returned by the API and are not shown.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "ID of the organization; defaults to the provider's.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.UUID()},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only secrets of this type: `s3` or `azure`. Unset lists both.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(bucketTypeNames()...)},
			},
			"bucket_secrets": schema.ListNestedAttribute{
				MarkdownDescription: "The bucket secrets.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: bucketSecretListedAttributes()},
			},
		},
	}
}

func (d *bucketSecretsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *bucketSecretsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config bucketSecretsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	orgID := d.data.organizationID(config.OrganizationID.ValueString())
	secrets, err := d.data.client.ListBucketSecrets(ctx, orgID)
	if err != nil {
		resp.Diagnostics.AddError("Unable to list bucket secrets", err.Error())
		return
	}
	// The API lists in no particular order; a stable one keeps plans quiet.
	sort.Slice(secrets, func(i, j int) bool {
		if secrets[i].BucketName != secrets[j].BucketName {
			return secrets[i].BucketName < secrets[j].BucketName
		}
		return secrets[i].ID < secrets[j].ID
	})
	config.BucketSecrets = []bucketSecretDataSourceModel{}
	for i := range secrets {
		if config.Type.IsNull() || string(secrets[i].Type) == config.Type.ValueString() {
			config.BucketSecrets = append(config.BucketSecrets, bucketSecretDataSourceModelFromAPI(&secrets[i]))
		}
	}
	config.OrganizationID = keepUUIDCase(config.OrganizationID, orgID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
