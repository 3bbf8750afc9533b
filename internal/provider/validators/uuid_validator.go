package validators

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// uuidValidator refuses what is not a UUID in its canonical form. With byBucketName set, the
// attribute has a bucket_name alternative, which a value that is not a UUID probably meant.
type uuidValidator struct {
	byBucketName bool
}

// UUID refuses what is not a UUID in its canonical form.
func UUID() validator.String { return uuidValidator{} }

// UUIDSuggestingBucketName is UUID for an attribute with a bucket_name alternative: a value that is
// not a UUID draws the suggestion to set bucket_name instead.
func UUIDSuggestingBucketName() validator.String { return uuidValidator{byBucketName: true} }

func (uuidValidator) Description(context.Context) string { return "must be a UUID" }

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v uuidValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if IsCanonicalUUID(value) {
		return
	}
	detail := fmt.Sprintf("%s must be a UUID such as 0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41, not %q.", req.Path, value)
	if id, err := uuid.Parse(value); err == nil {
		detail = fmt.Sprintf("%s must be a UUID in its canonical form: write %s.", req.Path, id)
	} else if v.byBucketName {
		detail += fmt.Sprintf(" To find a bucket secret by the name of its bucket, set bucket_name = %q instead of %s.",
			value, req.Path)
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid ID", detail)
}

// IsCanonicalUUID reports whether s is a UUID in its canonical 8-4-4-4-12 form. uuid.Parse
// alone also takes 32 bare hex digits, braces and a urn:uuid: prefix.
func IsCanonicalUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
