package validators

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// endpointSchemeValidator warns when the scheme written in endpoint disagrees with secure.
// LUML drops the scheme and connects as secure says (unset: HTTPS), so an endpoint written
// http:// is reached over HTTPS unless secure = false, and one written https:// over plain
// HTTP when secure = false.
type endpointSchemeValidator struct{}

// EndpointScheme warns when the scheme written in endpoint disagrees with the secure attribute.
func EndpointScheme() validator.String { return endpointSchemeValidator{} }

func (endpointSchemeValidator) Description(context.Context) string {
	return "an http:// or https:// in front is dropped: secure chooses the protocol"
}

func (v endpointSchemeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (endpointSchemeValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	endpoint := req.ConfigValue.ValueString()
	plainHTTP := strings.HasPrefix(endpoint, "http://")
	if !plainHTTP && !strings.HasPrefix(endpoint, "https://") {
		return
	}
	var secure types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secure"), &secure)...)
	if resp.Diagnostics.HasError() || secure.IsUnknown() {
		return
	}
	switch {
	case plainHTTP && secure.IsNull():
		resp.Diagnostics.AddAttributeWarning(req.Path, "LUML will use HTTPS",
			"endpoint starts with http://, but secure is unset, which LUML takes as true: LUML drops the scheme "+
				"and connects to the endpoint over HTTPS. Set secure = false to use plain HTTP, or write the "+
				"endpoint without http://.")
	case plainHTTP && secure.ValueBool():
		resp.Diagnostics.AddAttributeWarning(req.Path, "LUML will use HTTPS",
			"endpoint starts with http://, but secure = true: LUML drops the scheme and connects to the endpoint "+
				"over HTTPS. Set secure = false to use plain HTTP, or write the endpoint without http://.")
	case !plainHTTP && !secure.IsNull() && !secure.ValueBool():
		resp.Diagnostics.AddAttributeWarning(req.Path, "LUML will use plain HTTP",
			"endpoint starts with https://, but secure = false: LUML drops the scheme and connects to the "+
				"endpoint over plain HTTP. Remove secure = false to use HTTPS, or write the endpoint without https://.")
	}
}
