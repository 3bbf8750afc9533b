package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// providerData is what resources, data sources and ephemeral resources receive.
type providerData struct {
	client       *luml.Client
	organization luml.Organization
}

// providerDataFrom unpacks what Configure handed over. It is nil while the provider is not
// configured yet (ValidateResourceConfig, or unknown provider values during plan).
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is always a bug in the provider; please report it.", data))
		return nil
	}
	return pd
}

// requireConfigured adds an error when an operation needs the API and the provider could not
// be configured.
func requireConfigured(pd *providerData, diags *diag.Diagnostics) bool {
	if pd != nil {
		return true
	}
	diags.AddError("LUML provider not configured",
		"The provider block depends on values that are not known yet (for example another resource's "+
			"attributes), so the LUML API cannot be called during this plan. Set api_key, base_url and "+
			"organization from values known at plan time, or apply the resources they depend on first.")
	return false
}

// organizationID is the configured organization, or the provider's when none is set.
func (pd *providerData) organizationID(configured string) string {
	if configured != "" {
		return configured
	}
	return pd.organization.ID
}
