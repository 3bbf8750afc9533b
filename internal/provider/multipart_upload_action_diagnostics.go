package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// The errors of action "luml_multipart_upload". Each names the step, the part and the
// storage's status where there is one, and what to do; none quotes a URL.

// uploadFailure is what an error message needs to know of the upload.
type uploadFailure struct {
	orgID    string
	secret   *luml.BucketSecret
	source   string
	location string
	uploadID string
	// interrupted: the caller gave up (Ctrl-C, a timeout), which explains the failure.
	interrupted bool
}

func addUploadFileError(diags *diag.Diagnostics, err error) {
	diags.AddAttributeError(path.Root("source"), "Unable to read the file to upload",
		fmt.Sprintf("%s. Set source to the path of an existing regular file of 1 byte to 5 TiB; a relative path "+
			"is relative to the directory Terraform runs in (use path.module for a file beside the configuration).",
			upperFirst(err.Error())))
}

func addUploadError(diags *diag.Diagnostics, f uploadFailure, err error) {
	var up *luml.UploadError
	if !errors.As(err, &up) {
		diags.AddError("Upload failed", fmt.Sprintf("Uploading %s failed: %s", f.source, err))
		return
	}
	if f.interrupted {
		diags.AddError("Upload interrupted", fmt.Sprintf("The upload of %s to %s stopped after %d of %d parts were "+
			"uploaded. %s", f.source, f.location, up.PartsDone, up.PartsTotal, leftBehind(f)))
		return
	}
	switch up.Step {
	case luml.UploadStepFile:
		if errors.Is(err, luml.ErrFileChanged) {
			diags.AddAttributeError(path.Root("source"), "File changed during the upload",
				fmt.Sprintf("%s: %s. Nothing was completed. %s", f.source, upperFirst(up.Err.Error()), leftBehind(f)))
			return
		}
		addUploadFileError(diags, up.Err)
	case luml.UploadStepURLs:
		var apiErr *luml.Error
		if errors.As(err, &apiErr) {
			addMultipartRequestError(diags, f.orgID, f.secret, apiErr)
			return
		}
		diags.AddError("Unexpected multipart upload URLs", fmt.Sprintf("%s. This is a bug in the LUML API or the "+
			"provider; please report it.", upperFirst(up.Err.Error())))
	case luml.UploadStepPart:
		summary := fmt.Sprintf("Upload of part %d failed", up.PartNumber)
		if errors.Is(err, luml.ErrFileChanged) {
			diags.AddAttributeError(path.Root("source"), "File changed during the upload",
				fmt.Sprintf("%s, part %d of %d: %s. %s", f.source, up.PartNumber, up.PartsTotal, upperFirst(up.Err.Error()),
					leftBehind(f)))
			return
		}
		diags.AddError(summary, fmt.Sprintf("Part %d of %d of %s, step \"part\" (PUT to the bucket): %s. %s",
			up.PartNumber, up.PartsTotal, f.source, upperFirst(up.Err.Error()), hintAndLeftBehind(f, up.StatusCode)))
	default:
		diags.AddError("Completing the upload failed", fmt.Sprintf("Every part of %s (%d) was uploaded, but step "+
			"\"complete\" failed: %s. %s", f.source, up.PartsTotal, upperFirst(up.Err.Error()),
			hintAndLeftBehind(f, up.StatusCode)))
	}
}

// hintAndLeftBehind explains a refusal of the storage, then what the upload left behind,
// unless S3 said there is no such upload.
func hintAndLeftBehind(f uploadFailure, status int) string {
	hint := storageHint(f.secret.Type, status)
	if status == http.StatusNotFound && f.secret.Type == luml.BucketTypeS3 {
		return hint
	}
	return strings.TrimSpace(hint + " " + leftBehind(f))
}

// storageHint says what a refusal of the storage usually means.
func storageHint(bucketType luml.BucketType, status int) string {
	switch {
	case status == http.StatusNotFound && bucketType == luml.BucketTypeS3:
		return "S3 answers 404 (NoSuchUpload) when upload_id is not a multipart upload in progress for this " +
			"bucket_location: start one (CreateMultipartUpload) for this key and set upload_id to its UploadId."
	case status == http.StatusForbidden:
		return "A 403 means the storage refused the signature LUML made with the credentials it stores: check " +
			"them with action luml_bucket_secret_check, and that the URLs were not held past their 12 hours."
	case status == http.StatusBadRequest:
		return "A 400 usually means the storage refused the parts or their order; check that nothing else uploads " +
			"to this upload at the same time."
	case status == 0 && bucketType == luml.BucketTypeS3:
		return "The connection failed, and the provider's retries ran out (max_retries in the provider block). " +
			"Check upload_id too: some S3 servers reset the connection of a part sent to an upload that is not in " +
			"progress, rather than answer 404 (NoSuchUpload). Otherwise invoke the action again when the storage is back."
	case status == 0 || status == http.StatusTooManyRequests || status >= 500:
		return "The storage or the network failed, and the provider's retries ran out (max_retries in the " +
			"provider block); invoke the action again when the storage is back."
	}
	return ""
}

// leftBehind says what a failed upload leaves in the bucket and how to clean it up.
func leftBehind(f uploadFailure) string {
	if f.secret.Type == luml.BucketTypeAzure {
		return "The uploaded blocks stay uncommitted (Azure discards them after a week) and the blob is unchanged; " +
			"invoking the action again uploads every part again."
	}
	return fmt.Sprintf("The S3 multipart upload %s stays incomplete, its parts taking space in bucket %s, until its "+
		"owner aborts it (for example `aws s3api abort-multipart-upload --bucket %s --key %s --upload-id %s`) or "+
		"completes it; invoking the action again with the same upload_id uploads every part again.",
		f.uploadID, f.secret.BucketName, f.secret.BucketName, f.location, f.uploadID)
}
