package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

var (
	_ action.Action              = &multipartUploadAction{}
	_ action.ActionWithConfigure = &multipartUploadAction{}
)

// uploadProgressEvery bounds how often progress is reported: a 5 TiB file has 5120 parts.
const uploadProgressEvery = 10 * time.Second

func newMultipartUploadAction() action.Action { return &multipartUploadAction{} }

// multipartUploadAction is action "luml_multipart_upload": it uploads a local file through the
// multipart URLs LUML signs, inside the provider, so that no URL leaves its process.
type multipartUploadAction struct {
	data *providerData
}

type multipartUploadModel struct {
	BucketSecretID types.String `tfsdk:"bucket_secret_id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	BucketLocation types.String `tfsdk:"bucket_location"`
	Source         types.String `tfsdk:"source"`
	UploadID       types.String `tfsdk:"upload_id"`
	Concurrency    types.Int64  `tfsdk:"concurrency"`
}

func (a *multipartUploadAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_multipart_upload"
}

func (a *multipartUploadAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a local file of any size (1 byte to 5 TiB) to a LUML bucket in parts: the " +
			"provider asks LUML for the presigned part URLs, streams the parts from the file, several at a time, " +
			"retrying a part the storage failed, then completes the upload (S3 CompleteMultipartUpload, Azure Put " +
			"Block List). The URLs never leave the provider: they appear in no output, state or log. Needs " +
			"Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"bucket_secret_id": schema.StringAttribute{
				MarkdownDescription: "ID (a UUID) of the bucket secret of the bucket to upload to.",
				Required:            true,
				Validators:          []validator.String{validators.UUID()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "ID of the organization that owns the secret. Defaults to the provider's " +
					"organization.",
				Optional:   true,
				Validators: []validator.String{validators.UUID()},
			},
			"bucket_location": schema.StringAttribute{
				MarkdownDescription: "Object key (S3) or blob name (Azure) of the file in the bucket.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"source": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Path of the local file to upload, from 1 byte to 5 TiB (%d "+
					"bytes); its size decides the parts. It must not change during the upload: its size and "+
					"modification time are checked before the upload is completed.", luml.MaxUploadSize),
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"upload_id": schema.StringAttribute{
				MarkdownDescription: "Upload ID of the multipart upload started on the bucket (the `UploadId` of " +
					"CreateMultipartUpload). Required for S3 secrets; refused for Azure, whose blocks need none.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"concurrency": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many parts are uploaded at once, %d to %d. Defaults to %d.",
					luml.MinUploadConcurrency, luml.MaxUploadConcurrency, luml.DefaultUploadConcurrency),
				Optional: true,
				Validators: []validator.Int64{int64validator.Between(luml.MinUploadConcurrency,
					luml.MaxUploadConcurrency)},
			},
		},
	}
}

func (a *multipartUploadAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *multipartUploadAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config multipartUploadModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !requireConfigured(a.data, &resp.Diagnostics) {
		return
	}
	secretID := strings.ToLower(config.BucketSecretID.ValueString())
	orgID := strings.ToLower(a.data.organizationID(config.OrganizationID.ValueString()))
	location := config.BucketLocation.ValueString()
	source := config.Source.ValueString()

	secret, err := a.data.client.GetBucketSecret(ctx, orgID, secretID)
	if err != nil {
		addMultipartSecretError(&resp.Diagnostics, orgID, secretID, err)
		return
	}
	switch {
	case secret.Type == luml.BucketTypeS3 && config.UploadID.IsNull():
		addMissingUploadIDError(&resp.Diagnostics, secret, location)
		return
	case secret.Type == luml.BucketTypeAzure && !config.UploadID.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("upload_id"), "upload_id is refused for Azure",
			fmt.Sprintf("Bucket secret %s is an Azure container: its blocks need no upload ID. Remove upload_id.", secret.ID))
		return
	}
	info, err := os.Stat(source)
	if err != nil {
		addUploadFileError(&resp.Diagnostics, err)
		return
	}

	name := bucketSecretDisplayName(secret)
	concurrency := int(config.Concurrency.ValueInt64())
	if config.Concurrency.IsNull() {
		concurrency = luml.DefaultUploadConcurrency
	}
	progress := func(text string) { sendProgress(ctx, resp, name+": "+text) }
	partSize := luml.PartSize(info.Size())
	progress(fmt.Sprintf("uploading %s (%s) to %s: %d parts of up to %s, %d at a time", source,
		byteSize(info.Size()), location, luml.PartsCount(info.Size()), byteSize(partSize), concurrency))

	result, err := a.data.client.UploadFile(ctx, source, luml.MultipartRequest{
		BucketSecretID: secretID,
		BucketLocation: location,
		UploadID:       config.UploadID.ValueStringPointer(),
	}, luml.UploadOptions{
		Concurrency:   concurrency,
		ProgressEvery: uploadProgressEvery,
		Progress: func(p luml.UploadProgress) {
			progress(fmt.Sprintf("%d of %d parts, %s of %s, %s", p.PartsDone, p.PartsTotal, byteSize(p.BytesDone),
				byteSize(p.BytesTotal), throughput(p.BytesDone, p.Elapsed)))
		},
	})
	if err != nil {
		failure := uploadFailure{
			orgID: orgID, secret: secret, source: source, location: location,
			uploadID: config.UploadID.ValueString(), interrupted: ctx.Err() != nil,
		}
		addUploadError(&resp.Diagnostics, failure, err)
		if failure.interrupted {
			// Once Terraform stops the provider, the plugin server drops the action's last
			// events (and Terraform 1.15 crashes on an event that comes after it stopped
			// reading), so nothing more is sent: the log keeps what the diagnostic says.
			for _, d := range resp.Diagnostics.Errors() {
				tflog.Warn(ctx, d.Summary()+": "+d.Detail())
			}
		}
		return
	}
	retries := ""
	if result.Retries > 0 {
		retries = fmt.Sprintf(", %d part requests retried", result.Retries)
	}
	progress(fmt.Sprintf("uploaded %s to %s: %s (%d bytes) in %d parts in %s (%s)%s", source, location,
		byteSize(result.Size), result.Size, result.Parts, result.Elapsed.Round(time.Millisecond),
		throughput(result.Size, result.Elapsed), retries))
}

// byteSize writes a size for people, in binary units.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

func throughput(n int64, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return byteSize(int64(float64(n)/d.Seconds())) + "/s"
}
