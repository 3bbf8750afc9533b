package validators

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Region follows the region rule of the S3 client that signs LUML's URLs.
func Region() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$`),
		"must be a region name such as eu-central-1: letters, digits, - and _, not at either end")
}
