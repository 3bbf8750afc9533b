package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const testSecretAddr = "luml_bucket_secret.test"

// Distinctive credentials, so a test can look for them anywhere they must not be.
const (
	testAccessKey    = "AKIATESTACCESSKEY0001"
	testSecretKey    = "test-secret-key-Zq8vW3xY"
	testSessionToken = "test-session-token-Pq7r"
)

func s3SecretConfig(e *testEnv, bucket, extra string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "test" {
  endpoint      = "https://s3.eu-central-1.amazonaws.com"
  bucket_name   = %q
  region        = "eu-central-1"
  access_key    = %q
  secret_key    = %q
  session_token = %q
%s
}
`, bucket, testAccessKey, testSecretKey, testSessionToken, extra)
}

// checkNoSecrets fails when no secret is left on the emulator after destroy.
func (e *testEnv) checkNoSecrets(*terraform.State) error {
	if left := e.Fake.Secrets(e.Org.ID); len(left) != 0 {
		return fmt.Errorf("%d bucket secrets left on the server after destroy", len(left))
	}
	return nil
}

// onlySecret is the single secret the test created.
func (e *testEnv) onlySecret(t *testing.T) lumlfake.StoredSecret {
	t.Helper()
	secrets := e.Fake.Secrets(e.Org.ID)
	if len(secrets) != 1 {
		t.Fatalf("expected exactly one bucket secret on the server, found %d", len(secrets))
	}
	return secrets[0]
}

// lastPatchBody decodes the body of the last PATCH the emulator received.
func (e *testEnv) lastPatchBody() (map[string]any, error) {
	var body map[string]any
	reqs := e.Fake.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == http.MethodPatch {
			return body, json.Unmarshal(reqs[i].Body, &body)
		}
	}
	return nil, fmt.Errorf("no PATCH request was sent")
}

func (e *testEnv) mutatingRequests() int {
	n := 0
	for _, r := range e.Fake.Requests() {
		if r.Method == http.MethodPatch || r.Method == http.MethodDelete ||
			(r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/bucket-secrets")) {
			n++
		}
	}
	return n
}

func expectPatchKeys(e *testEnv, keys ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		body, err := e.lastPatchBody()
		if err != nil {
			return err
		}
		if len(body) != len(keys) {
			return fmt.Errorf("PATCH body has %d keys, want exactly %v", len(body), keys)
		}
		for _, k := range keys {
			if _, ok := body[k]; !ok {
				return fmt.Errorf("PATCH body lacks %q; the server would null it", k)
			}
		}
		return nil
	}
}

var allS3PatchKeys = []string{"endpoint", "bucket_name", "access_key", "secret_key", "session_token", "secure", "region", "cert_check"}

// stateLacks fails when any of the values appears anywhere in the state.
type stateLacks []string

func (s stateLacks) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	for i, v := range s {
		if strings.Contains(string(raw), v) {
			resp.Error = fmt.Errorf("secret value #%d is in the state", i+1)
			return
		}
	}
}

func TestAccBucketSecret_s3Lifecycle(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				Config: s3SecretConfig(e, "models", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidPattern)),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(e.Org.ID)),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("type"), knownvalue.StringExact("s3")),
					// The configured spelling stays although the server stores it without the scheme.
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("endpoint"), knownvalue.StringExact("https://s3.eu-central-1.amazonaws.com")),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("secure"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("cert_check"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("orbits"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("updated_at"), knownvalue.Null()),
					statecheck.ExpectSensitiveValue(testSecretAddr, tfjsonpath.New("secret_key")),
				},
				Check: func(*terraform.State) error {
					s := e.onlySecret(t)
					if s.Endpoint != "s3.eu-central-1.amazonaws.com" || deref(s.AccessKey) != testAccessKey ||
						deref(s.SecretKey) != testSecretKey || deref(s.SessionToken) != testSessionToken {
						return fmt.Errorf("the server holds another secret than configured")
					}
					return nil
				},
			},
			{
				// A change of scheme alone is no change.
				Config: strings.Replace(s3SecretConfig(e, "models", ""), "https://", "", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: s3SecretConfig(e, "models-v2", "  secure = true\n  cert_check = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("bucket_name"), knownvalue.StringExact("models-v2")),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("secure"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("cert_check"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("updated_at"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(
					expectPatchKeys(e, allS3PatchKeys...),
					func(*terraform.State) error {
						// Credentials survive the update: the PATCH carried them.
						if s := e.onlySecret(t); deref(s.SecretKey) != testSecretKey || s.BucketName != "models-v2" {
							return fmt.Errorf("credentials or bucket name lost by the update")
						}
						return nil
					},
				),
			},
			{
				ResourceName:            testSecretAddr,
				ImportState:             true,
				ImportStateKind:         resource.ImportCommandWithID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"access_key", "secret_key", "session_token", "endpoint"},
			},
			{
				ResourceName: testSecretAddr,
				ImportState:  true,
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					return "models-v2", nil
				},
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"access_key", "secret_key", "session_token", "endpoint"},
			},
		},
	})
}

func TestAccBucketSecret_importByOrganizationAndID(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{Config: s3SecretConfig(e, "models", "")},
			{
				ResourceName: testSecretAddr,
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return e.Org.ID + "/" + s.RootModule().Resources[testSecretAddr].Primary.ID, nil
				},
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"access_key", "secret_key", "session_token", "endpoint"},
			},
			{
				// After an import, the state holds the endpoint without the scheme while the
				// configuration has it: still no change planned.
				Config: s3SecretConfig(e, "models", ""),
				PreConfig: func() {
					// Nothing to do: the previous import step left the configuration's state as is.
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccBucketSecret_importBlockKeepsEndpointSpelling(t *testing.T) {
	e := newTestEnv(t)
	existing := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
	})
	t.Cleanup(func() { e.Fake.DeleteSecret(existing.ID) })
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{{
			Config: e.providerConfig() + fmt.Sprintf(`
import {
  to = luml_bucket_secret.test
  id = %q
}

resource "luml_bucket_secret" "test" {
  endpoint    = "https://s3.eu-central-1.amazonaws.com"
  bucket_name = "models"
  region      = "eu-central-1"
}
`, existing.ID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				// Imported, and no update: the endpoints differ only by the scheme.
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionNoop)},
			},
		}},
	})
}

// credentiallessConfig is a secret whose every attribute an import recovers.
func credentiallessConfig(e *testEnv) string {
	return e.providerConfig() + `
resource "luml_bucket_secret" "test" {
  endpoint    = "https://s3.eu-central-1.amazonaws.com"
  bucket_name = "models"
  region      = "eu-central-1"
  secure      = true
  cert_check  = false
}
`
}

func TestAccBucketSecret_importBlockByID(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{Config: credentiallessConfig(e)},
			{
				ResourceName:    testSecretAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestAccBucketSecret_identityImport(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				Config: credentiallessConfig(e),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(testSecretAddr, map[string]knownvalue.Check{
						"id":              knownvalue.StringRegexp(uuidPattern),
						"organization_id": knownvalue.StringExact(e.Org.ID),
					}),
				},
			},
			{
				ResourceName:    testSecretAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

func TestAccBucketSecret_writeOnlyCredentials(t *testing.T) {
	e := newTestEnv(t)
	config := func(accessKey, secretKey string, version int) string {
		return e.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "test" {
  endpoint               = "minio.example.com:9000"
  bucket_name            = "models"
  region                 = "us-east-1"
  secure                 = false
  access_key_wo          = %q
  secret_key_wo          = %q
  session_token_wo       = "wo-session-token-4242"
  credentials_wo_version = %d
}
`, accessKey, secretKey, version)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				Config: config("AKIAWRITEONLY0001", "wo-secret-one-9876", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("access_key_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("secret_key_wo"), knownvalue.Null()),
					stateLacks{"AKIAWRITEONLY0001", "wo-secret-one-9876", "wo-session-token-4242"},
				},
				Check: func(*terraform.State) error {
					s := e.onlySecret(t)
					if deref(s.AccessKey) != "AKIAWRITEONLY0001" || deref(s.SecretKey) != "wo-secret-one-9876" ||
						deref(s.SessionToken) != "wo-session-token-4242" {
						return fmt.Errorf("the server did not receive the write-only credentials")
					}
					return nil
				},
			},
			{
				// A new write-only value alone is invisible to Terraform...
				Config: config("AKIAWRITEONLY0002", "wo-secret-two-5432", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// ...and sent once the version changes.
				Config: config("AKIAWRITEONLY0002", "wo-secret-two-5432", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateLacks{"AKIAWRITEONLY0002", "wo-secret-two-5432", "wo-session-token-4242"},
				},
				Check: resource.ComposeTestCheckFunc(
					expectPatchKeys(e, allS3PatchKeys...),
					func(*terraform.State) error {
						if s := e.onlySecret(t); deref(s.AccessKey) != "AKIAWRITEONLY0002" || deref(s.SecretKey) != "wo-secret-two-5432" {
							return fmt.Errorf("the new write-only credentials did not reach the server")
						}
						return nil
					},
				),
			},
		},
	})
}

const testConnectionString = "DefaultEndpointsProtocol=https;AccountName=lumltest;AccountKey=dGVzdC1henVyZS1rZXktMTIzNA==;EndpointSuffix=core.windows.net"

func azureSecretConfig(e *testEnv, container string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "test" {
  type              = "azure"
  connection_string = %q
  bucket_name       = %q
}
`, testConnectionString, container)
}

func TestAccBucketSecret_azure(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				Config: azureSecretConfig(e, "models"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("type"), knownvalue.StringExact("azure")),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("endpoint"), knownvalue.Null()),
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("region"), knownvalue.Null()),
					statecheck.ExpectSensitiveValue(testSecretAddr, tfjsonpath.New("connection_string")),
				},
				Check: func(*terraform.State) error {
					if s := e.onlySecret(t); s.Type != "azure" || s.Endpoint != testConnectionString {
						return fmt.Errorf("the server holds another Azure secret than configured")
					}
					return nil
				},
			},
			{
				Config: azureSecretConfig(e, "models-v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectPatchKeys(e, "endpoint", "bucket_name"),
			},
			{
				ResourceName:      testSecretAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// Not imported: the configuration might manage it write-only.
				ImportStateVerifyIgnore: []string{"connection_string"},
			},
		},
	})
}

func TestAccBucketSecret_driftDeleted(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{Config: s3SecretConfig(e, "models", "")},
			{
				PreConfig: func() { e.Fake.DeleteSecret(e.onlySecret(t).ID) },
				Config:    s3SecretConfig(e, "models", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestAccBucketSecret_driftModified(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{Config: s3SecretConfig(e, "models", "")},
			{
				PreConfig: func() {
					e.Fake.ModifySecret(e.onlySecret(t).ID, func(s *lumlfake.StoredSecret) {
						s.Endpoint = "s3.us-west-2.amazonaws.com"
						s.BucketName = "renamed"
						s.Region = ptr("us-west-2")
						s.Secure = ptr(false)
						s.CertCheck = ptr(false)
					})
				},
				Config: s3SecretConfig(e, "models", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("region"), knownvalue.StringExact("eu-central-1")),
						plancheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("secure"), knownvalue.Null()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					s := e.onlySecret(t)
					if s.BucketName != "models" || s.Endpoint != "s3.eu-central-1.amazonaws.com" || s.Secure != nil {
						return fmt.Errorf("the update did not restore the configured secret")
					}
					return nil
				},
			},
		},
	})
}

func TestAccBucketSecret_inUseIsNotDeleted(t *testing.T) {
	e := newTestEnv(t)
	var orbit lumlfake.Orbit
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{Config: s3SecretConfig(e, "models", "")},
			{
				PreConfig:   func() { orbit = e.Fake.AddOrbit(e.Org.ID, e.onlySecret(t).ID, "fraud-detection") },
				Config:      s3SecretConfig(e, "models", ""),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Bucket secret is in use.*"fraud-detection".*another bucket secret`),
			},
			{
				// The refused destroy kept the secret in state and on the server.
				PreConfig: func() {
					if len(e.Fake.Secrets(e.Org.ID)) != 1 {
						t.Error("the secret in use was deleted")
					}
					e.Fake.RemoveOrbit(orbit.ID)
				},
				Config: s3SecretConfig(e, "models", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccBucketSecret_orbitsAreRead(t *testing.T) {
	e := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{Config: s3SecretConfig(e, "models", "")},
			{
				PreConfig: func() { e.Fake.AddOrbit(e.Org.ID, e.onlySecret(t).ID, "churn") },
				Config:    s3SecretConfig(e, "models-v2", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					// The PATCH answer lists no orbits; the read-back does.
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("orbits"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("churn")}),
					})),
				},
			},
			{
				PreConfig: func() {
					for _, o := range e.Fake.Orbits(e.Org.ID) {
						e.Fake.RemoveOrbit(o.ID)
					}
				},
				Config: s3SecretConfig(e, "models-v2", ""),
			},
		},
	})
}

func TestAccBucketSecret_verifyConnection(t *testing.T) {
	e := newTestEnv(t)
	store := lumlfake.NewObjectStore()
	storeSrv := httptest.NewServer(store)
	t.Cleanup(storeSrv.Close)
	host := strings.TrimPrefix(storeSrv.URL, "http://")
	config := func(bucket string) string {
		return e.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "test" {
  endpoint          = %q
  bucket_name       = %q
  region            = "us-east-1"
  secure            = false
  access_key        = %q
  secret_key        = %q
  verify_connection = true
}
`, host, bucket, testAccessKey, testSecretKey)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             e.checkNoSecrets,
		Steps: []resource.TestStep{
			{
				Config: config("models"),
				Check: func(*terraform.State) error {
					if store.Count(http.MethodPut) != 1 || store.Count(http.MethodGet) != 1 || store.Count(http.MethodDelete) != 1 {
						return fmt.Errorf("the connection check did not PUT, GET and DELETE once each")
					}
					return nil
				},
			},
			{
				PreConfig:   func() { store.SetRangeSupport(false) },
				Config:      config("models-v2"),
				ExpectError: regexp.MustCompile(`(?s)range.*206`),
			},
			{
				// Nothing was saved by the refused update.
				PreConfig: func() {
					store.SetRangeSupport(true)
					if e.onlySecret(t).BucketName != "models" {
						t.Error("the update went through although the connection check failed")
					}
				},
				Config: config("models"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccBucketSecret_conflictNamesExistingSecret(t *testing.T) {
	e := newTestEnv(t)
	existing := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      s3SecretConfig(e, "models", ""),
			ExpectError: regexp.MustCompile(`(?s)already exists.*` + existing.ID + `.*import`),
		}},
	})
}

func TestAccBucketSecret_planTimeValidation(t *testing.T) {
	e := newTestEnv(t)
	cases := map[string]struct {
		body string
		want string
	}{
		"s3 without region": {
			body: `endpoint = "s3.example.com"
  bucket_name = "b"`,
			want: `(?s)Missing region.*region`,
		},
		"s3 without endpoint": {
			body: `bucket_name = "b"
  region = "us-east-1"`,
			want: `Missing endpoint`,
		},
		"unknown type": {
			body: `type = "gcs"
  bucket_name = "b"`,
			want: `(?s)type.*value must be one of`,
		},
		"endpoint with a path": {
			body: `endpoint = "https://s3.example.com/models"
  bucket_name = "b"
  region = "us-east-1"`,
			want: `(?s)Invalid endpoint.*path`,
		},
		"connection string for s3": {
			body: `endpoint = "s3.example.com"
  bucket_name = "b"
  region = "us-east-1"
  connection_string = "AccountName=x;AccountKey=y"`,
			want: `(?s)Attribute not allowed for S3.*connection_string`,
		},
		"azure with endpoint": {
			body: `type = "azure"
  connection_string = "AccountName=x;AccountKey=y"
  endpoint = "s3.example.com"
  bucket_name = "b"`,
			want: `(?s)Attribute not allowed for Azure.*endpoint`,
		},
		"azure with credentials": {
			body: `type = "azure"
  connection_string = "AccountName=x;AccountKey=y"
  access_key = "a"
  secret_key = "b"
  bucket_name = "b"`,
			want: `(?s)Attribute not allowed for Azure.*access_key`,
		},
		"azure without connection string": {
			body: `type = "azure"
  bucket_name = "b"`,
			want: `Missing Azure connection string`,
		},
		"access key without secret key": {
			body: `endpoint = "s3.example.com"
  bucket_name = "b"
  region = "us-east-1"
  access_key = "a"`,
			want: `(?s)Missing secret key.*secret_key`,
		},
		"plain and write-only twin": {
			body: `endpoint = "s3.example.com"
  bucket_name = "b"
  region = "us-east-1"
  access_key = "a"
  access_key_wo = "a"
  secret_key = "b"`,
			want: `(?s)access_key.*cannot be specified when.*access_key_wo|(?s)Invalid Attribute Combination`,
		},
		"bad region": {
			body: `endpoint = "s3.example.com"
  bucket_name = "b"
  region = "eu central"`,
			want: `(?s)region.*must be a region name`,
		},
		"non-UUID organization": {
			body: `endpoint = "s3.example.com"
  bucket_name = "b"
  region = "us-east-1"
  organization_id = "acme"`,
			want: `(?s)organization_id must be a UUID`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      e.providerConfig() + "resource \"luml_bucket_secret\" \"test\" {\n  " + c.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
	if n := e.mutatingRequests(); n != 0 {
		t.Errorf("plan-time validation errors sent %d mutating requests", n)
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
