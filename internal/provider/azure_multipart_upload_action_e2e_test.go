package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// TestAccAzureMultipartUploadAction uploads a file of three blocks to Azurite through the
// action, which verifies every SAS: the blocks are PUT, the block list is committed in order,
// and the blob's bytes equal the file's. An upload_id is refused for Azure.
func TestAccAzureMultipartUploadAction(t *testing.T) {
	skipWithoutActions(t)
	az := startAzurite(t, azureE2EContainer)
	env := newTestEnv(t)
	secret := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "azure", Endpoint: az.connectionString(), BucketName: azureE2EContainer,
	})
	file := filepath.Join(t.TempDir(), "model.luml")
	const size = 70<<20 + 5
	writeRandomFile(t, file, size)
	const blob = "models/action.luml"
	invocations := &actionRecorder{}

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   terraform114,
		ProtoV6ProviderFactories: invocations.factories(),
		Steps: []resource.TestStep{
			{
				Config:            uploadActionConfig(env, "model", secret.ID, blob, file, fmt.Sprintf("filesha256(%q)", file), ""),
				ConfigStateChecks: []statecheck.StateCheck{noPresignedURLInState{}},
				Check: func(*terraform.State) error {
					content, err := os.ReadFile(file)
					if err != nil {
						return err
					}
					checkAzureBlob(t, az, blob, content)
					progress, diags := invocations.only(t)
					t.Logf("progress: %q", progress)
					if err := noneContains(slices.Concat(progress, diags), append(urlParts, az.key, "AccountKey=")); err != nil {
						return err
					}
					return wantInOrder("progress", progress, azureE2EContainer+" (azure): ", "3 parts of up to 32.0 MiB",
						"70.0 MiB (73400325 bytes) in 3 parts")
				},
			},
			{
				Config: uploadActionConfig(env, "with_id", secret.ID, blob, file, `"v1"`, `upload_id = "an-upload"`),
				ExpectError: multipartErrorText(`upload_id is refused for Azure.*Bucket secret ` + secret.ID +
					` is an Azure container`),
			},
		},
	})
}
