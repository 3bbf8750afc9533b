package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The keys LUML holds for a secret made outside Terraform: no configuration below has them.
const (
	storedAccessKey = "AKIASTOREDBYLUML0001"
	storedSecretKey = "stored-secret-key-Hn4k"
)

var guardError = regexp.MustCompile(`(?s)Update would erase the stored credentials.*access_key.*access_key_wo.*no_credentials\s+=\s+true`)

// insertSecretWithKeys puts a secret with keys on the emulator, as the LUML web app would.
func (e *testEnv) insertSecretWithKeys(t *testing.T) lumlfake.StoredSecret {
	t.Helper()
	s := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr(storedAccessKey), SecretKey: ptr(storedSecretKey),
	})
	t.Cleanup(func() { e.Fake.DeleteSecret(s.ID) })
	return s
}

// keysKept fails when the secret's stored keys changed or any PATCH was sent.
func (e *testEnv) keysKept(id string) func(*terraform.State) error {
	return func(*terraform.State) error {
		s, ok := e.Fake.Secret(id)
		if !ok || deref(s.AccessKey) != storedAccessKey || deref(s.SecretKey) != storedSecretKey {
			return fmt.Errorf("the keys LUML held for the secret are gone")
		}
		if n := e.Fake.CountRequests(http.MethodPatch, "/v1/"); n != 0 {
			return fmt.Errorf("%d PATCH requests were sent", n)
		}
		return nil
	}
}

// generatedConfig is the configuration `terraform plan -generate-config-out` writes for an
// imported secret, every credential null, with the given region and extra arguments.
func generatedConfig(e *testEnv, region, extra string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "luml_bucket_secret" "test" {
  bucket_name            = "models"
  cert_check             = null
  connection_string      = null
  connection_string_wo   = null # sensitive
  credentials_wo_version = null
  endpoint               = "s3.eu-central-1.amazonaws.com"
  access_key             = null # sensitive
  access_key_wo          = null # sensitive
  organization_id        = %q
  region                 = %q
  secret_key             = null # sensitive
  secret_key_wo          = null # sensitive
  secure                 = null
  session_token          = null # sensitive
  session_token_wo       = null # sensitive
  type                   = "s3"
%s
}
`, e.Org.ID, region, extra)
}

func TestAccBucketSecret_credentialGuardAfterImportBlock(t *testing.T) {
	e := newTestEnv(t)
	existing := e.insertSecretWithKeys(t)
	other := e.joinOrganization("Beta", lumlfake.RoleOwner)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: generatedConfig(e, "eu-central-1", "") + fmt.Sprintf("import {\n  to = luml_bucket_secret.test\n  id = %q\n}\n", existing.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionNoop)},
				},
				Check: e.keysKept(existing.ID),
			},
			{
				// A change of a field LUML stores would send no keys: refused at plan time.
				Config:      generatedConfig(e, "eu-west-1", ""),
				ExpectError: guardError,
			},
			{
				// A replacement deletes the secret and its keys, and would create one without any.
				Config:      strings.Replace(generatedConfig(e, "eu-central-1", ""), e.Org.ID, other.ID, 1),
				ExpectError: regexp.MustCompile(`(?s)Replacement would erase the stored credentials.*no_credentials\s+=\s+true`),
			},
			{
				// With keys for the new secret, the replacement is not refused.
				Config: strings.NewReplacer(e.Org.ID, other.ID,
					`access_key             = null # sensitive`, `access_key = "`+testAccessKey+`"`,
					`secret_key             = null # sensitive`, `secret_key = "`+testSecretKey+`"`,
				).Replace(generatedConfig(e, "eu-central-1", "")),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// timeouts and verify_connection are the provider's own: no request at all.
				PreConfig: func() { e.Fake.ResetRequests() },
				Config:    generatedConfig(e, "eu-central-1", "  timeouts {\n    update = \"20m\"\n  }"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: e.keysKept(existing.ID),
			},
			{
				Config: generatedConfig(e, "eu-central-1", "  verify_connection = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testSecretAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testSecretAddr, tfjsonpath.New("verify_connection"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(e.keysKept(existing.ID), func(*terraform.State) error {
					if n := e.Fake.CountRequests(http.MethodPost, "/v1/"); n != 0 {
						return fmt.Errorf("a change of verify_connection alone sent %d POST requests", n)
					}
					return nil
				}),
			},
			{
				// Giving the keys is one way on; the update sends them.
				Config: strings.NewReplacer(
					`access_key             = null # sensitive`, `access_key = "`+testAccessKey+`"`,
					`secret_key             = null # sensitive`, `secret_key = "`+testSecretKey+`"`,
				).Replace(generatedConfig(e, "eu-west-1", "")),
				Check: func(*terraform.State) error {
					s, _ := e.Fake.Secret(existing.ID)
					if deref(s.AccessKey) != testAccessKey || deref(s.Region) != "eu-west-1" {
						return fmt.Errorf("the update with keys did not reach LUML")
					}
					return nil
				},
			},
		},
	})
}

// A state written before the provider kept its record (0.1.0) has no private state: nothing is
// known of its credentials, so a credential-less update is refused there too, whereas the
// provider's own secret, created without credentials, updates freely.
func TestBucketSecretGuard_stateWithoutRecord(t *testing.T) {
	e := newTestEnv(t)
	p := newProtoProvider(t)
	if diags := p.configure(e.URL, e.APIKey, e.Org.ID); len(diags) != 0 {
		t.Fatalf("configure: %v", diags[0].Detail)
	}
	const typeName = "luml_bucket_secret"
	s := p.schema.ResourceSchemas[typeName]
	config := map[string]tftypes.Value{
		"endpoint": str("s3.eu-central-1.amazonaws.com"), "bucket_name": str("models"), "region": str("eu-central-1"),
		"no_credentials": tftypes.NewValue(tftypes.Bool, true),
	}
	created, private := p.apply(typeName, config)

	// The secret was created without credentials; the update does not say so again.
	delete(config, "no_credentials")
	config["region"] = str("eu-west-1")
	for name, prior := range map[string][]byte{"record kept by create": private, "no record": nil} {
		plan, err := p.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: created, PriorPrivate: prior,
			ProposedNewState: p.proposed(s, created, config), Config: p.value(s, config),
		})
		if err != nil {
			t.Fatal(err)
		}
		refused := false
		for _, d := range plan.Diagnostics {
			refused = refused || guardError.MatchString(d.Summary+" "+d.Detail)
		}
		if want := prior == nil; refused != want {
			t.Errorf("%s: refused = %v, want %v (%v)", name, refused, want, plan.Diagnostics)
		}
	}
}

// Write-only credentials without credentials_wo_version: a later rotation alone is never sent.
func TestBucketSecretValidate_writeOnlyWithoutVersion(t *testing.T) {
	p := newProtoProvider(t)
	const typeName = "luml_bucket_secret"
	s := p.schema.ResourceSchemas[typeName]
	base := map[string]tftypes.Value{
		"endpoint": str("s3.example.com"), "bucket_name": str("models"), "region": str("us-east-1"),
		"access_key_wo": str("a"), "secret_key_wo": str("b"),
	}
	for name, version := range map[string]tftypes.Value{
		"without version": tftypes.NewValue(tftypes.Number, nil),
		"with version":    tftypes.NewValue(tftypes.Number, 1),
	} {
		attrs := map[string]tftypes.Value{"credentials_wo_version": version}
		for k, v := range base {
			attrs[k] = v
		}
		resp, err := p.server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: typeName, Config: p.value(s, attrs),
			ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		warned := false
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				t.Errorf("%s: unexpected error %s: %s", name, d.Summary, d.Detail)
			}
			warned = warned || (d.Severity == tfprotov6.DiagnosticSeverityWarning &&
				strings.Contains(d.Detail, "credentials_wo_version") && d.Attribute != nil)
		}
		if want := name == "without version"; warned != want {
			t.Errorf("%s: warned = %v, want %v", name, warned, want)
		}
	}
}

func TestErasedCredentials(t *testing.T) {
	known := func(sent ...string) credentialRecord { return credentialRecord{known: true, sent: sent} }
	pair := []string{"access_key", "secret_key"}
	cases := []struct {
		name       string
		rec        credentialRecord
		bucketType string
		sent       []string
		want       []string
	}{
		{"own secret created without credentials", known(), "s3", nil, nil},
		{"keys last sent, none now", known(pair...), "s3", nil, pair},
		{"keys last sent, sent again", known(pair...), "s3", pair, nil},
		{"a new pair without the stored token", known("access_key", "secret_key", "session_token"), "s3", pair, nil},
		{"the token alone", known("access_key", "secret_key", "session_token"), "s3", []string{"session_token"}, pair},
		{"nothing known, none sent", credentialRecord{}, "s3", nil, []string{"access_key", "secret_key", "session_token"}},
		{"nothing known, a pair sent", credentialRecord{}, "s3", pair, nil},
		{"nothing known of an Azure secret", credentialRecord{}, "azure", nil, []string{"connection_string"}},
		{"Azure connection string sent", credentialRecord{}, "azure", []string{"connection_string"}, nil},
	}
	for _, c := range cases {
		if got := erasedCredentials(c.rec, c.bucketType, c.sent); !slices.Equal(got, c.want) {
			t.Errorf("%s: erased %v, want %v", c.name, got, c.want)
		}
	}
}
