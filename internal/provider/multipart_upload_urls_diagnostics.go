package provider

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// The errors of luml_multipart_upload_urls, shared by the ephemeral resource and the data
// source.

// addMultipartRequestError explains a failed multipart request. The server answers a bare 500
// for several causes; the secret's type tells them apart. (An S3 secret without upload_id, one
// of them, is refused before the request.)
func addMultipartRequestError(diags *diag.Diagnostics, orgID string, secret *luml.BucketSecret, err error) {
	switch {
	case isBareInternalServerError(err) && secret.Type == luml.BucketTypeAzure:
		addAzureSigningError(diags, secret)
	case luml.IsNotFound(err) || luml.IsForbidden(err):
		addMultipartSecretError(diags, orgID, secret.ID, err)
	default:
		diags.AddError("Unable to get multipart upload URLs",
			fmt.Sprintf("Asking the LUML API for the multipart upload URLs of bucket secret %s failed: %s. "+
				"Check the bucket secret's endpoint, region and credentials (an access key needs its secret "+
				"key), then retry.", secret.ID, err))
	}
}

// isBareInternalServerError is the API's answer to an uncaught exception: 500 with the
// text/plain body "Internal Server Error".
func isBareInternalServerError(err error) bool {
	var apiErr *luml.Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusInternalServerError &&
		apiErr.Detail == http.StatusText(http.StatusInternalServerError)
}

func addMultipartSecretError(diags *diag.Diagnostics, orgID, secretID string, err error) {
	secretIDPath := path.Root("bucket_secret_id")
	switch {
	case luml.IsNotFound(err):
		diags.AddAttributeError(secretIDPath, "Bucket secret not found",
			fmt.Sprintf("There is no bucket secret with ID %s in organization %s. Check bucket_secret_id: use "+
				"the id of a luml_bucket_secret, or list them with the luml_bucket_secrets data source. For a "+
				"secret of another organization, set organization_id.", secretID, orgID))
	case luml.IsForbidden(err):
		diags.AddAttributeError(secretIDPath, "Not allowed to use the bucket secret",
			fmt.Sprintf("The LUML API refused access to bucket secret %s in organization %s (%s). Only owners "+
				"and admins of the secret's organization may ask for its upload URLs: use an API key of such a "+
				"user.", secretID, orgID, err))
	default:
		diags.AddAttributeError(secretIDPath, "Unable to read the bucket secret",
			fmt.Sprintf("Reading bucket secret %s in organization %s failed: %s. Check the provider's base_url "+
				"and the network, then retry.", secretID, orgID, err))
	}
}

func addMissingUploadIDError(diags *diag.Diagnostics, secret *luml.BucketSecret, location string) {
	diags.AddAttributeError(path.Root("upload_id"), "Missing upload_id for an S3 bucket",
		fmt.Sprintf("Bucket secret %s is an S3 bucket, and S3 signs part URLs for one multipart upload. Start "+
			"the upload on the bucket first and set upload_id to the UploadId it returns, for example with "+
			"`aws s3api create-multipart-upload --bucket %s --key %s` (add --endpoint-url for S3-compatible "+
			"storage) or CreateMultipartUpload in any S3 SDK. Without it the LUML API fails with a bare "+
			"500 Internal Server Error.", secret.ID, secret.BucketName, location))
}

// addAzureSigningError explains the bare 500 of an Azure secret: LUML signs block URLs with
// the account key of the stored connection string, and fails uncaught when there is none.
func addAzureSigningError(diags *diag.Diagnostics, secret *luml.BucketSecret) {
	diags.AddAttributeError(path.Root("bucket_secret_id"), "LUML cannot sign URLs for the Azure container",
		fmt.Sprintf("The LUML API failed with a bare 500 Internal Server Error while signing the block URLs of "+
			"bucket secret %s (Azure container %s). LUML signs them with the storage account key, and fails "+
			"so when the secret's connection string has no AccountKey= (a SAS or Azure AD connection string, "+
			"for example). Set connection_string (or connection_string_wo) of the bucket secret to a connection "+
			"string with AccountName= and AccountKey=, apply, then retry.", secret.ID, secret.BucketName))
}
