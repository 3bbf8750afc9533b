package provider

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/planmodifiers"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
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
