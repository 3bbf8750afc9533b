package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/partplan"
	"github.com/luml-ai/terraform-provider-luml/internal/provider/validators"
)

// The ephemeral resource and the data source luml_multipart_upload_urls share this file:
// one model, one schema, one way to ask the API and one conversion of its answer.

// multipartUploadURLsSummary opens both descriptions. The workflows for S3 and Azure are in
// the documentation's templates: lists do not survive the one-paragraph summary of the docs.
const multipartUploadURLsSummary = "Presigned URLs to upload one file to a LUML bucket in parts (a multipart " +
	"upload): each part's number and byte range in `parts`, their URLs in the same order in `part_urls`, and " +
	"the URL that completes the upload in `complete_url`. For an S3 bucket, start the upload first and pass " +
	"its ID as `upload_id`; an Azure container needs none. The URLs expire after 12 hours; asking for them " +
	"changes nothing in the bucket or in LUML."

// multipartUploadURLsModel reads the configuration. Results are built by
// multipartUploadURLsValue, so the computed fields are only there to mirror the schema.
type multipartUploadURLsModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	BucketSecretID types.String `tfsdk:"bucket_secret_id"`
	BucketLocation types.String `tfsdk:"bucket_location"`
	Size           types.Int64  `tfsdk:"size"`
	UploadID       types.String `tfsdk:"upload_id"`
	Type           types.String `tfsdk:"type"`
	PartSize       types.Int64  `tfsdk:"part_size"`
	PartsCount     types.Int64  `tfsdk:"parts_count"`
	Parts          types.List   `tfsdk:"parts"`
	PartURLs       types.List   `tfsdk:"part_urls"`
	CompleteURL    types.String `tfsdk:"complete_url"`
}

// multipartPartType and multipartUploadURLsType are the Terraform types of the schema below.
var (
	multipartPartType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"part_number": tftypes.Number,
		"start_byte":  tftypes.Number,
		"end_byte":    tftypes.Number,
	}}
	multipartUploadURLsType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"organization_id":  tftypes.String,
		"bucket_secret_id": tftypes.String,
		"bucket_location":  tftypes.String,
		"size":             tftypes.Number,
		"upload_id":        tftypes.String,
		"type":             tftypes.String,
		"part_size":        tftypes.Number,
		"parts_count":      tftypes.Number,
		"parts":            tftypes.List{ElementType: multipartPartType},
		"part_urls":        tftypes.List{ElementType: tftypes.String},
		"complete_url":     tftypes.String,
	}}
)

// multipartUploadURLsAttributes is the schema of both types, written once with the data
// source's attribute types; ephemeralAttributes derives the ephemeral resource's from it.
func multipartUploadURLsAttributes() map[string]dsschema.Attribute {
	return map[string]dsschema.Attribute{
		"organization_id": dsschema.StringAttribute{
			MarkdownDescription: "ID of the organization that owns the bucket secret. Defaults to the provider's " +
				"organization.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{validators.UUID()},
		},
		"bucket_secret_id": dsschema.StringAttribute{
			MarkdownDescription: "ID (a UUID) of the bucket secret of the bucket to upload to, in the organization " +
				"of `organization_id`.",
			Required:   true,
			Validators: []validator.String{validators.UUID()},
		},
		"bucket_location": dsschema.StringAttribute{
			MarkdownDescription: "Object key (S3) or blob name (Azure) of the file in the bucket.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"size": dsschema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Size of the file in bytes, from 1 to 5 TiB (%d). It decides the "+
				"part size: %s.", luml.MaxUploadSize, partplan.Describe()),
			Required:   true,
			Validators: []validator.Int64{int64validator.Between(1, luml.MaxUploadSize)},
		},
		"upload_id": dsschema.StringAttribute{
			MarkdownDescription: "Upload ID of the multipart upload started on the bucket (the `UploadId` of " +
				"CreateMultipartUpload). Required for S3 secrets. Azure needs none: left unset, it is null.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"type": dsschema.StringAttribute{
			MarkdownDescription: "Storage type of the bucket secret: `s3` or `azure`.",
			Computed:            true,
		},
		"part_size": dsschema.Int64Attribute{
			MarkdownDescription: "Size in bytes of every part but the last, which may be shorter.",
			Computed:            true,
		},
		"parts_count": dsschema.Int64Attribute{
			MarkdownDescription: "Number of parts.",
			Computed:            true,
		},
		"parts": dsschema.ListNestedAttribute{
			MarkdownDescription: "The parts in order. Together their byte ranges cover the file exactly once; " +
				"a part has `end_byte - start_byte + 1` bytes. Their URLs are in `part_urls`, in the same order.",
			Computed: true,
			NestedObject: dsschema.NestedAttributeObject{
				Attributes: map[string]dsschema.Attribute{
					"part_number": dsschema.Int64Attribute{
						MarkdownDescription: "Part number, from 1.",
						Computed:            true,
					},
					"start_byte": dsschema.Int64Attribute{
						MarkdownDescription: "Offset of the part's first byte in the file.",
						Computed:            true,
					},
					"end_byte": dsschema.Int64Attribute{
						MarkdownDescription: "Offset of the part's last byte in the file (inclusive).",
						Computed:            true,
					},
				},
			},
		},
		"part_urls": dsschema.ListAttribute{
			MarkdownDescription: "Presigned URLs to PUT the parts' bytes to, in the order of `parts`: " +
				"`part_urls[i]` is the URL of `parts[i]`, whose `part_number` is `i + 1`. Sensitive as a whole.",
			ElementType: types.StringType,
			Computed:    true,
			Sensitive:   true,
		},
		"complete_url": dsschema.StringAttribute{
			MarkdownDescription: "Presigned URL that completes the upload: POST the CompleteMultipartUpload " +
				"XML to it (S3), or PUT the block list (Azure).",
			Computed:  true,
			Sensitive: true,
		},
	}
}

// ephemeralAttributes converts data source attributes to ephemeral ones. The leaf attribute
// types of both schema packages have identical fields, so a type conversion copies them; it
// stops compiling if the framework ever makes them differ.
func ephemeralAttributes(in map[string]dsschema.Attribute) map[string]ephschema.Attribute {
	out := make(map[string]ephschema.Attribute, len(in))
	for name, a := range in {
		switch a := a.(type) {
		case dsschema.StringAttribute:
			out[name] = ephschema.StringAttribute(a)
		case dsschema.Int64Attribute:
			out[name] = ephschema.Int64Attribute(a)
		case dsschema.ListAttribute:
			out[name] = ephschema.ListAttribute(a)
		case dsschema.ListNestedAttribute:
			out[name] = ephschema.ListNestedAttribute{
				NestedObject: ephschema.NestedAttributeObject{
					Attributes: ephemeralAttributes(a.NestedObject.Attributes),
					Validators: a.NestedObject.Validators,
					CustomType: a.NestedObject.CustomType,
				},
				CustomType:          a.CustomType,
				Required:            a.Required,
				Optional:            a.Optional,
				Computed:            a.Computed,
				Sensitive:           a.Sensitive,
				Description:         a.Description,
				MarkdownDescription: a.MarkdownDescription,
				DeprecationMessage:  a.DeprecationMessage,
				Validators:          a.Validators,
			}
		default:
			panic(fmt.Sprintf("ephemeralAttributes: attribute %q has unsupported type %T", name, a))
		}
	}
	return out
}

// fetchMultipartUploadURLs asks the API for the URLs of the configured upload and returns the
// whole Terraform object. It refuses an S3 secret without upload_id before the multipart
// request: the API would answer it with a bare 500.
func fetchMultipartUploadURLs(ctx context.Context, pd *providerData, config multipartUploadURLsModel, diags *diag.Diagnostics) tftypes.Value {
	if !requireConfigured(pd, diags) {
		return tftypes.Value{}
	}
	// UUIDs are case-insensitive; the API's paths and lookups use the lower-case spelling.
	secretID := strings.ToLower(config.BucketSecretID.ValueString())
	orgID := strings.ToLower(pd.organizationID(config.OrganizationID.ValueString()))
	// The multipart endpoint finds the secret by ID alone; reading it first, in its
	// organization, tells an S3 secret that needs an upload_id from an Azure one.
	secret, err := pd.client.GetBucketSecret(ctx, orgID, secretID)
	if err != nil {
		addMultipartSecretError(diags, orgID, secretID, err)
		return tftypes.Value{}
	}
	switch {
	case secret.Type == luml.BucketTypeS3 && config.UploadID.IsNull():
		addMissingUploadIDError(diags, secret, config.BucketLocation.ValueString())
		return tftypes.Value{}
	case secret.Type == luml.BucketTypeAzure && !config.UploadID.IsNull():
		diags.AddAttributeWarning(path.Root("upload_id"), "upload_id is ignored for Azure",
			fmt.Sprintf("Bucket secret %s is an Azure container: its block URLs need no upload ID, and LUML "+
				"ignores the one configured. Remove upload_id.", secret.ID))
	}

	upload, err := pd.client.MultipartUploadURLs(ctx, luml.MultipartRequest{
		BucketSecretID: secretID,
		BucketLocation: config.BucketLocation.ValueString(),
		Size:           config.Size.ValueInt64(),
		UploadID:       config.UploadID.ValueStringPointer(),
	})
	if err != nil {
		addMultipartRequestError(diags, orgID, secret, err)
		return tftypes.Value{}
	}

	result, err := multipartUploadURLsValue(config, orgID, upload)
	if err != nil {
		diags.AddError("Unexpected multipart upload URLs",
			fmt.Sprintf("The LUML API answered with parts that cannot be uploaded as they are: %s. "+
				"This is a bug in the LUML API or the provider; please report it.", err))
	}
	return result
}

// multipartUploadURLsValue is the Terraform object of an answer: the configured arguments and
// the computed attributes, after checking that the parts cover the file exactly (upload tools
// trust these ranges). It builds the tftypes value directly: the framework's reflection
// (tfsdk Set of a model with a types.List) takes ten times longer, over 100 ms for the 5120
// parts of a 5 TiB file, at every plan and apply.
func multipartUploadURLsValue(config multipartUploadURLsModel, orgID string, u *luml.MultipartUpload) (tftypes.Value, error) {
	size := config.Size.ValueInt64()
	if len(u.Parts) == 0 {
		return tftypes.Value{}, fmt.Errorf("no parts for a file of %d bytes", size)
	}
	parts := make([]tftypes.Value, len(u.Parts))
	urls := make([]tftypes.Value, len(u.Parts))
	next := int64(0)
	for i, p := range u.Parts {
		switch {
		case p.PartNumber != int64(i+1):
			return tftypes.Value{}, fmt.Errorf("part %d has number %d", i+1, p.PartNumber)
		case p.StartByte != next || p.EndByte < p.StartByte || p.PartSize != p.EndByte-p.StartByte+1:
			return tftypes.Value{}, fmt.Errorf("part %d covers bytes %d-%d (%d bytes), expected a range "+
				"starting at %d", p.PartNumber, p.StartByte, p.EndByte, p.PartSize, next)
		}
		next = p.EndByte + 1
		parts[i] = tftypes.NewValue(multipartPartType, map[string]tftypes.Value{
			"part_number": tftypes.NewValue(tftypes.Number, p.PartNumber),
			"start_byte":  tftypes.NewValue(tftypes.Number, p.StartByte),
			"end_byte":    tftypes.NewValue(tftypes.Number, p.EndByte),
		})
		urls[i] = tftypes.NewValue(tftypes.String, p.URL)
	}
	if next != size {
		return tftypes.Value{}, fmt.Errorf("the parts cover %d bytes of a %d-byte file", next, size)
	}
	// Terraform requires a configured value back as it is; Azure answers without one.
	uploadID := config.UploadID.ValueStringPointer()
	if uploadID == nil {
		uploadID = u.UploadID
	}
	organizationID := config.OrganizationID
	if organizationID.IsNull() {
		organizationID = types.StringValue(orgID)
	}
	attrs := multipartUploadURLsType.AttributeTypes
	return tftypes.NewValue(multipartUploadURLsType, map[string]tftypes.Value{
		"organization_id":  tftypes.NewValue(tftypes.String, organizationID.ValueString()),
		"bucket_secret_id": tftypes.NewValue(tftypes.String, config.BucketSecretID.ValueString()),
		"bucket_location":  tftypes.NewValue(tftypes.String, config.BucketLocation.ValueString()),
		"size":             tftypes.NewValue(tftypes.Number, size),
		"upload_id":        tftypes.NewValue(tftypes.String, uploadID),
		"type":             tftypes.NewValue(tftypes.String, string(u.Type)),
		"part_size":        tftypes.NewValue(tftypes.Number, u.Parts[0].PartSize),
		"parts_count":      tftypes.NewValue(tftypes.Number, int64(len(u.Parts))),
		"parts":            tftypes.NewValue(attrs["parts"], parts),
		"part_urls":        tftypes.NewValue(attrs["part_urls"], urls),
		"complete_url":     tftypes.NewValue(tftypes.String, u.CompleteURL),
	}), nil
}
