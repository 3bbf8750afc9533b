package validators

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

const (
	s3BucketNameRules = "An S3 bucket name has 3 to 63 characters: lower-case letters, digits, dots and hyphens, " +
		"starting and ending with a letter or digit, without two dots or a dot and a hyphen side by side, and not " +
		"formatted as an IP address."
	azureContainerNameRules = "An Azure container name has 3 to 63 characters: lower-case letters, digits and " +
		"hyphens, starting and ending with a letter or digit, without two hyphens side by side."
)

// ipAddressShaped is the signing library's own test (minio-go's s3utils): four dot-separated
// runs of digits, whatever their values, such as 300.1.1.1 or 192.168.01.1.
var ipAddressShaped = regexp.MustCompile(`^(\d+\.){3}\d+$`)

// bucketNameValidator checks bucket_name against the naming rules of the storage the sibling
// attribute type chooses (unset: s3). LUML stores any name, but signs no URL for a name its
// storage libraries refuse, so a bad name would only show when an orbit first uses the secret.
type bucketNameValidator struct{}

// BucketName checks bucket_name against the naming rules of the bucket's type: S3's when
// the type is s3 or unset, Azure Blob Storage's for a container.
func BucketName() validator.String { return bucketNameValidator{} }

func (bucketNameValidator) Description(context.Context) string {
	return "must follow the naming rules of the bucket's type: " + s3BucketNameRules + " " + azureContainerNameRules
}

func (v bucketNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (bucketNameValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	// An empty name is the length validator's to report.
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	var bucketType types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("type"), &bucketType)...)
	if resp.Diagnostics.HasError() || bucketType.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	var problem, rules string
	switch luml.BucketType(bucketType.ValueString()) {
	case "", luml.BucketTypeS3:
		problem, rules = s3BucketNameProblem(name), s3BucketNameRules
	case luml.BucketTypeAzure:
		problem, rules = azureContainerNameProblem(name), azureContainerNameRules
	default:
		return // the type's own validator refuses it
	}
	if problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid bucket name",
			fmt.Sprintf("bucket_name %q %s. %s", name, problem, rules))
	}
}

// s3BucketNameProblem names the first rule of the S3 client that signs LUML's URLs (its strict
// bucket name check) that name breaks, or returns "" when it breaks none.
func s3BucketNameProblem(name string) string {
	if problem := nameLengthProblem(name); problem != "" {
		return problem
	}
	if problem := nameCharsProblem(name, "lower-case letters, digits, dots and hyphens", ".-"); problem != "" {
		return problem
	}
	if problem := nameEndsProblem(name); problem != "" {
		return problem
	}
	for _, pair := range []string{"..", ".-", "-."} {
		if strings.Contains(name, pair) {
			return fmt.Sprintf("has %q: dots and hyphens may not stand side by side", pair)
		}
	}
	if ipAddressShaped.MatchString(name) {
		return "is formatted as an IP address"
	}
	return ""
}

// azureContainerNameProblem names the first Azure Blob Storage container naming rule that name
// breaks, or returns "" when it breaks none.
func azureContainerNameProblem(name string) string {
	if problem := nameLengthProblem(name); problem != "" {
		return problem
	}
	if problem := nameCharsProblem(name, "lower-case letters, digits and hyphens", "-"); problem != "" {
		return problem
	}
	if problem := nameEndsProblem(name); problem != "" {
		return problem
	}
	if strings.Contains(name, "--") {
		return "has two hyphens side by side"
	}
	return ""
}

func nameLengthProblem(name string) string {
	if n := utf8.RuneCountInString(name); n < 3 || n > 63 {
		return fmt.Sprintf("has %d characters, not 3 to 63", n)
	}
	return ""
}

// nameCharsProblem names the first character that is neither a lower-case ASCII letter nor a
// digit nor one of punctuation.
func nameCharsProblem(name, allowed, punctuation string) string {
	for _, c := range name {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && !strings.ContainsRune(punctuation, c) {
			what := fmt.Sprintf("%q", c)
			if c >= 'A' && c <= 'Z' {
				what = fmt.Sprintf("the upper-case letter %q", c)
			}
			return fmt.Sprintf("has %s: only %s are allowed", what, allowed)
		}
	}
	return ""
}

func nameEndsProblem(name string) string {
	isAlnum := func(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') }
	switch {
	case !isAlnum(name[0]):
		return fmt.Sprintf("starts with %q, not a letter or digit", name[0])
	case !isAlnum(name[len(name)-1]):
		return fmt.Sprintf("ends with %q, not a letter or digit", name[len(name)-1])
	}
	return ""
}
