package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

func TestAccBucketSecretList(t *testing.T) {
	env := newTestEnv(t)
	secure := false
	models := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr("AKIALIST"), SecretKey: ptr("list-secret-key"),
	})
	// The same bucket name on another endpoint.
	minioModels := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "minio.internal:9000", BucketName: "models", Region: ptr("us-east-1"), Secure: &secure,
	})
	env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "datasets", Region: ptr("eu-central-1"),
	})
	azure := env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "azure", Endpoint: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=bGlzdA==", BucketName: "artifacts",
	})
	beta := env.joinOrganization("Beta", lumlfake.RoleAdmin)
	betaSecret := env.Fake.InsertSecret(beta.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.us-east-1.amazonaws.com", BucketName: "beta-models", Region: ptr("us-east-1"),
	})
	org := strings.ToLower(env.Org.ID)
	identity := func(orgID, id string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "organization_id": knownvalue.StringExact(orgID)}
	}
	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(identity(org, id))
	}

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   terraform114,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: env.providerConfig() + fmt.Sprintf(`
list "luml_bucket_secret" "all" {
  provider         = luml
  include_resource = true
}

list "luml_bucket_secret" "s3_models" {
  provider = luml
  config {
    type        = "s3"
    bucket_name = "models"
  }
}

list "luml_bucket_secret" "azure" {
  provider = luml
  config {
    type = "azure"
  }
}

list "luml_bucket_secret" "first" {
  provider = luml
  limit    = 1
}

list "luml_bucket_secret" "beta" {
  provider = luml
  config {
    organization_id = %q
  }
}
`, beta.ID),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("luml_bucket_secret.all", 4),
				querycheck.ExpectLength("luml_bucket_secret.s3_models", 2),
				querycheck.ExpectIdentity("luml_bucket_secret.s3_models", identity(org, models.ID)),
				querycheck.ExpectIdentity("luml_bucket_secret.s3_models", identity(org, minioModels.ID)),
				querycheck.ExpectLength("luml_bucket_secret.azure", 1),
				querycheck.ExpectIdentity("luml_bucket_secret.azure", identity(org, azure.ID)),
				querycheck.ExpectLength("luml_bucket_secret.first", 1),
				querycheck.ExpectLength("luml_bucket_secret.beta", 1),
				querycheck.ExpectIdentity("luml_bucket_secret.beta", identity(strings.ToLower(beta.ID), betaSecret.ID)),

				querycheck.ExpectResourceDisplayName("luml_bucket_secret.all", byID(models.ID),
					knownvalue.StringExact("models (s3.eu-central-1.amazonaws.com)")),
				querycheck.ExpectResourceDisplayName("luml_bucket_secret.all", byID(minioModels.ID),
					knownvalue.StringExact("models (minio.internal:9000)")),
				// An Azure endpoint is a connection string: never in a display name.
				querycheck.ExpectResourceDisplayName("luml_bucket_secret.all", byID(azure.ID),
					knownvalue.StringExact("artifacts (azure)")),

				// The resource object is what an import then refresh holds: no credentials.
				querycheck.ExpectResourceKnownValues("luml_bucket_secret.all", byID(minioModels.ID), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(minioModels.ID)},
					{Path: tfjsonpath.New("organization_id"), KnownValue: knownvalue.StringExact(env.Org.ID)},
					{Path: tfjsonpath.New("type"), KnownValue: knownvalue.StringExact("s3")},
					{Path: tfjsonpath.New("endpoint"), KnownValue: knownvalue.StringExact("minio.internal:9000")},
					{Path: tfjsonpath.New("region"), KnownValue: knownvalue.StringExact("us-east-1")},
					{Path: tfjsonpath.New("secure"), KnownValue: knownvalue.Bool(false)},
					{Path: tfjsonpath.New("cert_check"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("verify_connection"), KnownValue: knownvalue.Bool(false)},
					{Path: tfjsonpath.New("access_key"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("secret_key"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("orbits"), KnownValue: knownvalue.ListSizeExact(0)},
				}),
				querycheck.ExpectResourceKnownValues("luml_bucket_secret.all", byID(azure.ID), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("type"), KnownValue: knownvalue.StringExact("azure")},
					{Path: tfjsonpath.New("endpoint"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("connection_string"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("bucket_name"), KnownValue: knownvalue.StringExact("artifacts")},
				}),
			},
		}},
	})
}
