package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// connectionCheckHints say what to look at after a failed step of the connection check, by
// storage type: the settings that matter differ between S3 and Azure.
var connectionCheckHints = map[luml.BucketType]map[string]string{
	luml.BucketTypeS3: {
		"urls":   "LUML could not sign URLs for this configuration: check endpoint, region and the credentials.",
		"upload": "Check that the credentials may write to the bucket, that the bucket exists, and that secure and cert_check match the endpoint.",
		"range":  "The bucket must answer ranged GET requests with 206 Partial Content, which LUML needs to read models.",
		"delete": "Check that the credentials may delete objects in the bucket.",
	},
	luml.BucketTypeAzure: {
		"urls": "LUML could not sign URLs with this connection string: it must hold AccountName and AccountKey, " +
			"e.g. DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net.",
		"upload": "Azure refused the signed upload: check that the connection string's AccountKey is a current access key " +
			"of the storage account's (a 403 means the signature did not match), that the container bucket_name exists " +
			"(404), and that BlobEndpoint or EndpointSuffix point at the account.",
		"range": "The storage account must answer ranged GET requests with 206 Partial Content, which LUML needs to read " +
			"models; check BlobEndpoint if it points at a proxy.",
		"delete": "Check that no lease, legal hold or immutability policy on the container protects the test blob test_file.",
	},
}

// addConnectionCheckError reports a failed verify_connection check of a secret of the given
// storage type, with what to check for the step that failed.
func addConnectionCheckError(diags *diag.Diagnostics, bucketType luml.BucketType, err error) {
	var check *luml.ConnectionCheckError
	if !errors.As(err, &check) {
		diags.AddError("Bucket connection check failed", err.Error())
		return
	}
	hints, ok := connectionCheckHints[bucketType]
	if !ok {
		hints = connectionCheckHints[luml.BucketTypeS3]
	}
	diags.AddAttributeError(path.Root("verify_connection"), "Bucket connection check failed",
		upperFirst(err.Error())+". "+hints[check.Step]+" Nothing was saved. Set verify_connection = false to skip the check.")
}
