package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

func TestAccBucketSecretDataSource(t *testing.T) {
	e := newTestEnv(t)
	s3 := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr(testAccessKey), SecretKey: ptr(testSecretKey), Secure: ptr(true),
	})
	azure := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "azure", Endpoint: testConnectionString, BucketName: "archive",
	})
	e.Fake.AddOrbit(e.Org.ID, s3.ID, "churn")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.providerConfig() + fmt.Sprintf(`
data "luml_bucket_secret" "by_name" {
  bucket_name = "models"
}

data "luml_bucket_secret" "by_id" {
  id = %q
}

data "luml_bucket_secret" "azure" {
  bucket_name = "archive"
}

data "luml_bucket_secrets" "all" {}

data "luml_bucket_secrets" "azure" {
  type = "azure"
}
`, s3.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_name", tfjsonpath.New("id"), knownvalue.StringExact(s3.ID)),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_name", tfjsonpath.New("endpoint"), knownvalue.StringExact("s3.eu-central-1.amazonaws.com")),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_name", tfjsonpath.New("region"), knownvalue.StringExact("eu-central-1")),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_name", tfjsonpath.New("secure"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_name", tfjsonpath.New("cert_check"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_name", tfjsonpath.New("organization_id"), knownvalue.StringExact(e.Org.ID)),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_name", tfjsonpath.New("orbits"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("churn")}),
				})),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.by_id", tfjsonpath.New("bucket_name"), knownvalue.StringExact("models")),
				// An Azure endpoint is a connection string: never shown by a data source.
				statecheck.ExpectKnownValue("data.luml_bucket_secret.azure", tfjsonpath.New("endpoint"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.luml_bucket_secret.azure", tfjsonpath.New("type"), knownvalue.StringExact("azure")),
				statecheck.ExpectKnownValue("data.luml_bucket_secrets.all", tfjsonpath.New("bucket_secrets"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(azure.ID), "bucket_name": knownvalue.StringExact("archive")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(s3.ID), "bucket_name": knownvalue.StringExact("models")}),
				})),
				statecheck.ExpectKnownValue("data.luml_bucket_secrets.azure", tfjsonpath.New("bucket_secrets"), knownvalue.ListSizeExact(1)),
				stateLacks{testAccessKey, testSecretKey, "dGVzdC1henVyZS1rZXktMTIzNA=="},
			},
		}},
	})
}

func TestAccBucketSecretDataSource_errors(t *testing.T) {
	e := newTestEnv(t)
	first := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "shared", Region: ptr("eu-central-1"),
	})
	second := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "minio.example.com:9000", BucketName: "shared", Region: ptr("us-east-1"),
	})
	cases := map[string]struct {
		config string
		want   string
	}{
		"not found by name": {
			config: `bucket_name = "Models"`,
			want:   `(?s)Bucket secret not found.*"Models"`,
		},
		"not found by id": {
			config: `id = "0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41"`,
			want:   `(?s)Bucket secret not found.*0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41`,
		},
		"ambiguous name": {
			config: `bucket_name = "shared"`,
			want: `(?s)Several bucket secrets have this bucket name.*(` + first.ID + `.*` + second.ID + `|` +
				second.ID + `.*` + first.ID + `).*minio.example.com:9000`,
		},
		"both id and name": {
			config: `id = "0199c3a2-7b1e-7cc4-a3f5-2b7f0e0c9d41"
  bucket_name = "shared"`,
			want: `Invalid Attribute Combination`,
		},
		"neither id nor name": {
			config: ``,
			want:   `(?s)Exactly one of these attributes must be configured: \[id,bucket_name\]`,
		},
		// A bucket name given as the ID: the error at id suggests bucket_name with the value.
		"bucket name as id": {
			config: `id = "acme-models"`,
			want:   `(?s)Invalid ID.*id = "acme-models".*id must be a UUID.*set\s+bucket_name\s+=\s+"acme-models"\s+instead\s+of\s+id`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      e.providerConfig() + "data \"luml_bucket_secret\" \"test\" {\n  " + c.config + "\n}\n",
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
}
