package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

var (
	_ datasource.DataSourceWithConfigure        = &bucketSecretDataSource{}
	_ datasource.DataSourceWithConfigValidators = &bucketSecretDataSource{}
)

func newBucketSecretDataSource() datasource.DataSource { return &bucketSecretDataSource{} }

type bucketSecretDataSource struct {
	data *providerData
}

// bucketSecretLookupAttributes are the attributes of the luml_bucket_secret data source:
// every one the API returns, none of the credentials; id, bucket_name and organization_id
// may be set, to find the secret by.
func bucketSecretLookupAttributes() map[string]schema.Attribute {
	lookupBy := func(desc string, checks ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: true, Computed: true, Validators: checks}
	}
	attributes := bucketSecretListedAttributes()
	attributes["id"] = lookupBy("ID of the bucket secret. Set exactly one of id and bucket_name.", validators.UUIDSuggestingBucketName())
	attributes["bucket_name"] = lookupBy("Name of the S3 bucket or Azure container. Matched exactly (case "+
		"included). Set exactly one of id and bucket_name. Lookups by name in one Terraform run share one list "+
		"of the organization's secrets, at most 30 seconds old and refreshed after each change this provider "+
		"makes.", stringvalidator.LengthAtLeast(1))
	attributes["organization_id"] = lookupBy("ID of the organization; defaults to the provider's.", validators.UUID())
	return attributes
}

// bucketSecretListedAttributes are the attributes of a secret as data sources show it, all
// computed: every one the API returns, none of the credentials.
func bucketSecretListedAttributes() map[string]schema.Attribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":              computed("ID of the bucket secret."),
		"bucket_name":     computed("Name of the S3 bucket or Azure container."),
		"organization_id": computed("ID of the organization; defaults to the provider's."),
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
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the secret was created (RFC 3339).",
			CustomType:          timetypes.RFC3339Type{},
			Computed:            true,
		},
		"updated_at": schema.StringAttribute{
			MarkdownDescription: "When the secret was last changed (RFC 3339).",
			CustomType:          timetypes.RFC3339Type{},
			Computed:            true,
		},
	}
}

func (d *bucketSecretDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bucket_secret"
}

func (d *bucketSecretDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one bucket secret by ID or by exact bucket name. Credentials are never " +
			"returned by the API and are not shown.",
		Attributes: bucketSecretLookupAttributes(),
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
	state.OrganizationID = keepUUIDCase(config.OrganizationID, secret.OrganizationID)
	if !config.ID.IsNull() {
		state.ID = keepUUIDCase(config.ID, secret.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
