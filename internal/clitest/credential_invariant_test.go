package clitest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The credential invariant, through the CLI: no plan may leave LUML holding fewer credentials
// than it may hold now, unless the configuration says no_credentials = true. Every check
// reads the keys the emulator stores.

const (
	invAccessKey  = "AKIAINVARIANT0000001"
	invSecretKey  = "invariant-secret-key-1"
	invAccessKey2 = "AKIAINVARIANT0000002"
	invSecretKey2 = "invariant-secret-key-2"
	invToken      = "invariant-session-token"
)

// invariantEnv is a CLI environment with the checks these tests share.
type invariantEnv struct {
	*clitest.Env
	t *testing.T
}

func newInvariantEnv(t *testing.T) invariantEnv {
	e := clitest.New(t)
	e.Redact(invAccessKey, invSecretKey, invAccessKey2, invSecretKey2, invToken)
	return invariantEnv{Env: e, t: t}
}

// onlySecret is the ID of the one secret of the organization.
func (e invariantEnv) onlySecret() string {
	e.t.Helper()
	secrets := e.Fake.Secrets(e.Org.ID)
	if len(secrets) != 1 {
		e.t.Fatalf("%d secrets on the emulator, want 1", len(secrets))
	}
	return secrets[0].ID
}

// storedKeys fails unless the emulator stores exactly these keys for the secret.
func (e invariantEnv) storedKeys(step, id, accessKey, secretKey, token string) {
	e.t.Helper()
	s, ok := e.Fake.Secret(id)
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	if !ok {
		e.t.Fatalf("%s: the secret is gone from LUML", step)
	}
	if deref(s.AccessKey) != accessKey || deref(s.SecretKey) != secretKey || deref(s.SessionToken) != token {
		e.t.Fatalf("%s: LUML does not hold the expected keys (access key %q, token set %v)", step,
			strings.TrimPrefix(deref(s.AccessKey), "AKIAINVARIANT"), s.SessionToken != nil)
	}
}

// refused runs a command that must fail with the summary, without any request that changes
// the secret.
func (e invariantEnv) refused(step, summary string, args ...string) string {
	e.t.Helper()
	e.Fake.ResetRequests()
	r := e.Run(args...)
	out := strings.Join(strings.Fields(r.Stdout+r.Stderr), " ")
	if r.ExitCode == 0 || !strings.Contains(out, summary) {
		e.t.Fatalf("%s: %s was not refused with %q:\n%s", step, strings.Join(args, " "), summary, e.Tail(r.Stdout+r.Stderr, 40))
	}
	for _, method := range []string{http.MethodPatch, http.MethodDelete, http.MethodPost} {
		if n := e.Fake.CountRequests(method, "/v1/"); n != 0 {
			e.t.Fatalf("%s: %d %s requests were sent", step, n, method)
		}
	}
	return out
}

func (e invariantEnv) apply(args ...string) clitest.Result {
	e.t.Helper()
	return e.MustRun(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, args...)...)
}

// stateUnchangedBy fails unless two no-change applies leave the state file as it was, byte
// for byte (serial and lineage included). Terraform before 1.15 (1.11 shown) writes each
// instance's sensitive_attributes in a random order, and so a new serial, on every apply
// whatever the provider does; for it alone, the file must be the same once that list is sorted
// and the serial set aside.
func (e invariantEnv) stateUnchangedBy(step string, args ...string) {
	e.t.Helper()
	file := filepath.Join(e.Dir, "terraform.tfstate")
	before, err := os.ReadFile(file)
	if err != nil {
		e.t.Fatal(err)
	}
	for range 2 {
		if r := e.apply(args...); !strings.Contains(r.Stdout, "No changes.") {
			e.t.Fatalf("%s: the apply was not a no-change apply:\n%s", step, e.Tail(r.Stdout, 30))
		}
	}
	after, err := os.ReadFile(file)
	if err != nil {
		e.t.Fatal(err)
	}
	if bytes.Equal(before, after) {
		return
	}
	if stable, _ := supports(e.t, e.Env, stableSensitiveOrder); !stable &&
		normalizedState(e.t, before, false) != normalizedState(e.t, after, false) &&
		normalizedState(e.t, before, true) == normalizedState(e.t, after, true) {
		e.t.Logf("%s: %s reordered sensitive_attributes (and moved the serial); nothing else changed", step, e.Name())
		return
	}
	e.t.Errorf("%s: two no-change applies changed the state file:\n%s", step, lineDiff(string(before), string(after)))
}

// stableSensitiveOrder: the CLIs that write sensitive_attributes in the same order every time.
var stableSensitiveOrder = newerFeature{name: "a stable order of sensitive_attributes", terraform: "1.15.0", tofu: "1.0.0"}

// normalizedState is a state file without its serial and, when sorted, with each instance's
// sensitive_attributes in a fixed order.
func normalizedState(t *testing.T, raw []byte, sorted bool) string {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	delete(st, "serial")
	resources, _ := st["resources"].([]any)
	for _, r := range resources {
		instances, _ := r.(map[string]any)["instances"].([]any)
		for _, in := range instances {
			paths, _ := in.(map[string]any)["sensitive_attributes"].([]any)
			if sorted {
				sort.Slice(paths, func(i, j int) bool { return fmt.Sprint(paths[i]) < fmt.Sprint(paths[j]) })
			}
		}
	}
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

const writeOnlyVariables = `
variable "ak" {
  type      = string
  default   = null
  ephemeral = true
  sensitive = true
}
variable "sk" {
  type      = string
  default   = null
  ephemeral = true
  sensitive = true
}
variable "region" {
  type    = string
  default = "eu-central-1"
}
`

func writeOnlySecret(attributes string) string {
	return writeOnlyVariables + `
resource "luml_bucket_secret" "s" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "models"
  region      = var.region
` + attributes + `
}
`
}

// Write-only keys are not in the state: a later run without them, with or without their
// attributes and version, is refused at plan time; with them, it updates.
func TestCredentialInvariantWriteOnly(t *testing.T) {
	e := newInvariantEnv(t)
	keys := []string{"-var=ak=" + invAccessKey, "-var=sk=" + invSecretKey}
	withWO := writeOnlySecret("  access_key_wo = var.ak\n  secret_key_wo = var.sk\n  credentials_wo_version = 1")
	e.WriteConfig(withWO)
	e.apply(keys...)
	id := e.onlySecret()
	e.storedKeys("create", id, invAccessKey, invSecretKey, "")
	e.stateUnchangedBy("no change, without the write-only values")

	out := e.refused("region changed, variables absent", "Update would erase the stored credentials",
		"apply", "-auto-approve", "-input=false", "-no-color", "-var=region=eu-west-1")
	for _, want := range []string{"access_key (or access_key_wo)", "give them in every run that updates the secret", "no_credentials = true"} {
		if !strings.Contains(out, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, out)
		}
	}
	e.storedKeys("region changed, variables absent", id, invAccessKey, invSecretKey, "")

	e.apply(append(keys, "-var=region=eu-west-1")...)
	e.storedKeys("region changed with the variables", id, invAccessKey, invSecretKey, "")
	if s, _ := e.Fake.Secret(id); s.Region == nil || *s.Region != "eu-west-1" {
		t.Fatal("the update with the write-only values did not reach LUML")
	}

	e.WriteConfig(writeOnlySecret("  credentials_wo_version = 1"))
	e.refused("write-only attributes removed, version kept", "Update would erase the stored credentials",
		"plan", "-input=false", "-no-color", "-var=region=eu-central-1")
	e.WriteConfig(writeOnlySecret(""))
	e.refused("write-only attributes and version removed", "Update would erase the stored credentials",
		"plan", "-input=false", "-no-color", "-var=region=eu-west-1")
	e.storedKeys("write-only attributes removed", id, invAccessKey, invSecretKey, "")

	// A rotation: new values and a new version.
	e.WriteConfig(strings.Replace(withWO, "credentials_wo_version = 1", "credentials_wo_version = 2", 1))
	e.apply("-var=ak="+invAccessKey2, "-var=sk="+invSecretKey2, "-var=region=eu-west-1")
	e.storedKeys("write-only rotation", id, invAccessKey2, invSecretKey2, "")
	// A destroy plans the configuration first: without the keys, the guard refuses that plan;
	// -refresh=false skips it.
	e.apply("-destroy", "-refresh=false")
	if len(e.Fake.Secrets(e.Org.ID)) != 0 {
		t.Error("the destroy left the secret")
	}
}

func plainSecret(attributes string) string {
	return `
resource "luml_bucket_secret" "s" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "models"
` + attributes + `
}
`
}

// Keys removed from the configuration are refused; a full rotation and a new pair without the
// old session token apply; keys unknown at plan and null at apply are refused before any request.
func TestCredentialInvariantPlain(t *testing.T) {
	e := newInvariantEnv(t)
	e.WriteConfig(plainSecret(fmt.Sprintf("  region = \"eu-central-1\"\n  access_key = %q\n  secret_key = %q\n  session_token = %q",
		invAccessKey, invSecretKey, invToken)))
	e.apply()
	id := e.onlySecret()
	e.storedKeys("create", id, invAccessKey, invSecretKey, invToken)
	e.stateUnchangedBy("no change")

	e.WriteConfig(plainSecret(`  region = "eu-west-1"`))
	e.refused("keys removed", "Update would erase the stored credentials", "plan", "-input=false", "-no-color")
	e.storedKeys("keys removed", id, invAccessKey, invSecretKey, invToken)

	// A session token belongs to its key pair: a new pair without one removes it.
	e.WriteConfig(plainSecret(fmt.Sprintf("  region = \"eu-central-1\"\n  access_key = %q\n  secret_key = %q",
		invAccessKey2, invSecretKey2)))
	e.apply()
	e.storedKeys("rotation", id, invAccessKey2, invSecretKey2, "")

	// The ID of a terraform_data created in the same run is unknown at plan: the keys too, and
	// then null.
	e.WriteConfig(plainSecret(`  region = "eu-west-1"
  access_key = terraform_data.keys.id == "" ? "never" : null
  secret_key = terraform_data.keys.id == "" ? "never" : null`) + "\nresource \"terraform_data\" \"keys\" {}\n")
	e.MustRun("plan", "-input=false", "-no-color") // unknown at plan: let through
	e.refused("keys unknown at plan, null at apply", "Update would erase the stored credentials",
		"apply", "-auto-approve", "-input=false", "-no-color")
	e.storedKeys("keys unknown at plan, null at apply", id, invAccessKey2, invSecretKey2, "")
}

// A secret imported with keys: -replace from a configuration without credentials is refused;
// no_credentials = true is the one way to send an update without them.
func TestCredentialInvariantImported(t *testing.T) {
	e := newInvariantEnv(t)
	secret := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr(invAccessKey), SecretKey: ptr(invSecretKey),
	})
	config := fmt.Sprintf(`
import {
  to = luml_bucket_secret.s
  id = %q
}

resource "luml_bucket_secret" "s" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "models"
  region      = "eu-central-1"
%%s
}
`, secret.ID)
	e.WriteConfig(fmt.Sprintf(config, ""))
	e.apply()
	e.stateUnchangedBy("no change after the import")

	e.refused("-replace", "Replacement would erase the stored credentials",
		"plan", "-input=false", "-no-color", "-replace=luml_bucket_secret.s")
	e.refused("-replace", "Replacement would erase the stored credentials",
		"apply", "-auto-approve", "-input=false", "-no-color", "-replace=luml_bucket_secret.s")
	e.storedKeys("-replace", secret.ID, invAccessKey, invSecretKey, "")

	e.WriteConfig(strings.Replace(fmt.Sprintf(config, "  no_credentials = true"), `"eu-central-1"`, `"eu-west-1"`, 1))
	e.apply()
	e.storedKeys("no_credentials = true", secret.ID, "", "", "")
}

// The provider's own secret created without credentials updates freely; creating it warns
// unless no_credentials = true says so.
func TestCredentialInvariantOwnSecretWithout(t *testing.T) {
	e := newInvariantEnv(t)
	secret := func(region, extra string) string {
		return fmt.Sprintf(`
resource "luml_bucket_secret" "s" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "public-models"
  region      = %q
%s
}
`, region, extra)
	}
	e.WriteConfig(secret("eu-central-1", ""))
	r := e.MustRun("plan", "-input=false", "-no-color")
	if out := strings.Join(strings.Fields(r.Stdout+r.Stderr), " "); !strings.Contains(out, "Warning: Bucket secret without credentials") ||
		!strings.Contains(out, "no_credentials = true") {
		t.Errorf("the plan of a new secret without credentials does not warn:\n%s", e.Tail(r.Stdout+r.Stderr, 30))
	}
	e.WriteConfig(secret("eu-central-1", "  no_credentials = true"))
	if r := e.MustRun("plan", "-input=false", "-no-color"); strings.Contains(r.Stdout+r.Stderr, "without credentials") {
		t.Errorf("no_credentials = true does not silence the warning:\n%s", e.Tail(r.Stdout+r.Stderr, 30))
	}
	e.WriteConfig(secret("eu-central-1", ""))
	e.apply()
	e.WriteConfig(secret("eu-west-1", ""))
	e.apply()
	if s, _ := e.Fake.Secret(e.onlySecret()); s.Region == nil || *s.Region != "eu-west-1" || s.AccessKey != nil {
		t.Error("the update of the provider's own secret without credentials did not reach LUML")
	}
}

// An Azure secret with connection_string_wo updates when the run gives the value again.
func TestCredentialInvariantAzureWriteOnly(t *testing.T) {
	e := newInvariantEnv(t)
	const cs = "DefaultEndpointsProtocol=https;AccountName=invariant;AccountKey=aW52YXJpYW50;EndpointSuffix=core.windows.net"
	e.Redact(cs)
	config := func(container string) string {
		return fmt.Sprintf(`
variable "cs" {
  type      = string
  default   = null
  ephemeral = true
  sensitive = true
}

resource "luml_bucket_secret" "s" {
  type                   = "azure"
  bucket_name            = %q
  connection_string_wo   = var.cs
  credentials_wo_version = 1
}
`, container)
	}
	e.WriteConfig(config("models"))
	e.apply("-var=cs=" + cs)
	id := e.onlySecret()
	e.stateUnchangedBy("no change", "-var=cs="+cs)
	e.WriteConfig(config("models-v2"))
	e.apply("-var=cs=" + cs)
	if s, _ := e.Fake.Secret(id); s.Endpoint != cs || s.BucketName != "models-v2" {
		t.Errorf("the update did not keep the connection string or change the container")
	}
	e.WriteConfig(config("models-v3"))
	e.refused("connection string absent", "Error:", "plan", "-input=false", "-no-color")
	if s, _ := e.Fake.Secret(id); s.Endpoint != cs || s.BucketName != "models-v2" {
		t.Errorf("a run without the connection string changed the secret")
	}
}

// lineDiff lists the lines of a and b that differ, position by position.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
	}
	return strings.Join(out, "\n")
}
