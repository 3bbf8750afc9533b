package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// tflogLogger sends the client's debug lines to tflog with the given secrets masked, in
// messages and in every field, whatever context the line comes from.
type tflogLogger struct {
	secrets []string
}

func (tflogLogger) DebugEnabled(ctx context.Context) bool { return tflog.IsDebug(ctx) }

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	secrets := nonEmpty(l.secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	tflog.Debug(ctx, msg, fields)
}

// providerDataFrom unpacks what Configure handed over. It is nil while the provider is not
// configured yet (ValidateResourceConfig, or unknown provider values during plan).
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is always a bug in the provider; please report it.", data))
		return nil
	}
	return pd
}

// requireConfigured adds an error when an operation needs the API and the provider could not
// be configured.
func requireConfigured(pd *providerData, diags *diag.Diagnostics) bool {
	if pd != nil {
		return true
	}
	diags.AddError("LUML provider not configured",
		"The provider block depends on values that are not known yet (for example another resource's "+
			"attributes), so the LUML API cannot be called during this plan. Set api_key, base_url and "+
			"organization from values known at plan time, or apply the resources they depend on first.")
	return false
}

// organizationID is the configured organization, or the provider's when none is set.
func (pd *providerData) organizationID(configured string) string {
	if configured != "" {
		return configured
	}
	return pd.organization.ID
}

func addOrganizationError(diags *diag.Diagnostics, baseURL string, err error) {
	var orgErr *luml.OrganizationError
	switch {
	case errors.As(err, &orgErr):
		diags.AddAttributeError(path.Root("organization"), "Unable to choose the LUML organization",
			upperFirst(orgErr.Error())+". Set organization (or "+envOrganization+") to one of them.")
	case luml.IsUnauthorized(err):
		diags.AddAttributeError(path.Root("api_key"), "LUML API key rejected",
			"The LUML API at "+baseURL+" did not accept the API key (401 Not authenticated). Check that api_key "+
				"(or "+envAPIKey+") holds the current key: creating a new key replaces the old one.")
	case luml.IsForbidden(err):
		diags.AddAttributeError(path.Root("api_key"), "LUML API key not allowed",
			"The LUML API refused the key: "+err.Error()+". The provider needs a user API key (dfs_...), "+
				"not a satellite key or a session token.")
	default:
		diags.AddAttributeError(path.Root("base_url"), "Unable to reach the LUML API",
			"Listing the API key's organizations at "+baseURL+" failed: "+err.Error()+". Check base_url (or "+
				envBaseURL+") and the network.")
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute http(s) URL without query or fragment"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := luml.ParseBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid LUML base URL",
			fmt.Sprintf("base_url %s, for example https://api.luml.ai.", err))
	}
}

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a positive duration. Use a number with a unit, such as 30s, 90s or 2m.",
				req.ConfigValue.ValueString()))
	}
}
