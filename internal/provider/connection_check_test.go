package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

func TestAddConnectionCheckError_hintsByType(t *testing.T) {
	refused := errors.New("PUT to storage.example answered 403 Forbidden")
	tests := []struct {
		bucketType   luml.BucketType
		step         string
		want, absent []string
	}{
		{luml.BucketTypeAzure, "upload", []string{"Could not upload a test file", "403 Forbidden", "Azure refused", "AccountKey", "BlobEndpoint"}, []string{"secure and cert_check", "region"}},
		{luml.BucketTypeAzure, "urls", []string{"AccountName and AccountKey"}, []string{"region"}},
		{luml.BucketTypeAzure, "range", []string{"206 Partial Content", "BlobEndpoint"}, nil},
		{luml.BucketTypeAzure, "delete", []string{"lease"}, []string{"credentials"}},
		{luml.BucketTypeS3, "upload", []string{"secure and cert_check"}, []string{"AccountKey", "Azure"}},
		{luml.BucketTypeS3, "urls", []string{"endpoint, region and the credentials"}, []string{"AccountKey"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.bucketType)+" "+tt.step, func(t *testing.T) {
			var diags diag.Diagnostics
			addConnectionCheckError(&diags, tt.bucketType, &luml.ConnectionCheckError{Step: tt.step, Err: refused})
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics", len(diags))
			}
			d, ok := diags[0].(diag.DiagnosticWithPath)
			if !ok || !d.Path().Equal(path.Root("verify_connection")) {
				t.Errorf("not attached to verify_connection: %v", diags[0])
			}
			detail := diags[0].Detail()
			for _, w := range append(tt.want, "Nothing was saved", "verify_connection = false") {
				if !strings.Contains(detail, w) {
					t.Errorf("the detail lacks %q: %s", w, detail)
				}
			}
			for _, w := range tt.absent {
				if strings.Contains(detail, w) {
					t.Errorf("the detail mentions %q: %s", w, detail)
				}
			}
		})
	}
}

// A storage error code points at the attribute to check, for verify_connection (the
// diagnostic's path, when the attribute is a plain setting) and for the check action (its
// words), for S3 and Azure alike.
func TestConnectionCheckHint_byStorageCode(t *testing.T) {
	tests := []struct {
		bucketType luml.BucketType
		status     int
		code       string
		path       string // the diagnostic's attribute
		want       string // the attribute the hint names
	}{
		{luml.BucketTypeS3, 400, "AuthorizationHeaderMalformed", "region", "set region"},
		{luml.BucketTypeS3, 400, "AuthorizationQueryParametersError", "region", "set region"},
		{luml.BucketTypeS3, 301, "PermanentRedirect", "region", "endpoint to that region's endpoint"},
		{luml.BucketTypeS3, 403, "SignatureDoesNotMatch", "verify_connection", "secret_key (or secret_key_wo)"},
		{luml.BucketTypeS3, 403, "InvalidAccessKeyId", "verify_connection", "access_key (or access_key_wo)"},
		{luml.BucketTypeS3, 403, "AccessDenied", "verify_connection", "s3:PutObject"},
		{luml.BucketTypeS3, 404, "NoSuchBucket", "bucket_name", "check bucket_name"},
		{luml.BucketTypeAzure, 403, "AuthenticationFailed", "verify_connection", "AccountKey"},
		{luml.BucketTypeAzure, 404, "ContainerNotFound", "bucket_name", "no container named bucket_name"},
		{luml.BucketTypeAzure, 403, "AuthorizationSourceIPMismatch", "verify_connection", "firewall"},
		// An unknown code: the step's hint, which for S3 names region among the causes.
		{luml.BucketTypeS3, 400, "SomethingNew", "verify_connection", "exists in region"},
		{luml.BucketTypeAzure, 409, "SomethingNew", "verify_connection", "BlobEndpoint"},
	}
	for _, tt := range tests {
		t.Run(string(tt.bucketType)+" "+tt.code, func(t *testing.T) {
			err := &luml.ConnectionCheckError{Step: "upload", Err: &luml.StorageError{
				Method: "PUT", Host: "storage.example", StatusCode: tt.status, Code: tt.code, Message: "The storage's words.",
			}}
			var diags diag.Diagnostics
			addConnectionCheckError(&diags, tt.bucketType, err)
			d, ok := diags[0].(diag.DiagnosticWithPath)
			if len(diags) != 1 || !ok || !d.Path().Equal(path.Root(tt.path)) {
				t.Fatalf("want one diagnostic at %s, got %v", tt.path, diags)
			}
			detail := d.Detail()
			for _, w := range []string{tt.code + ": The storage's words. ", tt.want, "Nothing was saved"} {
				if !strings.Contains(detail, w) {
					t.Errorf("the detail lacks %q: %s", w, detail)
				}
			}

			secret := &luml.BucketSecret{ID: "0199", Type: tt.bucketType, BucketName: "models", Endpoint: "storage.example"}
			diags = nil
			addCheckActionError(&diags, secret, err)
			detail = diags[0].Detail()
			for _, w := range []string{`failed at step "upload"`, tt.code, tt.want, "apply the secret again"} {
				if !strings.Contains(detail, w) {
					t.Errorf("the action's detail lacks %q: %s", w, detail)
				}
			}
			if strings.Contains(detail, "..") {
				t.Errorf("the action's detail has a doubled full stop: %s", detail)
			}
		})
	}
}

// A storage host that does not answer points at where the secret says it is.
func TestConnectionCheckHint_unreachable(t *testing.T) {
	for bucketType, want := range map[luml.BucketType]struct{ path, words string }{
		luml.BucketTypeS3:    {"endpoint", "could not reach the endpoint"},
		luml.BucketTypeAzure: {"verify_connection", "AccountName, and BlobEndpoint or EndpointSuffix"},
	} {
		err := &luml.ConnectionCheckError{Step: "upload", Err: &luml.StorageError{
			Method: "PUT", Host: "storage.example", Unreachable: "could not connect to the server (connection refused)",
		}}
		var diags diag.Diagnostics
		addConnectionCheckError(&diags, bucketType, err)
		d, ok := diags[0].(diag.DiagnosticWithPath)
		if !ok || !d.Path().Equal(path.Root(want.path)) {
			t.Errorf("%s: not attached to %s: %v", bucketType, want.path, diags)
			continue
		}
		for _, w := range []string{"PUT to storage.example failed: could not connect to the server (connection refused).", want.words} {
			if !strings.Contains(d.Detail(), w) {
				t.Errorf("%s: the detail lacks %q: %s", bucketType, w, d.Detail())
			}
		}
	}
}
