package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The errors of luml_multipart_upload_urls, found before or by the multipart request.

// TestMultipartUploadIDRequiredForS3 checks that an S3 secret without upload_id is refused
// before the multipart request, and that a bare 500 from that request reads the same way.
func TestMultipartUploadIDRequiredForS3(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t)
	secret := insertMultipartSecret(t, env, "s3")
	pd := &providerData{client: newMultipartTestClient(t, env.URL, env.APIKey), organization: luml.Organization{ID: env.Org.ID}}

	var diags diag.Diagnostics
	fetchMultipartUploadURLs(ctx, pd, multipartConfiguredModel(strings.ToUpper(secret.ID), 70*multipartMiB, nil), &diags)
	checkMultipartMissingUploadIDError(t, diags)
	if n := env.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n != 0 {
		t.Errorf("%d multipart requests sent, want none", n)
	}
}

// TestMultipartBare500ByType checks that the API's bare 500 is explained by the secret's type:
// for an Azure secret it is not a missing upload_id, whether one is set or not.
func TestMultipartBare500ByType(t *testing.T) {
	const secretID = multipartUnknownSecretID
	secretType := "azure"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":%q,"type":%q,"endpoint":"","bucket_name":"models","orbits":[],`+
				`"organization_id":"org","created_at":"2026-01-01T00:00:00Z"}`, secretID, secretType)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "Internal Server Error")
	}))
	t.Cleanup(api.Close)
	pd := &providerData{client: newMultipartTestClient(t, api.URL, "dfs_test"), organization: luml.Organization{ID: "org"}}

	for _, uploadID := range []*string{nil, ptr("upload-1")} {
		var diags diag.Diagnostics
		fetchMultipartUploadURLs(context.Background(), pd, multipartConfiguredModel(secretID, 70*multipartMiB, uploadID), &diags)
		checkMultipartAzureSigningError(t, diags, secretID)
	}

	// An S3 secret with an upload_id: the 500 has another cause, and is reported as it is.
	secretType = "s3"
	var diags diag.Diagnostics
	fetchMultipartUploadURLs(context.Background(), pd, multipartConfiguredModel(secretID, 70*multipartMiB, ptr("upload-1")), &diags)
	errs := diags.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Detail(), "500") || strings.Contains(errs[0].Detail(), "create-multipart-upload") {
		t.Errorf("diagnostics %v; want the API's 500 error", diags)
	}
}

// TestMultipartAzureWithoutAccountKey asks the emulator for the URLs of an Azure secret whose
// connection string has no AccountKey=, which the server answers with a bare 500.
func TestMultipartAzureWithoutAccountKey(t *testing.T) {
	env := newTestEnv(t)
	secret := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type:       "azure",
		Endpoint:   "DefaultEndpointsProtocol=https;AccountName=lumltest;EndpointSuffix=core.windows.net",
		BucketName: "models",
	})
	pd := &providerData{client: newMultipartTestClient(t, env.URL, env.APIKey), organization: luml.Organization{ID: env.Org.ID}}

	var diags diag.Diagnostics
	fetchMultipartUploadURLs(context.Background(), pd, multipartConfiguredModel(secret.ID, 70*multipartMiB, nil), &diags)
	checkMultipartAzureSigningError(t, diags, secret.ID)
	if n := env.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n == 0 {
		t.Error("the multipart endpoint was never asked")
	}
}

func checkMultipartAzureSigningError(t *testing.T, diags diag.Diagnostics, secretID string) {
	t.Helper()
	errs := diags.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Summary(), "Azure") {
		t.Fatalf("diagnostics %v; want one Azure signing error", diags)
	}
	for _, want := range []string{secretID, "AccountKey=", "connection_string"} {
		if !strings.Contains(errs[0].Detail(), want) {
			t.Errorf("the detail does not mention %s: %s", want, errs[0].Detail())
		}
	}
	if strings.Contains(errs[0].Detail(), "upload_id") {
		t.Errorf("the detail blames upload_id: %s", errs[0].Detail())
	}
	if d, ok := errs[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("bucket_secret_id")) {
		t.Errorf("the error is not attached to bucket_secret_id: %v", errs[0])
	}
}

func checkMultipartMissingUploadIDError(t *testing.T, diags diag.Diagnostics) {
	t.Helper()
	if len(diags) != 1 {
		t.Fatalf("diagnostics %v; want one error", diags)
	}
	d, ok := diags[0].(diag.DiagnosticWithPath)
	if !ok || !d.Path().Equal(path.Root("upload_id")) {
		t.Errorf("the error is not attached to upload_id: %v", diags[0])
	}
	for _, want := range []string{"create-multipart-upload", "CreateMultipartUpload", "upload_id", "UploadId"} {
		if !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("the detail does not mention %s: %s", want, diags[0].Detail())
		}
	}
	if strings.HasPrefix(diags[0].Detail(), "Internal Server Error") {
		t.Errorf("the detail is the server's bare 500: %s", diags[0].Detail())
	}
}

func TestMultipartUnknownSecret(t *testing.T) {
	env := newTestEnv(t)
	pd := &providerData{client: newMultipartTestClient(t, env.URL, env.APIKey), organization: luml.Organization{ID: env.Org.ID}}
	const missing = multipartUnknownSecretID

	var diags diag.Diagnostics
	fetchMultipartUploadURLs(context.Background(), pd, multipartConfiguredModel(missing, 70*multipartMiB, ptr("upload-1")), &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), missing) {
		t.Fatalf("diagnostics %v; want one error naming %s", diags, missing)
	}
	if d, ok := diags[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("bucket_secret_id")) {
		t.Errorf("the error is not attached to bucket_secret_id: %v", diags[0])
	}
	if n := env.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n != 0 {
		t.Errorf("%d multipart requests sent, want none", n)
	}
}

// TestMultipartForbiddenSecret reads a secret of an organization where the key's user is a
// plain member, who may not read bucket secrets.
func TestMultipartForbiddenSecret(t *testing.T) {
	env := newTestEnv(t)
	other := env.joinOrganization("Other", lumlfake.RoleMember)
	secret := insertMultipartSecretIn(env, other.ID, "s3")
	pd := &providerData{client: newMultipartTestClient(t, env.URL, env.APIKey), organization: luml.Organization{ID: other.ID}}

	var diags diag.Diagnostics
	fetchMultipartUploadURLs(context.Background(), pd, multipartConfiguredModel(secret.ID, 70*multipartMiB, ptr("upload-1")), &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), secret.ID) || !strings.Contains(diags[0].Detail(), "403") {
		t.Fatalf("diagnostics %v; want one permission error naming %s", diags, secret.ID)
	}
	if n := env.Fake.CountRequests(http.MethodPost, multipartEndpointPath); n != 0 {
		t.Errorf("%d multipart requests sent, want none", n)
	}
}

// TestMultipartSecretOfAnotherOrganization reads a secret of an organization other than the
// provider's: found with organization_id, not found (with a hint) without.
func TestMultipartSecretOfAnotherOrganization(t *testing.T) {
	env := newTestEnv(t)
	other := env.joinOrganization("Other", lumlfake.RoleAdmin)
	secret := insertMultipartSecretIn(env, other.ID, "s3")
	pd := &providerData{client: newMultipartTestClient(t, env.URL, env.APIKey), organization: luml.Organization{ID: env.Org.ID}}

	config := multipartConfiguredModel(secret.ID, 70*multipartMiB, ptr("upload-1"))
	var diags diag.Diagnostics
	fetchMultipartUploadURLs(context.Background(), pd, config, &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "set organization_id") {
		t.Fatalf("diagnostics %v; want one error suggesting organization_id", diags)
	}

	config.OrganizationID = types.StringValue(strings.ToUpper(other.ID))
	diags = nil
	value := fetchMultipartUploadURLs(context.Background(), pd, config, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	m, parts := decodeMultipartResult(t, value)
	if m.OrganizationID != config.OrganizationID || len(parts) != 3 {
		t.Errorf("organization_id %s, %d parts; want %s as configured, 3 parts", m.OrganizationID, len(parts), config.OrganizationID)
	}
	if n := env.Fake.CountRequests(http.MethodGet, "/v1/organizations/"+other.ID+"/bucket-secrets/"+secret.ID); n != 1 {
		t.Errorf("%d reads of the secret in its organization, want 1", n)
	}
}
