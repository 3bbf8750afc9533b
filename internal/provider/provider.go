// Package provider is the Terraform glue of the LUML provider: schemas, plan logic and the
// conversion between Terraform values and the luml client's types.
package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

// apiKeyPrefix begins every LUML user API key.
const apiKeyPrefix = "dfs_"

var (
	_ provider.Provider                       = &lumlProvider{}
	_ provider.ProviderWithEphemeralResources = &lumlProvider{}
	_ provider.ProviderWithFunctions          = &lumlProvider{}
	_ provider.ProviderWithActions            = &lumlProvider{}
	_ provider.ProviderWithListResources      = &lumlProvider{}
)

// New returns the provider factory for the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &lumlProvider{version: version} }
}

type lumlProvider struct {
	version string
}

type providerModel struct {
	APIKey         types.String `tfsdk:"api_key"`
	BaseURL        types.String `tfsdk:"base_url"`
	Organization   types.String `tfsdk:"organization"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	AllowHTTP      types.Bool   `tfsdk:"allow_insecure_http"`
}

func (p *lumlProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "luml"
	resp.Version = p.version
}

func (p *lumlProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The LUML provider manages the bucket secrets of a [LUML](https://luml.ai) " +
			"organization (the S3 or Azure credentials that orbits store models in) and hands out " +
			"presigned multipart-upload URLs.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "LUML API key (it starts with `dfs_`). May also be set with the `LUML_API_KEY` " +
					"environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "URL of the LUML API, scheme included and without a path: the provider adds " +
					"`/v1/...` itself. May also be set with `LUML_BASE_URL`. Defaults to `" + luml.DefaultBaseURL + "`.",
				Optional:   true,
				Validators: []validator.String{validators.BaseURL()},
			},
			"organization": schema.StringAttribute{
				MarkdownDescription: "Organization to work in: its ID or its exact name. May also be set with " +
					"`LUML_ORGANIZATION`. When unset, the API key's only organization is used; a key with several " +
					"organizations must name one.",
				Optional: true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP request may take, each retry counting as a request of its own: " +
					"any positive duration such as `30s`, `90s` or `2m`. Defaults to `30s`. The resource's `timeouts` " +
					"bound the whole operation, retries and their waits included.",
				Optional:   true,
				Validators: []validator.String{validators.PositiveDuration()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried, with backoff, after a rate limit (429), a " +
					"gateway error (502, 503, 504) or a dropped connection: from 0 (no retries) to 20. Defaults to 4.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` to let `base_url` use plain `http://` to another machine, such as " +
					"a LUML server inside a private network: the API key and the bucket credentials then cross the " +
					"network in clear text, and each run warns about it. Without it, `http://` is allowed only for " +
					"this machine (`localhost`, `127.0.0.0/8`, `::1`). May also be set with `" + validators.EnvAllowInsecureHTTP +
					"=true`. Defaults to false.",
				Optional: true,
			},
		},
	}
}

func (p *lumlProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A value known only after apply (from another resource) leaves the provider unconfigured
	// during this plan; the data sources and resources that need it say so.
	if config.APIKey.IsUnknown() || config.BaseURL.IsUnknown() || config.Organization.IsUnknown() ||
		config.RequestTimeout.IsUnknown() || config.MaxRetries.IsUnknown() || config.AllowHTTP.IsUnknown() {
		tflog.Debug(ctx, "Provider configuration has unknown values; configuring later")
		return
	}

	apiKey := stringOrEnv(config.APIKey, envAPIKey)
	baseURL := stringOrEnv(config.BaseURL, envBaseURL)
	organization := stringOrEnv(config.Organization, envOrganization)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, nonEmpty(apiKey)...)
	ctx = tflog.MaskMessageStrings(ctx, nonEmpty(apiKey)...)

	switch {
	case strings.TrimSpace(apiKey) == "":
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing LUML API key",
			"Set api_key in the provider block or the "+envAPIKey+" environment variable to an API key "+
				"created in the LUML web app (Settings, API key). It starts with \""+apiKeyPrefix+"\".")
	case !strings.HasPrefix(apiKey, apiKeyPrefix):
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Invalid LUML API key",
			"LUML API keys start with \""+apiKeyPrefix+"\"; the configured value does not. Create an API key in "+
				"the LUML web app (Settings, API key) and use it as api_key or "+envAPIKey+".")
	}
	if baseURL == "" {
		baseURL = luml.DefaultBaseURL
	}
	if problem := validators.BaseURLProblem(baseURL); problem != "" {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid LUML base URL",
			fmt.Sprintf("The base URL (from base_url or %s) %s.", envBaseURL, problem))
	} else {
		allowed := validators.InsecureHTTPAllowed(config.AllowHTTP)
		validators.CheckPlainHTTP(path.Root("base_url"), baseURL, allowed, &resp.Diagnostics)
	}
	// Checked by its validator; null parses as zero, the client's default.
	timeout, _ := time.ParseDuration(config.RequestTimeout.ValueString())
	maxRetries := int64(luml.DefaultMaxRetries)
	if !config.MaxRetries.IsNull() {
		maxRetries = config.MaxRetries.ValueInt64()
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := luml.New(luml.Config{
		BaseURL:        baseURL,
		APIKey:         apiKey,
		UserAgent:      fmt.Sprintf("terraform-provider-luml/%s Terraform/%s", p.version, req.TerraformVersion),
		RequestTimeout: timeout,
		MaxRetries:     int(maxRetries),
		Logger:         tflogLogger{secrets: []string{apiKey}},
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the LUML client", err.Error())
		return
	}

	org, err := client.ResolveOrganization(ctx, organization)
	if err != nil {
		addOrganizationError(&resp.Diagnostics, baseURL, err)
		return
	}
	if !org.Role.CanManageBucketSecrets() {
		resp.Diagnostics.AddAttributeError(path.Root("organization"), "Not enough rights in the LUML organization",
			fmt.Sprintf("The API key's user is a %s of organization %s. Only owners and admins may read or change "+
				"bucket secrets. Ask an owner to make the user an admin, or use another user's API key.", org.Role, org))
		return
	}

	data := &providerData{client: client, organization: org}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

func (p *lumlProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newBucketSecretResource,
	}
}

func (p *lumlProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newBucketSecretDataSource,
		newBucketSecretsDataSource,
		newMultipartUploadURLsDataSource,
	}
}

func (p *lumlProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newMultipartUploadURLsEphemeralResource,
	}
}

func (p *lumlProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newBucketSecretListResource,
	}
}

func (p *lumlProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		newBucketSecretCheckAction,
		newMultipartUploadAction,
	}
}

func (p *lumlProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		newMultipartPartsFunction,
	}
}
