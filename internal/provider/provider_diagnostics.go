package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// addOrganizationError explains why Configure could not choose the organization, attached to
// the attribute the user must change: organization, api_key or base_url.
func addOrganizationError(diags *diag.Diagnostics, baseURL string, err error) {
	var orgErr *luml.OrganizationError
	switch {
	case errors.As(err, &orgErr):
		diags.AddAttributeError(path.Root("organization"), "Unable to choose the LUML organization",
			upperFirst(orgErr.Error())+". Set organization (or "+envOrganization+") to one of them.")
	case luml.IsUnauthorized(err):
		diags.AddAttributeError(path.Root("api_key"), "LUML API key rejected",
			"The LUML API at "+baseURL+" did not accept the API key (401 Not authenticated). Check that api_key "+
				"(or "+envAPIKey+") holds the current key: creating a new key replaces the old one.")
	case luml.IsForbidden(err):
		diags.AddAttributeError(path.Root("api_key"), "LUML API key not allowed",
			"The LUML API refused the key: "+err.Error()+". The provider needs a user API key (dfs_...), "+
				"not a satellite key or a session token.")
	default:
		diags.AddAttributeError(path.Root("base_url"), "Unable to reach the LUML API",
			"Listing the API key's organizations at "+baseURL+" failed: "+err.Error()+". Check base_url (or "+
				envBaseURL+") and the network.")
	}
}
