package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

func addConnectionCheckError(diags *diag.Diagnostics, err error) {
	var check *luml.ConnectionCheckError
	if !errors.As(err, &check) {
		diags.AddError("Bucket connection check failed", err.Error())
		return
	}
	hint := map[string]string{
		"urls":   "LUML could not sign URLs for this configuration: check endpoint, region and the credentials.",
		"upload": "Check that the credentials may write to the bucket, that the bucket exists, and that secure and cert_check match the endpoint.",
		"range":  "The bucket must answer ranged GET requests with 206 Partial Content, which LUML needs to read models.",
		"delete": "Check that the credentials may delete objects in the bucket.",
	}[check.Step]
	diags.AddAttributeError(path.Root("verify_connection"), "Bucket connection check failed",
		upperFirst(err.Error())+". "+hint+" Nothing was saved. Set verify_connection = false to skip the check.")
}
