package validators

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

type baseURLValidator struct{}

// BaseURL checks the provider's base_url: the API's address without a path, and plain HTTP to
// another machine only with the allow_insecure_http opt-in.
func BaseURL() validator.String { return baseURLValidator{} }

func (baseURLValidator) Description(context.Context) string {
	return "must be the API's address: an http(s) URL with a host, without a path, query or fragment"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := BaseURLProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid LUML base URL", "base_url "+problem+".")
		return
	}
	var allow types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("allow_insecure_http"), &allow)...)
	if allow.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	// Only the refusal: Configure warns about an opted-in run, once.
	var diags diag.Diagnostics
	CheckPlainHTTP(req.Path, req.ConfigValue.ValueString(), InsecureHTTPAllowed(allow), &diags)
	resp.Diagnostics.Append(diags.Errors()...)
}

// BaseURLProblem says what is wrong with a base URL, or "" when nothing is. The client puts
// /v1/... under the base URL, so a path there (often the /v1 itself) leads every request to
// a path the API does not serve, and the user would read a 404 for a path they never wrote.
func BaseURLProblem(raw string) string {
	if !strings.Contains(raw, "://") {
		return fmt.Sprintf("%q has no scheme: write it in full, such as %s", raw, luml.DefaultBaseURL)
	}
	// The value is quoted below, so a password in it must not be.
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return "must not carry a user name or password: the provider authenticates with api_key"
	}
	u, err := luml.ParseBaseURL(raw)
	if err != nil {
		return err.Error()
	}
	root := u.Scheme + "://" + u.Host
	switch {
	case u.Path == "/v1" || strings.HasSuffix(u.Path, "/v1"):
		return fmt.Sprintf("%q ends with /v1, which the provider adds itself (requests would go to %s/v1/... "+
			"and fail with 404 Not Found); leave it out, as in %s", raw, u.Path, root)
	case u.Path != "":
		return fmt.Sprintf("%q has a path (%s): the provider sends its requests to /v1/... directly under "+
			"base_url, so give the API's address alone, such as %s", raw, u.Path, root)
	}
	return ""
}

// EnvAllowInsecureHTTP opts in to plain HTTP, as the allow_insecure_http attribute does.
const EnvAllowInsecureHTTP = "LUML_ALLOW_INSECURE_HTTP"

// plainHTTPHost returns the host of a plain-HTTP base URL that is not this machine, or "":
// the API key, and the credentials in request bodies, would cross the network in clear text.
func plainHTTPHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return ""
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return ""
	}
	if addr, err := netip.ParseAddr(host); err == nil && addr.Unmap().IsLoopback() {
		return ""
	}
	return host
}

// InsecureHTTPAllowed is the opt-in: the attribute when set, else the environment variable.
func InsecureHTTPAllowed(attribute types.Bool) bool {
	if !attribute.IsNull() && !attribute.IsUnknown() {
		return attribute.ValueBool()
	}
	allowed, _ := strconv.ParseBool(os.Getenv(EnvAllowInsecureHTTP))
	return allowed
}

// CheckPlainHTTP refuses a plain-HTTP base URL to another machine without the opt-in, and
// warns when the opt-in lets it through.
func CheckPlainHTTP(attrPath path.Path, baseURL string, allowed bool, diags *diag.Diagnostics) {
	host := plainHTTPHost(baseURL)
	switch {
	case host == "":
	case !allowed:
		diags.AddAttributeError(attrPath, "Plain HTTP to a remote LUML API",
			fmt.Sprintf("The base URL %s uses http:// to %s, another machine: the API key and every credential "+
				"the provider sends would cross the network in clear text. Use https://. Plain HTTP is allowed "+
				"without ceremony only for this machine (localhost, 127.0.0.0/8, ::1); for a LUML server inside a "+
				"private network, opt in with allow_insecure_http = true in the provider block or %s=true.",
				baseURL, host, EnvAllowInsecureHTTP))
	default:
		diags.AddAttributeWarning(attrPath, "Plain HTTP to a remote LUML API",
			fmt.Sprintf("allow_insecure_http (or %s) lets the provider talk to %s over plain HTTP: the API key and "+
				"the bucket credentials cross the network in clear text.", EnvAllowInsecureHTTP, host))
	}
}
