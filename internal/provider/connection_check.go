package provider

import (
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// connectionCheckHints say what to look at after a failed step of the connection check, by
// storage type: the settings that matter differ between S3 and Azure. They apply when the
// storage's error code is not one of storageCodeHints'.
var connectionCheckHints = map[luml.BucketType]map[string]string{
	luml.BucketTypeS3: {
		"urls": "LUML could not sign URLs for this configuration: check endpoint, region and the credentials.",
		"upload": "Check that the credentials may write to the bucket, that the bucket exists in region, and that " +
			"secure and cert_check match the endpoint.",
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

// storageCodeHint is what a storage error code says about the configuration: the attribute
// to check and how.
type storageCodeHint struct {
	attribute string
	text      string
}

const (
	regionHint = "The bucket is in another region than region says: set region to the bucket's region " +
		"(the storage's message names it)."
	bucketNameHint = "No bucket of that name exists at endpoint: check bucket_name, and that endpoint and region " +
		"are those of the bucket."
	unknownAccessKeyHint = "The storage knows no such access key: check access_key (or access_key_wo), and that " +
		"endpoint is the storage the key belongs to."
	azureAccountHint = "The storage account refused the request: check that the connection string's AccountKey is " +
		"a current access key of the account, and that its firewall and network rules let this client in."
)

// storageCodeHints map the error codes S3 and Azure Blob storage answer most often to the
// attribute that causes them.
var storageCodeHints = map[luml.BucketType]map[string]storageCodeHint{
	luml.BucketTypeS3: {
		"AuthorizationHeaderMalformed":       {"region", regionHint},
		"AuthorizationQueryParametersError":  {"region", regionHint},
		"IllegalLocationConstraintException": {"region", regionHint},
		"InvalidRegion":                      {"region", regionHint},
		"PermanentRedirect": {"region", "The bucket is in another region than the endpoint serves: set region to the " +
			"bucket's region and endpoint to that region's endpoint, e.g. s3.eu-central-1.amazonaws.com."},
		"SignatureDoesNotMatch": {"secret_key", "The storage computed another signature: secret_key (or secret_key_wo) " +
			"is not the secret key of access_key."},
		"InvalidAccessKeyId": {"access_key", unknownAccessKeyHint},
		// versitygw's name for an unknown access key.
		"XAdminUserNotFound": {"access_key", unknownAccessKeyHint},
		"AccessDenied": {"access_key", "The keys are valid but may not do this: grant them s3:PutObject, s3:GetObject " +
			"and s3:DeleteObject on the bucket bucket_name, or use other keys."},
		"NoSuchBucket":      {"bucket_name", bucketNameHint},
		"InvalidBucketName": {"bucket_name", "bucket_name is not a valid bucket name for this storage."},
	},
	luml.BucketTypeAzure: {
		"AuthenticationFailed": {"connection_string", "Azure did not accept the signature: the connection string's " +
			"AccountKey is not a current access key of the storage account AccountName (Access keys, in the account's settings)."},
		"ContainerNotFound": {"bucket_name", "The storage account has no container named bucket_name: create it, or correct bucket_name."},
		"InvalidResourceName": {"bucket_name", "bucket_name is not a valid container name: 3 to 63 lowercase letters, " +
			"digits and hyphens."},
		"ResourceNotFound": {"connection_string", "Check that the connection string's AccountName, and BlobEndpoint when " +
			"set, name the storage account that holds the container."},
		"AuthorizationFailure":            {"connection_string", azureAccountHint},
		"AuthorizationPermissionMismatch": {"connection_string", azureAccountHint},
		"AuthorizationSourceIPMismatch":   {"connection_string", azureAccountHint},
		"AuthorizationProtocolMismatch": {"connection_string", "The storage account accepts only HTTPS: set " +
			"DefaultEndpointsProtocol=https in the connection string."},
		"AccountIsDisabled": {"connection_string", "The storage account is disabled: enable it, or use another account."},
	},
}

// unreachableHints say what to check when the storage host did not answer at all.
var unreachableHints = map[luml.BucketType]storageCodeHint{
	luml.BucketTypeS3: {"endpoint", "This machine could not reach the endpoint: check endpoint, and that secure " +
		"(HTTPS or plain HTTP) and cert_check match the server."},
	luml.BucketTypeAzure: {"connection_string", "This machine could not reach the storage account: check the " +
		"connection string's AccountName, and BlobEndpoint or EndpointSuffix when set."},
}

// connectionCheckHint says what to check after a failed step: the attribute the storage's
// error code points at, when it is a known one, and else the step's general hint.
func connectionCheckHint(bucketType luml.BucketType, step string, err error) storageCodeHint {
	var storageErr *luml.StorageError
	if errors.As(err, &storageErr) {
		if h, ok := storageCodeHints[bucketType][storageErr.Code]; ok {
			return h
		}
		if storageErr.StatusCode == 0 {
			return unreachableHints[bucketType]
		}
	}
	hints, ok := connectionCheckHints[bucketType]
	if !ok {
		hints = connectionCheckHints[luml.BucketTypeS3]
	}
	return storageCodeHint{text: hints[step]}
}

// sentence ends s with a full stop unless it ends with one already.
func sentence(s string) string {
	s = upperFirst(strings.TrimSpace(s))
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// addConnectionCheckError reports a failed verify_connection check of a secret of the given
// storage type, with what to check. It is attached to the attribute the storage's error
// points at when that is a plain setting, and else to verify_connection: credentials may be
// configured through their write-only twins.
func addConnectionCheckError(diags *diag.Diagnostics, bucketType luml.BucketType, err error) {
	var check *luml.ConnectionCheckError
	if !errors.As(err, &check) {
		diags.AddError("Bucket connection check failed", err.Error())
		return
	}
	hint := connectionCheckHint(bucketType, check.Step, err)
	at := path.Root("verify_connection")
	switch hint.attribute {
	case "region", "bucket_name", "endpoint":
		at = path.Root(hint.attribute)
	}
	diags.AddAttributeError(at, "Bucket connection check failed",
		sentence(err.Error())+" "+hint.text+" Nothing was saved. Set verify_connection = false to skip the check.")
}
