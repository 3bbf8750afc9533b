package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const azureE2EContainer = "luml-e2e"

// TestAccAzureMultipartUpload_endToEnd uploads a file of several blocks through the Azure
// multipart URLs of the ephemeral resource and of the data source to Azurite, which verifies
// every SAS signature: each block PUT, the block list committed through complete_url, and the
// blob's bytes compared with the file's.
func TestAccAzureMultipartUpload_endToEnd(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	az := startAzurite(t, azureE2EContainer)
	env := newTestEnv(t)
	secret := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "azure", Endpoint: az.connectionString(), BucketName: azureE2EContainer,
	})

	t.Run("tampered SAS refused", func(t *testing.T) {
		checkTamperedSASRefused(t, az, env, secret.ID)
	})

	dir := t.TempDir()
	file, content := writeE2EFile(t, dir)
	tool := buildUploadTool(t, dir)
	uploads := []struct {
		name, blob, kind string
		versions         []tfversion.TerraformVersionCheck
	}{
		{"ephemeral", "models/ephemeral.luml", "ephemeral", multipartEphemeralVersions},
		{"data source", "models/data-source.luml", "data", nil},
	}
	for _, u := range uploads {
		t.Run(u.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   u.versions,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.providerConfig() + fmt.Sprintf(`
%[1]s "luml_multipart_upload_urls" "file" {
  bucket_secret_id = %[2]q
  bucket_location  = %[3]q
  size             = %[4]d
}

resource "terraform_data" "upload" {
  provisioner "local-exec" {
    command = "'%[5]s' '%[6]s'"
    environment = {
      MULTIPART_UPLOAD = jsonencode(%[1]s.luml_multipart_upload_urls.file)
    }
  }
}
`, u.kind, secret.ID, u.blob, len(content), tool, file),
				}},
			})
			checkAzureBlob(t, az, u.blob, content)
		})
	}
}

// checkAzureBlob compares the blob with the file's content and checks that it was committed
// from one block per part, in order, with the IDs the server assigned.
func checkAzureBlob(t *testing.T, az *azurite, name string, content []byte) {
	t.Helper()
	got, ok := az.blob(t, azureE2EContainer, name)
	if !ok {
		t.Fatalf("blob %s was not created", name)
	}
	if !bytes.Equal(got, content) {
		t.Fatalf("blob %s (%d bytes, sha256 %s) differs from the file (%d bytes, sha256 %s) from byte %d on",
			name, len(got), sha256Hex(got), len(content), sha256Hex(content), firstDifference(got, content))
	}
	ids, sizes := az.committedBlocks(t, azureE2EContainer, name)
	const partSize = 32 << 20
	var wantIDs []string
	var wantSizes []int64
	for start, n := 0, 1; start < len(content); start, n = start+partSize, n+1 {
		wantIDs = append(wantIDs, base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "block-%08d", n)))
		wantSizes = append(wantSizes, int64(min(partSize, len(content)-start)))
	}
	if fmt.Sprint(ids, sizes) != fmt.Sprint(wantIDs, wantSizes) {
		t.Errorf("blob %s: committed blocks %v of sizes %v, want %v of sizes %v", name, ids, sizes, wantIDs, wantSizes)
	}
	t.Logf("blob %s: %d bytes in %d blocks, sha256 %s, equal to the file's (sha256 %s)",
		name, len(got), len(ids), sha256Hex(got), sha256Hex(content))
}

// checkTamperedSASRefused asks for the URLs of a small upload and checks that Azurite takes a
// block at its URL, refuses it (403) once the SAS is altered, and commits the genuine block.
func checkTamperedSASRefused(t *testing.T, az *azurite, env *testEnv, secretID string) {
	ctx := context.Background()
	upload, err := newMultipartTestClient(t, env.URL, env.APIKey).MultipartUploadURLs(ctx, luml.MultipartRequest{
		BucketSecretID: secretID, BucketLocation: "tampered", Size: 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	if upload.Type != luml.BucketTypeAzure || len(upload.Parts) != 1 {
		t.Fatalf("an Azure upload of one part expected, got type %s with %d parts", upload.Type, len(upload.Parts))
	}
	partURL := upload.Parts[0].URL
	sig := regexp.MustCompile(`sig=([^&]+)`).FindStringSubmatch(partURL)
	if sig == nil || !strings.Contains(partURL, "sp=cw&") {
		t.Fatal("the part URL has no SAS signature or not the permissions cw")
	}
	changed := "A"
	if strings.HasPrefix(sig[1], "A") {
		changed = "B"
	}
	for _, c := range []struct {
		name, url  string
		wantStatus int
	}{
		{"altered signature", strings.Replace(partURL, "sig="+sig[1], "sig="+changed+sig[1][1:], 1), http.StatusForbidden},
		{"altered permissions", strings.Replace(partURL, "sp=cw&", "sp=rcw&", 1), http.StatusForbidden},
		{"other blob", strings.Replace(partURL, "/tampered?", "/other?", 1), http.StatusForbidden},
		{"genuine", partURL, http.StatusCreated},
		{"block list", upload.CompleteURL, http.StatusCreated},
	} {
		body := "0123456789"
		if c.name == "block list" {
			body = `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>YmxvY2stMDAwMDAwMDE=</Latest></BlockList>`
		}
		checkPUTStatus(ctx, t, c.name, c.url, body, c.wantStatus)
	}
	if got, ok := az.blob(t, azureE2EContainer, "tampered"); !ok || string(got) != "0123456789" {
		t.Errorf("the genuine block was not committed: %q", got)
	}
	if _, ok := az.blob(t, azureE2EContainer, "other"); ok {
		t.Error("a URL signed for another blob wrote to blob other")
	}
}

// TestAccAzureBucketSecret_verifyConnection runs verify_connection on an Azure secret against
// Azurite: a wrong account key fails before anything is created, with an Azure-specific hint;
// the right key passes, and the test blob is gone afterwards; an update to a wrong key fails
// and leaves the saved secret as it was.
func TestAccAzureBucketSecret_verifyConnection(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	az := startAzurite(t, azureE2EContainer)
	env := newTestEnv(t)
	wrongKey := base64.StdEncoding.EncodeToString(randomBytes(t, 64))
	config := func(connectionString string) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "azure" {
  type              = "azure"
  connection_string = %q
  bucket_name       = %q
  verify_connection = true
}
`, connectionString, azureE2EContainer)
	}
	noSecrets := func() {
		if n := len(env.Fake.Secrets(env.Org.ID)); n != 0 {
			t.Fatalf("the failed check left %d secrets in LUML", n)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				Config: config(az.connectionStringWithKey(wrongKey)),
				// Words only: the CLI wraps the detail's lines. Azurite names a wrong signature AuthorizationFailure.
				ExpectError: regexp.MustCompile(`(?s)Bucket connection check failed.*upload.*403\s+Forbidden:\s+AuthorizationFailure:\s+Server\s+failed.*AccountKey\s+is\s+a\s+current\s+access\s+key.*Nothing`),
			},
			{
				PreConfig: noSecrets,
				Config:    config(az.connectionString()),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("luml_bucket_secret.azure", tfjsonpath.New("type"), knownvalue.StringExact("azure")),
				},
				Check: func(*terraform.State) error {
					if _, ok := az.blob(t, azureE2EContainer, "test_file"); ok {
						return fmt.Errorf("the connection check left its test blob in the container")
					}
					return nil
				},
			},
			{
				// An update is checked through the URLs of the saved secret, overlaid with the new key.
				Config:      config(az.connectionStringWithKey(wrongKey)),
				ExpectError: regexp.MustCompile(`(?s)Bucket connection check failed.*upload.*403\s+Forbidden:\s+AuthorizationFailure:\s+Server\s+failed.*AccountKey\s+is\s+a\s+current\s+access\s+key.*Nothing`),
			},
			{
				PreConfig: func() {
					secrets := env.Fake.Secrets(env.Org.ID)
					if len(secrets) != 1 || secrets[0].Endpoint != az.connectionString() {
						t.Fatal("the failed check of the update changed the saved secret")
					}
				},
				Config:   config(az.connectionString()),
				PlanOnly: true,
			},
		},
	})
}
