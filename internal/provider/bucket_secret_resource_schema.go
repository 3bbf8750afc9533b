package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/planmodifiers"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

func (r *bucketSecretResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	sensitive := func(desc string, conflictsWith string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc,
			Optional:            true,
			Sensitive:           true,
			Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRoot(conflictsWith))},
		}
	}
	writeOnly := func(desc string, conflictsWith string, more ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc + " Write-only: never stored in the plan or state (Terraform 1.11 and later, " +
				"OpenTofu 1.11 and later). Change `credentials_wo_version` to send a new value.",
			Optional:   true,
			Sensitive:  true,
			WriteOnly:  true,
			Validators: append([]validator.String{stringvalidator.ConflictsWith(path.MatchRoot(conflictsWith))}, more...),
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bucket secret: the credentials LUML uses to store an orbit's models in an " +
			"S3-compatible bucket or an Azure Blob Storage container. Updates are made in place and send the " +
			"complete secret, credentials included. Credentials come from the configuration only: LUML never " +
			"returns S3 keys, and the Azure connection string, which LUML does return, is never written to the " +
			"state by an import. No plan may leave LUML holding fewer credentials than it may hold now, unless " +
			"`no_credentials = true`: write-only credentials must be given in every run that updates the secret. Create, read, update and delete may each take up to 10 minutes " +
			"by default (`timeouts`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the bucket secret (a UUID).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "ID of the organization that owns the secret. Defaults to the provider's " +
					"organization. Changing it replaces the secret.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{validators.UUID()},
				// The provider's organization is planned by ModifyPlan: a plan modifier here
				// would never see the configured provider.
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					planmodifiers.UUIDCase(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Storage type: `s3` (any S3-compatible service) or `azure`. Defaults to `s3`. " +
					"Changing it replaces the secret.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(string(luml.BucketTypeS3)),
				Validators:    []validator.String{stringvalidator.OneOf(bucketTypeNames()...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "S3 endpoint: a host name with an optional port, such as " +
					"`s3.eu-central-1.amazonaws.com` or `minio.example.com:9000`. Required for `s3`, not allowed for " +
					"`azure`. The server strips a leading `http://` or `https://`; either spelling causes no diff " +
					"(use `secure` to choose HTTP or HTTPS: an `http://` endpoint without `secure = false` gets a " +
					"warning that LUML will use HTTPS).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{validators.Endpoint(), validators.EndpointScheme()},
				PlanModifiers: []planmodifier.String{planmodifiers.EndpointSpelling()},
			},
			"connection_string": schema.StringAttribute{
				MarkdownDescription: "Azure Storage connection string, account key included (" +
					"`DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net`). " +
					"For `azure` only; set this or `connection_string_wo`. It must be `key=value` pairs separated by " +
					"`;` with `AccountName` and `AccountKey`: a SAS URL or a string without the account key is " +
					"refused at plan time, since LUML could not sign URLs with it.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("connection_string_wo")),
					validators.AzureConnectionString(),
				},
			},
			"connection_string_wo": writeOnly("Azure Storage connection string, as `connection_string`.", "connection_string",
				validators.AzureConnectionString()),
			"bucket_name": schema.StringAttribute{
				MarkdownDescription: "Name of the S3 bucket or Azure container, checked at plan time against the " +
					"rules of `type`. `s3`: 3 to 63 characters, lower-case letters, digits, dots and hyphens, starting " +
					"and ending with a letter or digit, no `..`, `.-` or `-.`, not formatted as an IP address. `azure`: " +
					"3 to 63 characters, lower-case letters, digits and single hyphens, starting and ending with a " +
					"letter or digit.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), validators.BucketName()},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Region of the S3 bucket, such as `eu-central-1`. Required for `s3`, not " +
					"allowed for `azure`.",
				Optional:   true,
				Validators: []validator.String{validators.Region()},
			},
			"access_key":    sensitive("Access key ID for the bucket. For `s3` only.", "access_key_wo"),
			"secret_key":    sensitive("Secret access key for the bucket. For `s3` only.", "secret_key_wo"),
			"session_token": sensitive("Session token for temporary credentials. For `s3` only.", "session_token_wo"),
			"access_key_wo": writeOnly("Access key ID for the bucket, as `access_key`.", "access_key"),
			"secret_key_wo": writeOnly("Secret access key for the bucket, as `secret_key`.", "secret_key"),
			"session_token_wo": writeOnly("Session token for temporary credentials, as `session_token`.",
				"session_token"),
			"credentials_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; change it to send the write-only credentials " +
					"(`access_key_wo`, `secret_key_wo`, `session_token_wo`, `connection_string_wo`) again. Terraform " +
					"cannot see a change of a write-only value by itself.",
				Optional: true,
			},
			"secure": schema.BoolAttribute{
				MarkdownDescription: "Whether LUML talks to the endpoint over HTTPS. Unset means HTTPS. For `s3` only.",
				Optional:            true,
			},
			"cert_check": schema.BoolAttribute{
				MarkdownDescription: "Whether LUML verifies the endpoint's TLS certificate. Unset means it does. " +
					"For `s3` only.",
				Optional: true,
			},
			"no_credentials": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` to state that the secret has no credentials (LUML then " +
					"reaches the bucket anonymously): the one way to send an update without credentials where LUML " +
					"may hold some, or to replace the secret by one without any. Without it, no plan may leave LUML " +
					"holding fewer credentials than it may hold now, and a new secret without credentials gets a " +
					"warning. Not allowed with any credential attribute. For `s3` only.",
				Optional: true,
			},
			"verify_connection": schema.BoolAttribute{
				MarkdownDescription: "When true, before each create and update the provider checks the bucket as " +
					"LUML's own client does: it asks for test URLs, uploads a small object, reads a byte range of it " +
					"(the bucket must answer 206) and deletes it. The check runs from the machine running Terraform, " +
					"which must be able to reach the bucket. A change of this attribute alone sends nothing. " +
					"Defaults to false.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"orbits": schema.ListNestedAttribute{
				MarkdownDescription: "Orbits that store their models with this secret. A secret in use cannot be " +
					"deleted.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   schema.StringAttribute{Computed: true, MarkdownDescription: "Orbit ID."},
					"name": schema.StringAttribute{Computed: true, MarkdownDescription: "Orbit name."},
				}},
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the secret was created (RFC 3339).",
				CustomType:          timetypes.RFC3339Type{},
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the secret was last changed (RFC 3339); null until then.",
				CustomType:          timetypes.RFC3339Type{},
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *bucketSecretResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "ID of the bucket secret.",
			},
			"organization_id": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "ID of its organization; defaults to the provider's.",
			},
		},
	}
}
