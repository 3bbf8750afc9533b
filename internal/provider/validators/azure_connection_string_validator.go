package validators

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// azureConnectionStringValidator checks the shape LUML needs to sign URLs for an Azure
// container: key=value pairs with the account name and key. LUML stores any string, so
// without this a SAS URL or a string without a key would fail only when an orbit uses it.
// The value is a secret: no diagnostic quotes it.
type azureConnectionStringValidator struct{}

// AzureConnectionString checks that a value is a storage account connection string with the
// account name and key, without quoting the value in its diagnostics.
func AzureConnectionString() validator.String { return azureConnectionStringValidator{} }

func (azureConnectionStringValidator) Description(context.Context) string {
	return "must be a storage account connection string: key=value pairs separated by semicolons, " +
		"with AccountName and AccountKey"
}

func (v azureConnectionStringValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (azureConnectionStringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := azureConnectionStringProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Azure connection string",
			req.Path.String()+" "+problem+". Copy the storage account's connection string from the Azure portal "+
				"(Storage account, Security and networking, Access keys): DefaultEndpointsProtocol=https;"+
				"AccountName=<account>;AccountKey=<key>;EndpointSuffix=core.windows.net.")
	}
}

// azureConnectionStringProblem says what is wrong with a connection string, or "" when
// nothing is. It parses as the Azure SDK does (pairs split at ";", then at the first "="),
// and looks for AccountName= and AccountKey= with the exact spelling, as LUML does.
func azureConnectionStringProblem(conn string) string {
	if strings.TrimSpace(conn) == "" {
		return "is empty"
	}
	if lower := strings.ToLower(conn); strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
		return "is a URL, such as a SAS URL; LUML signs its own URLs and needs the account key, which only a " +
			"connection string carries"
	}
	values := map[string]string{}
	for _, pair := range strings.Split(strings.TrimRight(conn, ";"), ";") {
		key, value, found := strings.Cut(pair, "=")
		if !found || key == "" {
			return "is not a list of key=value pairs separated by semicolons"
		}
		values[key] = value
	}
	for _, key := range []string{"AccountName", "AccountKey"} {
		if values[key] == "" {
			return "has no " + key + "=<value> pair (the name is case-sensitive); LUML signs URLs with the storage " +
				"account's name and key, so a shared access signature alone is not enough"
		}
	}
	return ""
}
