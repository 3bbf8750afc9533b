package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"

	"github.com/luml-ai/terraform-provider-luml/internal/partplan"
)

var _ function.Function = multipartPartsFunction{}

func newMultipartPartsFunction() function.Function { return multipartPartsFunction{} }

// multipartPartsFunction is provider::luml::multipart_parts: the part plan LUML's multipart
// URLs will have, computed offline, so that a configuration can size things by it without
// asking the API (and without a configured provider).
type multipartPartsFunction struct{}

var multipartPartAttrTypes = map[string]attr.Type{
	"part_number": types.Int64Type,
	"start_byte":  types.Int64Type,
	"end_byte":    types.Int64Type,
	"part_size":   types.Int64Type,
}

var multipartPlanAttrTypes = map[string]attr.Type{
	"part_size":   types.Int64Type,
	"parts_count": types.Int64Type,
	"parts":       types.ListType{ElemType: types.ObjectType{AttrTypes: multipartPartAttrTypes}},
}

func (multipartPartsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "multipart_parts"
}

func (multipartPartsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The part plan of a LUML multipart upload, computed offline",
		MarkdownDescription: "Returns the parts LUML's multipart upload URLs will have for a file of `size` bytes, " +
			"without calling the API: the same part size, count and byte ranges as the `luml_multipart_upload_urls` " +
			"ephemeral resource and data source, minus the URLs. The part size grows with the file: " +
			partplan.Describe() + ".\n\n" +
			"The result is an object: `part_size` (the size of every part but the last, which may be shorter), " +
			"`parts_count`, and `parts`, a list of `{ part_number, start_byte, end_byte, part_size }` in order " +
			"(`end_byte` inclusive). Needs Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.Int64Parameter{
				Name: "size",
				MarkdownDescription: fmt.Sprintf("Size of the file in bytes, from 1 to 5 TiB (%d), the largest file "+
					"LUML stores.", luml.MaxUploadSize),
			},
		},
		Return: function.ObjectReturn{AttributeTypes: multipartPlanAttrTypes},
	}
}

func (multipartPartsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var size int64
	resp.Error = req.Arguments.Get(ctx, &size)
	if resp.Error != nil {
		return
	}
	if size < 1 || size > luml.MaxUploadSize {
		// No full stop: Terraform and OpenTofu end "Invalid value for "size" parameter: ..." with one.
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("size must be from 1 byte to 5 TiB (%d bytes), "+
			"the largest file LUML stores; got %d", luml.MaxUploadSize, size))
		return
	}
	resp.Error = resp.Result.Set(ctx, multipartPlan(size))
}

// multipartPlan lays out the parts of a file of size bytes (1 .. 5 TiB) as the server does
// (luml.PartSize): full parts, then a shorter last one.
func multipartPlan(size int64) types.Object {
	partSize := luml.PartSize(size)
	count := luml.PartsCount(size)
	parts := make([]attr.Value, count)
	for i := range count {
		start := i * partSize
		length := min(partSize, size-start)
		parts[i] = types.ObjectValueMust(multipartPartAttrTypes, map[string]attr.Value{
			"part_number": types.Int64Value(i + 1),
			"start_byte":  types.Int64Value(start),
			"end_byte":    types.Int64Value(start + length - 1),
			"part_size":   types.Int64Value(length),
		})
	}
	return types.ObjectValueMust(multipartPlanAttrTypes, map[string]attr.Value{
		"part_size":   types.Int64Value(min(partSize, size)),
		"parts_count": types.Int64Value(count),
		"parts":       types.ListValueMust(types.ObjectType{AttrTypes: multipartPartAttrTypes}, parts),
	})
}
