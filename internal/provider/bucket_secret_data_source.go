package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

var (
	_ datasource.DataSourceWithConfigure        = &bucketSecretDataSource{}
	_ datasource.DataSourceWithConfigValidators = &bucketSecretDataSource{}
)

func newBucketSecretDataSource() datasource.DataSource { return &bucketSecretDataSource{} }

type bucketSecretDataSource struct {
	data *providerData
}

type bucketSecretDataSourceModel struct {
	bucketSecretAttributes
	Endpoint types.String `tfsdk:"endpoint"`
}

func bucketSecretDataSourceModelFromAPI(s *luml.BucketSecret) bucketSecretDataSourceModel {
	return bucketSecretDataSourceModel{bucketSecretAttributes: bucketSecretAttributesFromAPI(s), Endpoint: s3Endpoint(s)}
}

// bucketSecretDataSourceAttributes are the attributes of a secret as data sources show them:
// every one the API returns, none of the credentials. lookup makes id, bucket_name and
// organization_id settable, to find the secret by.
func bucketSecretDataSourceAttributes(lookup bool) map[string]schema.Attribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	lookupBy := func(desc string, validators ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: lookup, Computed: true, Validators: validators}
	}
	idValidators, nameValidators := []validator.String(nil), []validator.String(nil)
	lookupByID, lookupByName := "", ""
	if lookup {
		lookupByID = " Set exactly one of id and bucket_name."
		lookupByName = " Matched exactly (case included). Set exactly one of id and bucket_name. Lookups by name " +
			"in one Terraform run share one list of the organization's secrets, at most 30 seconds old and " +
			"refreshed after each change this provider makes."
		idValidators = []validator.String{uuidValidator{}}
		nameValidators = []validator.String{stringvalidator.LengthAtLeast(1)}
	}
	return map[string]schema.Attribute{
		"id":              lookupBy("ID of the bucket secret."+lookupByID, idValidators...),
		"bucket_name":     lookupBy("Name of the S3 bucket or Azure container."+lookupByName, nameValidators...),
		"organization_id": lookupBy("ID of the organization; defaults to the provider's.", idValidators...),
		"type":            computed("Storage type: `s3` or `azure`."),
		"endpoint": computed("S3 endpoint as the server stores it (without `http://` or `https://`). Null for " +
			"Azure, whose endpoint is a connection string with the account key in it."),
		"region": computed("Region of an S3 bucket."),
		"secure": schema.BoolAttribute{
			MarkdownDescription: "Whether LUML uses HTTPS; null means it does.",
			Computed:            true,
		},
		"cert_check": schema.BoolAttribute{
			MarkdownDescription: "Whether LUML verifies the TLS certificate; null means it does.",
			Computed:            true,
		},
		"orbits": schema.ListNestedAttribute{
			MarkdownDescription: "Orbits that store their models with this secret.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":   computed("Orbit ID."),
				"name": computed("Orbit name."),
			}},
		},
		"created_at": computed("When the secret was created (RFC 3339)."),
		"updated_at": computed("When the secret was last changed (RFC 3339)."),
	}
}

func (d *bucketSecretDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_secret"
}

func (d *bucketSecretDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one bucket secret by ID or by exact bucket name. Credentials are never " +
			"returned by the API and are not shown.",
		Attributes: bucketSecretDataSourceAttributes(true),
	}
}

func (d *bucketSecretDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("bucket_name")),
	}
}

func (d *bucketSecretDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *bucketSecretDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config bucketSecretDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	orgID := d.data.organizationID(config.OrganizationID.ValueString())

	var secret *luml.BucketSecret
	if !config.ID.IsNull() {
		found, err := d.data.client.GetBucketSecret(ctx, orgID, config.ID.ValueString())
		if luml.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Bucket secret not found",
				fmt.Sprintf("Organization %s has no bucket secret %s. Check the ID and organization_id.",
					orgID, config.ID.ValueString()))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Unable to read bucket secret", err.Error())
			return
		}
		secret = found
	} else {
		name := config.BucketName.ValueString()
		// Many data sources of one plan share one list of the organization's secrets.
		matches, err := d.data.client.BucketSecretsNamed(ctx, orgID, name)
		if err != nil {
			resp.Diagnostics.AddError("Unable to list bucket secrets", err.Error())
			return
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("bucket_name"), "Bucket secret not found",
				fmt.Sprintf("No bucket secret of organization %s has the bucket name %q (matched exactly, case "+
					"included).", orgID, name))
			return
		case 1:
			secret = &matches[0]
		default:
			resp.Diagnostics.AddAttributeError(path.Root("bucket_name"), "Several bucket secrets have this bucket name",
				fmt.Sprintf("%d bucket secrets of organization %s have the bucket name %q: %s. Look the one you "+
					"mean up by id instead.", len(matches), orgID, name, describeSecrets(matches)))
			return
		}
	}

	state := bucketSecretDataSourceModelFromAPI(secret)
	state.OrganizationID = keepSpelling(config.OrganizationID, secret.OrganizationID)
	if !config.ID.IsNull() {
		state.ID = keepSpelling(config.ID, secret.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
