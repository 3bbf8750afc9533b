package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
)

var (
	_ ephemeral.EphemeralResource              = &multipartUploadURLsEphemeralResource{}
	_ ephemeral.EphemeralResourceWithConfigure = &multipartUploadURLsEphemeralResource{}
)

func newMultipartUploadURLsEphemeralResource() ephemeral.EphemeralResource {
	return &multipartUploadURLsEphemeralResource{}
}

// multipartUploadURLsEphemeralResource hands out presigned multipart-upload URLs that never
// reach the plan or the state.
type multipartUploadURLsEphemeralResource struct {
	provider *providerData
}

func (r *multipartUploadURLsEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_multipart_upload_urls"
}

func (r *multipartUploadURLsEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: multipartUploadURLsSummary + "\n\nBeing ephemeral, the URLs are never stored in the " +
			"plan or the state; use them in provisioners, write-only attributes or other ephemeral contexts. " +
			"Terraform opens this resource at plan and again at apply, so each run gets fresh URLs. Requires " +
			"Terraform 1.10 or OpenTofu 1.11 or later; older versions can use the `luml_multipart_upload_urls` " +
			"data source.",
		Attributes: ephemeralAttributes(multipartUploadURLsAttributes()),
	}
}

func (r *multipartUploadURLsEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.provider = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *multipartUploadURLsEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var config multipartUploadURLsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	result := fetchMultipartUploadURLs(ctx, r.provider, config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Result.Raw = result
}
