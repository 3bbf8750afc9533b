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
