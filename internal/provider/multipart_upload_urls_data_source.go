package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

var (
	_ datasource.DataSource              = &multipartUploadURLsDataSource{}
	_ datasource.DataSourceWithConfigure = &multipartUploadURLsDataSource{}
)

func newMultipartUploadURLsDataSource() datasource.DataSource {
	return &multipartUploadURLsDataSource{}
}

// multipartUploadURLsDataSource is the ephemeral resource for Terraform < 1.10 and
// OpenTofu < 1.11, at the price of URLs in the state.
type multipartUploadURLsDataSource struct {
	provider *providerData
}

func (d *multipartUploadURLsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_multipart_upload_urls"
}

func (d *multipartUploadURLsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: multipartUploadURLsSummary + "\n\n" +
			"**The URLs are stored in the Terraform state.** Until they expire, anyone who can read " +
			"the state can write to the bucket. New URLs are signed on every read, so they change at every plan " +
			"and refresh, and every read warns so. With Terraform 1.10 or OpenTofu 1.11 and later, use the " +
			"`luml_multipart_upload_urls` ephemeral resource instead: its URLs never reach the plan or the state.",
		Attributes: multipartUploadURLsAttributes(),
	}
}

func (d *multipartUploadURLsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.provider = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *multipartUploadURLsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config multipartUploadURLsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	result := fetchMultipartUploadURLs(ctx, d.provider, config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.State.Raw = result
	resp.Diagnostics.Append(multipartURLsInStateWarning())
}

// multipartURLsInStateWarning is shown at every read: each one signs new URLs into the state.
func multipartURLsInStateWarning() diag.Diagnostic {
	return diag.NewWarningDiagnostic("Presigned upload URLs stored in the state",
		"The luml_multipart_upload_urls data source writes its part_urls and complete_url to the Terraform "+
			"state, where anyone who can read the state can write to the bucket until they expire (12 hours). "+
			"With Terraform 1.10 or OpenTofu 1.11 and later, declare it as an ephemeral resource instead "+
			"(ephemeral \"luml_multipart_upload_urls\" with the same arguments): its URLs never reach the plan "+
			"or the state.")
}
