package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

type bucketSecretResourceModel struct {
	bucketSecretAttributes
	Endpoint             types.String   `tfsdk:"endpoint"`
	ConnectionString     types.String   `tfsdk:"connection_string"`
	ConnectionStringWO   types.String   `tfsdk:"connection_string_wo"`
	AccessKey            types.String   `tfsdk:"access_key"`
	SecretKey            types.String   `tfsdk:"secret_key"`
	SessionToken         types.String   `tfsdk:"session_token"`
	AccessKeyWO          types.String   `tfsdk:"access_key_wo"`
	SecretKeyWO          types.String   `tfsdk:"secret_key_wo"`
	SessionTokenWO       types.String   `tfsdk:"session_token_wo"`
	CredentialsWOVersion types.Int64    `tfsdk:"credentials_wo_version"`
	VerifyConnection     types.Bool     `tfsdk:"verify_connection"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

type bucketSecretIdentityModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
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
	writeOnly := func(desc string, conflictsWith string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc + " Write-only: never stored in the plan or state (Terraform 1.11 and later, " +
				"OpenTofu 1.11 and later). Change `credentials_wo_version` to send a new value.",
			Optional:   true,
			Sensitive:  true,
			WriteOnly:  true,
			Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRoot(conflictsWith))},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bucket secret: the credentials LUML uses to store an orbit's models in an " +
			"S3-compatible bucket or an Azure Blob Storage container. Updates are made in place. The API never " +
			"returns credentials, so they are kept from the configuration and cannot be imported.",
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
				Validators: []validator.String{uuidValidator{}},
				PlanModifiers: []planmodifier.String{
					organizationDefault{r: r},
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
					"(use `secure` to choose HTTP or HTTPS).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{endpointValidator{}},
				PlanModifiers: []planmodifier.String{endpointPlanModifier{}},
			},
			"connection_string": schema.StringAttribute{
				MarkdownDescription: "Azure Storage connection string, account key included (" +
					"`DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net`). " +
					"For `azure` only; set this or `connection_string_wo`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("connection_string_wo"))},
			},
			"connection_string_wo": writeOnly("Azure Storage connection string, as `connection_string`.", "connection_string"),
			"bucket_name": schema.StringAttribute{
				MarkdownDescription: "Name of the S3 bucket or Azure container.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Region of the S3 bucket, such as `eu-central-1`. Required for `s3`, not " +
					"allowed for `azure`.",
				Optional:   true,
				Validators: []validator.String{regionValidator()},
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
			"verify_connection": schema.BoolAttribute{
				MarkdownDescription: "When true, before each create and update the provider checks the bucket as " +
					"LUML's own client does: it asks for test URLs, uploads a small object, reads a byte range of it " +
					"(the bucket must answer 206) and deletes it. Defaults to false.",
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
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the secret was last changed (RFC 3339); null until then.",
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

func bucketTypeNames() []string {
	names := make([]string, len(luml.BucketTypes))
	for i, t := range luml.BucketTypes {
		names[i] = string(t)
	}
	return names
}

// ValidateConfig checks what depends on the type. Unknown values (from other resources or
// ephemeral ones) pass: they are checked again when known.
func (r *bucketSecretResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// The checks only ask which attributes are set, so they read the raw object: converting it
	// into the model would cost more than the checks, for every secret in every command.
	var config map[string]tftypes.Value
	if !req.Config.Raw.IsKnown() || req.Config.Raw.IsNull() {
		return
	}
	if err := req.Config.Raw.As(&config); err != nil {
		resp.Diagnostics.AddError("Unable to read the configuration",
			err.Error()+". This is always a bug in the provider; please report it.")
		return
	}
	if !config["type"].IsKnown() {
		return
	}
	set := func(name string) bool { return !config[name].IsNull() }
	missing := func(name string) bool { return config[name].IsNull() }
	var bucketType string // "" when unset: the default, s3
	if err := config["type"].As(&bucketType); err != nil {
		resp.Diagnostics.AddError("Unable to read the configuration",
			err.Error()+". This is always a bug in the provider; please report it.")
		return
	}

	if bucketType == string(luml.BucketTypeAzure) {
		for _, name := range []string{
			"endpoint", "region", "access_key", "secret_key", "session_token", "access_key_wo", "secret_key_wo",
			"session_token_wo", "secure", "cert_check",
		} {
			if set(name) {
				resp.Diagnostics.AddAttributeError(path.Root(name), "Attribute not allowed for Azure",
					fmt.Sprintf("%s is for S3 buckets only. An Azure bucket secret takes connection_string (or "+
						"connection_string_wo) and bucket_name, the container; remove %s.", name, name))
			}
		}
		if missing("connection_string") && missing("connection_string_wo") {
			resp.Diagnostics.AddAttributeError(path.Root("connection_string"), "Missing Azure connection string",
				"An Azure bucket secret needs connection_string or connection_string_wo: the storage account's "+
					"connection string, from the Azure portal (Storage account, Access keys).")
		}
		return
	}

	for _, name := range []string{"connection_string", "connection_string_wo"} {
		if set(name) {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Attribute not allowed for S3",
				fmt.Sprintf("%s is for Azure only. Set type = \"azure\", or remove %s and use endpoint, region "+
					"and the access keys.", name, name))
		}
	}
	if missing("endpoint") {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Missing endpoint",
			"An S3 bucket secret needs endpoint: the S3 service's host name, such as s3.eu-central-1.amazonaws.com "+
				"or minio.example.com:9000.")
	}
	if missing("region") {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Missing region",
			"An S3 bucket secret needs region, such as eu-central-1 (MinIO and most other services accept "+
				"us-east-1). The LUML API refuses an S3 secret without one.")
	}
	accessKey := set("access_key") || set("access_key_wo")
	secretKey := set("secret_key") || set("secret_key_wo")
	switch {
	case accessKey && !secretKey:
		resp.Diagnostics.AddAttributeError(path.Root("secret_key"), "Missing secret key",
			"access_key is set but secret_key (or secret_key_wo) is not: LUML cannot sign requests with an "+
				"access key alone. Set both, or neither for a public bucket.")
	case secretKey && !accessKey:
		resp.Diagnostics.AddAttributeError(path.Root("access_key"), "Missing access key",
			"secret_key is set but access_key (or access_key_wo) is not. Set both, or neither for a public bucket.")
	}
	if !accessKey && (set("session_token") || set("session_token_wo")) {
		resp.Diagnostics.AddAttributeError(path.Root("session_token"), "Session token without access key",
			"A session token belongs to temporary credentials: set access_key and secret_key with it.")
	}
}

// ModifyPlan keeps a plan empty when nothing but the spelling of the endpoint differs. The
// framework marks updated_at and orbits unknown as soon as any configured value differs from
// the state, even when a plan modifier then restores the state's value.
func (r *bucketSecretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	// Without a change, the plan already is the state. Checking that first spares a plan of N
	// unchanged secrets 3N conversions between Terraform values and the model.
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		return
	}
	var plan, state bucketSecretResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.UpdatedAt, plan.Orbits = state.UpdatedAt, state.Orbits
	candidate := resp.Plan
	resp.Diagnostics.Append(candidate.Set(ctx, &plan)...)
	if !resp.Diagnostics.HasError() && candidate.Raw.Equal(req.State.Raw) {
		resp.Plan = candidate
	}
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
	spec, secrets := secretSpec(plan, config)
	ctx = maskSecrets(ctx, secrets)

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
	plan.setFromAPI(secret, plan)
	plan.OrganizationID = keepSpelling(plan.OrganizationID, secret.OrganizationID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, identityOf(plan))...)
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
	secret, err := r.data.client.GetBucketSecret(ctx, orgID, state.ID.ValueString())
	if luml.IsNotFound(err) {
		tflog.Warn(ctx, "Bucket secret no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
		// Terraform 1.11 wants the identity even on the way out.
		resp.Diagnostics.Append(resp.Identity.Set(ctx, identityOf(state))...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read bucket secret", err.Error())
		return
	}
	prior := state
	state.setFromAPI(secret, prior)
	state.OrganizationID = keepSpelling(prior.OrganizationID, secret.OrganizationID)
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
	if resp.Diagnostics.HasError() || !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx, cancel := operationContext(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	orgID := r.data.organizationID(state.OrganizationID.ValueString())
	id := state.ID.ValueString()
	// The server replaces every field on PATCH, so the complete desired state is sent,
	// credentials included, whatever changed.
	spec, secrets := secretSpec(plan, config)
	ctx = maskSecrets(ctx, secrets)

	if plan.VerifyConnection.ValueBool() {
		if err := r.data.client.CheckConnection(ctx, orgID, id, spec); err != nil {
			addConnectionCheckError(&resp.Diagnostics, spec.Type(), err)
			return
		}
	}
	if _, err := r.data.client.UpdateBucketSecret(ctx, orgID, id, spec); err != nil {
		resp.Diagnostics.AddError("Unable to update bucket secret", updateErrorDetail(id, err))
		return
	}
	// The PATCH answer always lists no orbits; read the secret back for them.
	secret, err := r.data.client.GetBucketSecret(ctx, orgID, id)
	if err != nil {
		resp.Diagnostics.AddError("Unable to read bucket secret after update",
			fmt.Sprintf("The update of bucket secret %s succeeded, but reading it back failed: %s. Run terraform "+
				"refresh or plan again to bring the state up to date.", id, err))
		return
	}
	plan.setFromAPI(secret, plan)
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
		resp.Diagnostics.AddError("Unable to delete bucket secret", err.Error())
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

// inUseDetail names the orbits that keep a secret from being deleted.
func (r *bucketSecretResource) inUseDetail(ctx context.Context, orgID, id string) string {
	what := "one or more orbits"
	if secret, err := r.data.client.GetBucketSecret(ctx, orgID, id); err == nil && len(secret.Orbits) > 0 {
		names := make([]string, len(secret.Orbits))
		for i, o := range secret.Orbits {
			names[i] = fmt.Sprintf("%q (%s)", o.Name, o.ID)
		}
		what = "the orbit"
		if len(names) > 1 {
			what += "s"
		}
		what += " " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("Bucket secret %s is used by %s, so LUML refuses to delete it; it stays in the state. "+
		"Point those orbits at another bucket secret or delete them in LUML, then run the destroy again.", id, what)
}

// ImportState accepts a secret ID, "<organization_id>/<id>", or an exact bucket name (with
// the same optional organization prefix) when only one secret has it. On Terraform and
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
			if _, err := uuid.Parse(before); err == nil {
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
	if _, err := uuid.Parse(ref); err != nil {
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
		diags.AddError("Unable to list bucket secrets", err.Error())
		return "", diags
	}
	switch len(matches) {
	case 1:
		return matches[0].ID, diags
	case 0:
		diags.AddError("Bucket secret not found",
			fmt.Sprintf("No bucket secret of organization %s has the bucket name %q (names are matched exactly, "+
				"case included). Import by ID instead: the LUML web app shows it in the bucket secret's settings.",
				orgID, name))
	default:
		diags.AddError("Several bucket secrets have this bucket name",
			fmt.Sprintf("%d bucket secrets of organization %s have the bucket name %q: %s. Import by ID instead.",
				len(matches), orgID, name, describeSecrets(matches)))
	}
	return "", diags
}

// describeSecrets lists secrets by ID and endpoint for an error message. An Azure endpoint
// is a connection string with the account key in it: only its type is shown.
func describeSecrets(secrets []luml.BucketSecret) string {
	parts := make([]string, len(secrets))
	for i, s := range secrets {
		where := "endpoint " + s.Endpoint
		if s.Type == luml.BucketTypeAzure {
			where = "Azure"
		}
		parts[i] = fmt.Sprintf("%s (%s)", s.ID, where)
	}
	return strings.Join(parts, ", ")
}

func (r *bucketSecretResource) addCreateError(ctx context.Context, diags *diag.Diagnostics, orgID string, spec luml.SecretSpec, err error) {
	if !luml.IsConflict(err) {
		diags.AddError("Unable to create bucket secret", err.Error())
		return
	}
	detail := "A bucket secret with this endpoint and bucket name already exists in organization " + orgID +
		" (the endpoint is compared without http:// or https://)."
	if secrets, listErr := r.data.client.ListBucketSecrets(ctx, orgID); listErr == nil {
		for _, s := range secrets {
			if specConflictsWith(spec, &s) {
				detail += fmt.Sprintf(" Its ID is %s: to manage it here, import it (terraform import <address> %s, "+
					"or an import block), or change bucket_name or endpoint.", s.ID, s.ID)
				break
			}
		}
	}
	diags.AddError("Bucket secret already exists", detail)
}

func specConflictsWith(spec luml.SecretSpec, s *luml.BucketSecret) bool {
	switch sp := spec.(type) {
	case luml.S3Spec:
		return s.Endpoint == luml.NormalizeEndpoint(sp.Endpoint) && s.BucketName == sp.BucketName
	case luml.AzureSpec:
		return s.Endpoint == sp.ConnectionString && s.BucketName == sp.ContainerName
	}
	return false
}

func updateErrorDetail(id string, err error) string {
	if luml.IsNotFound(err) {
		return fmt.Sprintf("Bucket secret %s no longer exists. Run terraform plan again: it will propose to create it.", id)
	}
	if luml.IsConflict(err) {
		return "Another bucket secret of the organization already has this endpoint and bucket name (the endpoint is " +
			"compared without http:// or https://). Choose another bucket_name or endpoint. Server said: " + err.Error()
	}
	return err.Error()
}

// secretSpec is the desired state to send: plan values, with the write-only ones from the
// configuration (they never reach the plan). It also returns every secret value in it, for
// masking in logs.
func secretSpec(plan, config bucketSecretResourceModel) (luml.SecretSpec, []string) {
	if plan.Type.ValueString() == string(luml.BucketTypeAzure) {
		cs := ""
		if known := firstKnown(plan.ConnectionString, config.ConnectionStringWO); known != nil {
			cs = *known
		}
		return luml.AzureSpec{ConnectionString: cs, ContainerName: plan.BucketName.ValueString()}, []string{cs}
	}
	spec := luml.S3Spec{
		Endpoint:     plan.Endpoint.ValueString(),
		BucketName:   plan.BucketName.ValueString(),
		Region:       plan.Region.ValueString(),
		AccessKey:    firstKnown(plan.AccessKey, config.AccessKeyWO),
		SecretKey:    firstKnown(plan.SecretKey, config.SecretKeyWO),
		SessionToken: firstKnown(plan.SessionToken, config.SessionTokenWO),
		Secure:       plan.Secure.ValueBoolPointer(),
		CertCheck:    plan.CertCheck.ValueBoolPointer(),
	}
	var secrets []string
	for _, s := range []*string{spec.AccessKey, spec.SecretKey, spec.SessionToken} {
		if s != nil {
			secrets = append(secrets, *s)
		}
	}
	return spec, secrets
}

// firstKnown returns the first non-null value, or nil.
func firstKnown(values ...types.String) *string {
	for _, v := range values {
		if !v.IsNull() && !v.IsUnknown() {
			s := v.ValueString()
			return &s
		}
	}
	return nil
}

func maskSecrets(ctx context.Context, secrets []string) context.Context {
	secrets = nonEmpty(secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	return tflog.MaskMessageStrings(ctx, secrets...)
}

// setFromAPI copies what the API returned into the model. Credentials are never returned
// and stay as they are. The endpoint keeps its prior spelling when the server's is the same
// endpoint without the scheme.
func (m *bucketSecretResourceModel) setFromAPI(s *luml.BucketSecret, prior bucketSecretResourceModel) {
	m.bucketSecretAttributes = bucketSecretAttributesFromAPI(s)
	if s.Type == luml.BucketTypeAzure {
		m.Endpoint = types.StringNull()
		// The connection string is readable: follow it where the state already holds it. An
		// import cannot see the configuration, which may manage it write-only, so it leaves
		// it out of the state as it does the S3 credentials.
		if !prior.ConnectionString.IsNull() {
			m.ConnectionString = keepEndpointSpelling(prior.ConnectionString, s.Endpoint)
		}
		return
	}
	m.Endpoint = keepEndpointSpelling(prior.Endpoint, s.Endpoint)
}

func keepEndpointSpelling(prior types.String, returned string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && luml.NormalizeEndpoint(prior.ValueString()) == returned {
		return prior
	}
	return types.StringValue(returned)
}

// keepSpelling keeps a configured UUID's letter case.
func keepSpelling(prior types.String, returned string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), returned) {
		return prior
	}
	return types.StringValue(returned)
}

func identityOf(m bucketSecretResourceModel) bucketSecretIdentityModel {
	return bucketSecretIdentityModel{ID: m.ID, OrganizationID: types.StringValue(strings.ToLower(m.OrganizationID.ValueString()))}
}

// organizationDefault plans the provider's organization for a secret that names none. An
// existing secret keeps the organization it lives in.
type organizationDefault struct {
	r *bucketSecretResource
}

func (organizationDefault) Description(context.Context) string {
	return "defaults to the provider's organization"
}

func (d organizationDefault) MarkdownDescription(ctx context.Context) string {
	return d.Description(ctx)
}

func (d organizationDefault) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() {
		if !req.StateValue.IsNull() && strings.EqualFold(req.ConfigValue.ValueString(), req.StateValue.ValueString()) {
			resp.PlanValue = req.StateValue
		}
		return
	}
	switch {
	case !req.StateValue.IsNull():
		resp.PlanValue = req.StateValue
	case d.r.data != nil:
		resp.PlanValue = types.StringValue(d.r.data.organization.ID)
	}
}

// endpointPlanModifier plans no change when the configured endpoint and the stored one are
// the same endpoint spelt with and without the scheme (after an import, say).
type endpointPlanModifier struct{}

func (endpointPlanModifier) Description(context.Context) string {
	return "an endpoint with or without http:// or https:// is the same endpoint"
}

func (m endpointPlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (endpointPlanModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	switch {
	case req.ConfigValue.IsNull():
		resp.PlanValue = types.StringNull()
	case req.ConfigValue.IsUnknown():
		resp.PlanValue = req.ConfigValue
	case !req.StateValue.IsNull() &&
		luml.NormalizeEndpoint(req.ConfigValue.ValueString()) == luml.NormalizeEndpoint(req.StateValue.ValueString()):
		resp.PlanValue = req.StateValue
	default:
		resp.PlanValue = req.ConfigValue
	}
}

type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be a host name with an optional port, optionally after http:// or https://"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := endpointProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint",
			fmt.Sprintf("endpoint %q %s. Give the S3 service's host name with an optional port, such as "+
				"s3.eu-central-1.amazonaws.com or minio.example.com:9000; the bucket goes in bucket_name.",
				req.ConfigValue.ValueString(), problem))
	}
}

var hostPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)

// endpointProblem says what is wrong with an endpoint, or "" when nothing is. The server
// stores whatever it gets, but cannot sign URLs for an endpoint with a path or a scheme it
// does not strip.
func endpointProblem(endpoint string) string {
	host := luml.NormalizeEndpoint(endpoint)
	switch {
	case host == "":
		return "is empty"
	case strings.Contains(host, "://"):
		return "has a scheme the server does not remove (only a lower-case http:// or https:// is removed)"
	case strings.ContainsAny(host, "/?#"):
		return "has a path, query or fragment"
	case !hostPattern.MatchString(host):
		return "is not a host name"
	}
	return ""
}

// regionValidator follows the region rule of the S3 client that signs LUML's URLs.
func regionValidator() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$`),
		"must be a region name such as eu-central-1: letters, digits, - and _, not at either end")
}

type uuidValidator struct{}

func (uuidValidator) Description(context.Context) string { return "must be a UUID" }

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (uuidValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := uuid.Parse(req.ConfigValue.ValueString()); err != nil || len(req.ConfigValue.ValueString()) != 36 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid ID",
			fmt.Sprintf("%s must be a UUID such as 0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41, not %q.",
				req.Path, req.ConfigValue.ValueString()))
	}
}
