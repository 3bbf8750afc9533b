package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// ValidateConfig checks what depends on the type. Unknown values (from other resources or
// ephemeral ones) pass: they are checked again when known.
func (r *bucketSecretResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// The checks only ask which attributes are set, so they read the raw object: converting it
	// into the model would cost more than the checks, for every secret in every command.
	var config map[string]tftypes.Value
	if !req.Config.Raw.IsKnown() || req.Config.Raw.IsNull() {
		return
	}
	if err := req.Config.Raw.As(&config); err != nil {
		resp.Diagnostics.AddError("Unable to read the configuration",
			err.Error()+". This is always a bug in the provider; please report it.")
		return
	}
	if !config["type"].IsKnown() {
		return
	}
	set := func(name string) bool { return !config[name].IsNull() }
	missing := func(name string) bool { return config[name].IsNull() }
	var bucketType string // "" when unset: the default, s3
	if err := config["type"].As(&bucketType); err != nil {
		resp.Diagnostics.AddError("Unable to read the configuration",
			err.Error()+". This is always a bug in the provider; please report it.")
		return
	}

	if bucketType == string(luml.BucketTypeAzure) {
		for _, name := range []string{
			"endpoint", "region", "access_key", "secret_key", "session_token", "access_key_wo", "secret_key_wo",
			"session_token_wo", "secure", "cert_check",
		} {
			if set(name) {
				resp.Diagnostics.AddAttributeError(path.Root(name), "Attribute not allowed for Azure",
					fmt.Sprintf("%s is for S3 buckets only. An Azure bucket secret takes connection_string (or "+
						"connection_string_wo) and bucket_name, the container; remove %s.", name, name))
			}
		}
		if missing("connection_string") && missing("connection_string_wo") {
			resp.Diagnostics.AddAttributeError(path.Root("connection_string"), "Missing Azure connection string",
				"An Azure bucket secret needs connection_string or connection_string_wo: the storage account's "+
					"connection string, from the Azure portal (Storage account, Access keys).")
		}
		return
	}

	for _, name := range []string{"connection_string", "connection_string_wo"} {
		if set(name) {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Attribute not allowed for S3",
				fmt.Sprintf("%s is for Azure only. Set type = \"azure\", or remove %s and use endpoint, region "+
					"and the access keys.", name, name))
		}
	}
	if missing("endpoint") {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Missing endpoint",
			"An S3 bucket secret needs endpoint: the S3 service's host name, such as s3.eu-central-1.amazonaws.com "+
				"or minio.example.com:9000.")
	}
	if missing("region") {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Missing region",
			"An S3 bucket secret needs region, such as eu-central-1 (MinIO and most other services accept "+
				"us-east-1). The LUML API refuses an S3 secret without one.")
	}
	accessKey := set("access_key") || set("access_key_wo")
	secretKey := set("secret_key") || set("secret_key_wo")
	switch {
	case accessKey && !secretKey:
		resp.Diagnostics.AddAttributeError(path.Root("secret_key"), "Missing secret key",
			"access_key is set but secret_key (or secret_key_wo) is not: LUML cannot sign requests with an "+
				"access key alone. Set both, or neither for a public bucket.")
	case secretKey && !accessKey:
		resp.Diagnostics.AddAttributeError(path.Root("access_key"), "Missing access key",
			"secret_key is set but access_key (or access_key_wo) is not. Set both, or neither for a public bucket.")
	}
	if !accessKey && (set("session_token") || set("session_token_wo")) {
		resp.Diagnostics.AddAttributeError(path.Root("session_token"), "Session token without access key",
			"A session token belongs to temporary credentials: set access_key and secret_key with it.")
	}
}
