package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be the API's address: an http(s) URL with a host, without a path, query or fragment"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := baseURLProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid LUML base URL", "base_url "+problem+".")
	}
}

// baseURLProblem says what is wrong with a base URL, or "" when nothing is. The client puts
// /v1/... under the base URL, so a path there (often the /v1 itself) leads every request to
// a path the API does not serve, and the user would read a 404 for a path they never wrote.
func baseURLProblem(raw string) string {
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
