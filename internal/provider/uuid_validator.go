package provider

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

type uuidValidator struct{}

func (uuidValidator) Description(context.Context) string { return "must be a UUID" }

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (uuidValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !isCanonicalUUID(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid ID",
			fmt.Sprintf("%s must be a UUID such as 0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41, not %q.",
				req.Path, req.ConfigValue.ValueString()))
	}
}

// isCanonicalUUID reports whether s is a UUID in its canonical 8-4-4-4-12 form. uuid.Parse
// alone also takes 32 bare hex digits, braces and a urn:uuid: prefix.
func isCanonicalUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
