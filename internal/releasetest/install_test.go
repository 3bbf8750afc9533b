package releasetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// installConstraint is the version constraint of the configuration that installs the release,
// as the examples write it; the snapshot's version must satisfy it.
const installConstraint = "~> 0.1"

// checkInstall installs the release as a user's machine installs it from the Terraform or
// OpenTofu Registry, with each CLI of clis (terraform or tofu binaries): `init` against a
// registry served from loopback, which hands out the release's own zips, SHA256SUMS, signature
// and public key, so that the CLI verifies them as it verifies a published release. The lock
// file must then hold every digest of SHA256SUMS, and a plan against the emulator, run by the
// installed binary, must succeed.
func checkInstall(t *testing.T, rel release, signer signingKey, clis []string) {
	t.Helper()
	reg := newRegistry(t, rel, signer)
	for _, cli := range clis {
		t.Run(filepath.Base(cli), func(t *testing.T) {
			installAndPlan(t, rel, reg, signer, cli)
		})
	}
}

func installAndPlan(t *testing.T, rel release, reg *httptest.Server, signer signingKey, cli string) {
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "cli.tfrc")
	writeFile(t, cliConfig, cliConfigFor(reg.URL), 0o644)
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(work, "main.tf"), installConfig, 0o644)

	api := lumlfake.New(lumlfake.Options{})
	_, owner := api.AddOwnedOrganization("Acme", "owner@example.com")
	apiServer := httptest.NewServer(api)
	t.Cleanup(apiServer.Close)

	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir, // no plugin cache, credentials or implied mirror of the user's
		"TMPDIR=" + dir,
		"TF_CLI_CONFIG_FILE=" + cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"LUML_BASE_URL=" + apiServer.URL,
		"LUML_API_KEY=" + owner.APIKey,
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), cli, args...)
		cmd.Dir = work
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(cli), strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	out := run("init", "-input=false", "-no-color")
	t.Logf("%s init:\n%s", filepath.Base(cli), out)
	// The CLI names the key it checked the signature of SHA256SUMS with.
	if !strings.Contains(out, "key ID "+signer.keyID) {
		t.Errorf("init does not report the signature by key %s:\n%s", signer.keyID, out)
	}
	checkLockFile(t, rel, filepath.Join(work, ".terraform.lock.hcl"))

	out = run("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "Plan: 1 to add, 0 to change, 0 to destroy.") {
		t.Errorf("plan does not add the bucket secret:\n%s", out)
	}
	userAgent := "terraform-provider-luml/" + rel.version + " "
	if !slices.ContainsFunc(api.Requests(), func(r lumlfake.RecordedRequest) bool {
		return strings.HasPrefix(r.Header.Get("User-Agent"), userAgent)
	}) {
		t.Errorf("no request to the emulator came from the installed provider (User-Agent %q...)", userAgent)
	}
}

// installConfig is a user's configuration: the provider from the registry with a version
// constraint, a resource and a data source.
var installConfig = fmt.Sprintf(`terraform {
  required_providers {
    luml = {
      source  = "luml-ai/luml"
      version = %q
    }
  }
}

provider "luml" {}

resource "luml_bucket_secret" "models" {
  endpoint    = "s3.eu-central-1.amazonaws.com"
  bucket_name = "release-check-models"
  region      = "eu-central-1"
}

data "luml_bucket_secrets" "all" {}
`, installConstraint)

// cliConfigFor points both registries' provider service at the loopback registry. The
// explicit provider_installation turns off the implied local mirrors, so nothing but the
// registry can supply the provider.
func cliConfigFor(registryURL string) string {
	var b strings.Builder
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		fmt.Fprintf(&b, "host %q {\n  services = {\n    \"providers.v1\" = %q\n  }\n}\n\n", host, registryURL+"/v1/providers/")
	}
	b.WriteString("provider_installation {\n  direct {}\n}\n")
	return b.String()
}

var lockHash = regexp.MustCompile(`"((?:zh|h1):[^"]+)"`)

// checkLockFile checks that init recorded the release: its version, the constraint, every
// digest of SHA256SUMS (zh:, trusted because the signature was checked) and the hash of the
// installed package (h1:).
func checkLockFile(t *testing.T, rel release, path string) {
	t.Helper()
	lock := string(readFile(t, path))
	for _, want := range []string{
		`provider "registry.`, // registry.terraform.io or registry.opentofu.org
		fmt.Sprintf("version     = %q", rel.version),
		fmt.Sprintf("constraints = %q", installConstraint),
	} {
		if !strings.Contains(lock, want) {
			t.Errorf(".terraform.lock.hcl lacks %s:\n%s", want, lock)
		}
	}
	var zh []string
	h1 := 0
	for _, m := range lockHash.FindAllStringSubmatch(lock, -1) {
		if sum, ok := strings.CutPrefix(m[1], "zh:"); ok {
			zh = append(zh, sum)
		} else {
			h1++
		}
	}
	// Every line of SHA256SUMS, the manifest's included, as a registry's lock files have them;
	// checkDist has compared them with the files.
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(string(readFile(t, rel.sums))), "\n") {
		sum, _, _ := strings.Cut(line, "  ")
		want = append(want, sum)
	}
	slices.Sort(zh)
	slices.Sort(want)
	want = slices.Compact(want) // files of equal bytes have one digest
	if !slices.Equal(zh, want) {
		t.Errorf(".terraform.lock.hcl: zh: hashes\n got  %q\n want the digests of SHA256SUMS %q", zh, want)
	}
	if h1 != 1 {
		t.Errorf(".terraform.lock.hcl: %d h1: hashes, want the installed package's:\n%s", h1, lock)
	}
}

// newRegistry serves the release over the provider registry protocol
// (https://developer.hashicorp.com/terraform/internals/provider-registry-protocol), which
// the OpenTofu Registry speaks too, with the files of the dist directory as downloads.
func newRegistry(t *testing.T, rel release, signer signingKey) *httptest.Server {
	t.Helper()
	type platform struct {
		OS   string `json:"os"`
		Arch string `json:"arch"`
	}
	var platforms []platform
	for _, p := range registryPlatforms {
		goos, arch, _ := strings.Cut(p, "_")
		platforms = append(platforms, platform{goos, arch})
	}
	protocols := []string{protocolVersion + ".0"}
	prefix := "/v1/providers/luml-ai/luml/"
	// Digested here, not in the handler, which runs outside the test's goroutine.
	shasums := map[string]string{}
	for _, p := range registryPlatforms {
		shasums[p] = sha256File(t, filepath.Join(rel.dist, rel.archive(p)))
	}

	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("GET "+prefix+"versions", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"versions": []any{map[string]any{
			"version": rel.version, "protocols": protocols, "platforms": platforms,
		}}})
	})
	mux.HandleFunc("GET "+prefix+"{version}/download/{os}/{arch}", func(w http.ResponseWriter, r *http.Request) {
		platform := r.PathValue("os") + "_" + r.PathValue("arch")
		shasum, ok := shasums[platform]
		if r.PathValue("version") != rel.version || !ok {
			http.NotFound(w, r)
			return
		}
		zip := rel.archive(platform)
		files := srv.URL + "/files/"
		writeJSON(w, map[string]any{
			"protocols":             protocols,
			"os":                    r.PathValue("os"),
			"arch":                  r.PathValue("arch"),
			"filename":              zip,
			"download_url":          files + zip,
			"shasums_url":           files + filepath.Base(rel.sums),
			"shasums_signature_url": files + filepath.Base(rel.sums) + ".sig",
			"shasum":                shasum,
			"signing_keys": map[string]any{"gpg_public_keys": []any{map[string]any{
				"key_id": signer.keyID, "ascii_armor": signer.publicKey,
			}}},
		})
	})
	mux.Handle("GET /files/", http.StripPrefix("/files/", http.FileServer(http.Dir(rel.dist))))
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// releaseCLIs are the terraform and tofu binaries of LUML_RELEASE_CLIS, separated by spaces.
func releaseCLIs(t *testing.T) []string {
	t.Helper()
	clis := strings.Fields(os.Getenv("LUML_RELEASE_CLIS"))
	for _, cli := range clis {
		if _, err := exec.LookPath(cli); err != nil {
			t.Fatalf("LUML_RELEASE_CLIS: %v", err)
		}
	}
	return clis
}
