package provider

import (
	"os"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The provider block's attributes that are unset fall back to these environment variables.
const (
	envAPIKey       = "LUML_API_KEY"
	envBaseURL      = "LUML_BASE_URL"
	envOrganization = "LUML_ORGANIZATION"
)

// stringOrEnv is the attribute's value when it is set, even to "", else the variable's.
func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}
