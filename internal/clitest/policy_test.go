package clitest_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const (
	// opaEnv names the Open Policy Agent binary that checks the plans.
	opaEnv = "LUML_OPA"
	// policyDir is examples/policy, seen from this package: its configuration and its rules.
	policyDir = "../../examples/policy"
	// policyDecision is the rules' decision, as the example's README passes it to `opa exec`.
	policyDecision = "luml/plan/deny"
)

// opaBinary returns the OPA binary named by LUML_OPA. Without one the test fails under TF_ACC
// (`make testacc` builds opa) and is skipped otherwise, as every test that runs the CLI is.
func opaBinary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv(opaEnv)
	if bin == "" {
		missing := fmt.Sprintf("%s is not set: the policy test needs an opa binary. `make testacc` builds it into .bin/; "+
			"or run `go install github.com/open-policy-agent/opa@<version>` and set %s to its path.", opaEnv, opaEnv)
		if os.Getenv("TF_ACC") == "" {
			t.Skip("SKIPPED: runs the terraform or tofu CLI (set TF_ACC=1) and opa. " + missing)
		}
		t.Fatal(missing)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s=%s: %v. Build it with `make tools`.", opaEnv, bin, err)
	}
	return bin
}

// copyPolicyExample copies the Terraform files of examples/policy into dir.
func copyPolicyExample(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(policyDir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Terraform files in %s (%v)", policyDir, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, filepath.Join(dir, filepath.Base(f)), string(raw))
	}
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// policyCheck plans with the CLI, renders the plan with show -json and asks OPA for the rules'
// decision, as a pull request's check would.
type policyCheck struct {
	t   *testing.T
	e   *clitest.Env
	opa string
}

// reviewedPlan is what one check saw: the actions planned for each resource, and the denials.
type reviewedPlan struct {
	actions map[string][]string
	denied  []string
}

func (c *policyCheck) review(planArgs ...string) reviewedPlan {
	c.t.Helper()
	planFile := filepath.Join(c.e.Dir, "tfplan")
	c.e.MustRun(append([]string{"plan", "-input=false", "-no-color", "-out=" + planFile}, planArgs...)...)
	show := c.e.MustRun("show", "-json", planFile)
	planJSON := filepath.Join(c.e.Dir, "tfplan.json")
	writeTestFile(c.t, planJSON, show.Stdout)

	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(show.Stdout), &plan); err != nil {
		c.t.Fatalf("show -json did not print a JSON plan: %v", err)
	}
	reviewed := reviewedPlan{actions: map[string][]string{}}
	for _, rc := range plan.ResourceChanges {
		reviewed.actions[rc.Address] = rc.Change.Actions
	}

	// --fail-non-empty: the exit code a CI job goes by.
	cmd := exec.Command(c.opa, "exec", "--decision", policyDecision, "--bundle", policyDir, "--fail-non-empty", planJSON)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var decision struct {
		Result []struct {
			Result *[]string `json:"result"`
		} `json:"result"`
	}
	if jsonErr := json.Unmarshal(out, &decision); jsonErr != nil || len(decision.Result) != 1 || decision.Result[0].Result == nil {
		c.t.Fatalf("opa exec gave no decision (%v, %v):\n%s", err, jsonErr, c.e.Tail(string(out)+stderr.String(), 20))
	}
	reviewed.denied = *decision.Result[0].Result
	if failed := err != nil; failed != (len(reviewed.denied) > 0) {
		c.t.Errorf("opa exec --fail-non-empty: exit error %v with %d denials", err, len(reviewed.denied))
	}
	return reviewed
}

// expect fails the test unless each resource in actions has the actions given, and the policy
// denied exactly the messages given.
func (r reviewedPlan) expect(t *testing.T, step string, actions map[string][]string, denied ...string) {
	t.Helper()
	for addr, want := range actions {
		if got := r.actions[addr]; !slices.Equal(got, want) {
			t.Errorf("%s: %s planned %v, want %v", step, addr, got, want)
		}
	}
	got := slices.Sorted(slices.Values(r.denied))
	slices.Sort(denied)
	if !slices.Equal(got, denied) {
		t.Errorf("%s: the policy denied\n%s\nwant\n%s", step, messageList(got), messageList(denied))
	}
}

func messageList(messages []string) string {
	if len(messages) == 0 {
		return "  (nothing)"
	}
	return "  " + strings.Join(messages, "\n  ")
}

// legacyConfig adds two secrets that break the rules: one with stored credentials and no
// connection check, one with write-only credentials but no credentials_wo_version.
const legacyConfig = `
variable "legacy_secret_key" {
  type      = string
  sensitive = true
}

variable "azure_connection_string" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "luml_bucket_secret" "legacy" {
  endpoint    = "minio.internal.example.com:9000"
  bucket_name = "legacy-models"
  region      = "us-east-1"
  secure      = false
  access_key  = "legacy-access-key"
  secret_key  = var.legacy_secret_key
}

resource "luml_bucket_secret" "azure" {
  type                 = "azure"
  bucket_name          = "models"
  connection_string_wo = var.azure_connection_string
  verify_connection    = true
}
`

// TestPlanPolicy runs examples/policy the way its README tells: plan, show -json, opa exec.
// The example passes; stored credentials, a missing connection check or credentials_wo_version,
// and destroying a secret that orbits use are denied, with the messages a reviewer reads (the
// provider refuses to plan its replacement); an update of a secret in use and destroying one
// no orbit uses pass.
func TestPlanPolicy(t *testing.T) {
	opa := opaBinary(t)
	e := clitest.New(t)
	c := &policyCheck{t: t, e: e, opa: opa}
	copyPolicyExample(t, e.Dir)
	e.Setenv("TF_VAR_models_access_key", "AKIAPOLICYTEST")
	e.Setenv("TF_VAR_models_secret_key", "policy-test-secret-key")
	e.Redact("policy-test-secret-key")

	// The example's connection check runs against an in-memory bucket host instead of AWS.
	store := httptest.NewServer(lumlfake.NewObjectStore())
	t.Cleanup(store.Close)
	override := func(credentialsVersion int) {
		writeTestFile(t, filepath.Join(e.Dir, "bucket_override.tf"), fmt.Sprintf(`resource "luml_bucket_secret" "models" {
  endpoint               = %q
  secure                 = false
  credentials_wo_version = %d
}
`, strings.TrimPrefix(store.URL, "http://"), credentialsVersion))
	}
	override(1)

	const models = "luml_bucket_secret.models"
	c.review().expect(t, "the example", map[string][]string{models: {"create"}})
	e.MustRun("apply", "-input=false", "-no-color", filepath.Join(e.Dir, "tfplan"))

	var secretID string
	for id, addr := range e.SecretIDs() {
		if addr == models {
			secretID = id
		}
	}
	fraud := e.Fake.AddOrbit(e.Org.ID, secretID, "fraud-detection")
	churn := e.Fake.AddOrbit(e.Org.ID, secretID, "churn")
	inUse := " but 2 orbits use it (churn, fraud-detection): LUML refuses to delete a bucket secret in use; " +
		"move the orbits to another bucket secret first"

	override(2)
	c.review().expect(t, "a key rotation of a secret in use", map[string][]string{models: {"update"}})

	c.review("-destroy").expect(t, "destroying a secret in use", map[string][]string{models: {"delete"}},
		models+" would be destroyed,"+inUse)

	// The provider itself refuses to plan the replacement of a secret in use, which LUML would
	// refuse at apply, so that plan never reaches the policy.
	if r := e.Run("plan", "-input=false", "-no-color", "-replace="+models); r.ExitCode == 0 ||
		!strings.Contains(r.Stdout+r.Stderr, "Replacement of a bucket secret in use by orbits") {
		t.Errorf("replacing a secret in use: the plan was not refused:\n%s", e.Tail(r.Stdout+r.Stderr, 30))
	}

	writeTestFile(t, filepath.Join(e.Dir, "legacy.tf"), legacyConfig)
	legacyKey := "legacy-test-secret-key"
	azureConnection := "DefaultEndpointsProtocol=https;AccountName=policy;AccountKey=cG9saWN5;EndpointSuffix=core.windows.net"
	e.Setenv("TF_VAR_legacy_secret_key", legacyKey)
	e.Setenv("TF_VAR_azure_connection_string", azureConnection)
	e.Redact(legacyKey, azureConnection)
	c.review().expect(t, "secrets that break the rules", map[string][]string{
		models:                      {"update"},
		"luml_bucket_secret.legacy": {"create"},
		"luml_bucket_secret.azure":  {"create"},
	},
		"luml_bucket_secret.legacy: access_key, secret_key would be stored in the plan and the state; "+
			"use access_key_wo, secret_key_wo with credentials_wo_version instead",
		"luml_bucket_secret.legacy: verify_connection must be true, so that wrong credentials or a wrong "+
			"bucket fail the apply instead of the orbits' uploads",
		"luml_bucket_secret.azure: credentials_wo_version is not set: give the credentials write-only "+
			"(access_key_wo and secret_key_wo, or connection_string_wo) with credentials_wo_version, so that a "+
			"rotation is a visible change",
	)

	if err := os.Remove(filepath.Join(e.Dir, "legacy.tf")); err != nil {
		t.Fatal(err)
	}
	e.Fake.RemoveOrbit(fraud.ID)
	e.Fake.RemoveOrbit(churn.ID)
	c.review("-destroy").expect(t, "destroying a secret no orbit uses", map[string][]string{models: {"delete"}})
}
