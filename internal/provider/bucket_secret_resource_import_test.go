package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// A bucket named with 32 hex digits is a UUID to a lenient parser, but only the canonical
// form is an ID: the import finds the secret by its bucket name.
func TestAccBucketSecret_importByHexBucketName(t *testing.T) {
	e := newTestEnv(t)
	const hexName = "d41d8cd98f00b204e9800998ecf8427e"
	existing := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: hexName, Region: ptr("eu-central-1"),
	})
	importBlock := func(id string) string {
		return e.providerConfig() + fmt.Sprintf(`
import {
  to = luml_bucket_secret.test
  id = %q
}

resource "luml_bucket_secret" "test" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = %q
  region      = "eu-central-1"
}
`, id, hexName)
	}
	braced := "{" + existing.ID + "}"
	unknownID := uuid.NewString()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				// An ID in another spelling is a bucket name too, and the error says how to write the ID.
				Config:      importBlock(braced),
				ExpectError: regexp.MustCompile(`(?s)Bucket secret not found.*write\s+` + strings.ReplaceAll(existing.ID, "-", `-\s*`)),
			},
			{
				// An ID no secret has: the error says so, and how to find the right one.
				Config: importBlock(unknownID),
				ExpectError: regexp.MustCompile(`(?s)Bucket secret not found.*No bucket secret of organization\s+` + e.Org.ID +
					`\s+has\s+the\s+ID\s+` + unknownID + `.*data\s+"luml_bucket_secrets".*terraform\s+query`),
			},
			{
				Config: importBlock(hexName),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing.ID)),
				},
			},
		},
	})
}
