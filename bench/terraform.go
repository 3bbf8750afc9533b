package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// kind is what a run manages: N resources of one type.
type kind string

const (
	kindLUML kind = "luml"
	kindNoop kind = "noop"
	kindData kind = "terraform_data"
)

var kinds = []kind{kindLUML, kindNoop, kindData}

// provider is the provider serving k: "luml", "noop" or "terraform" for terraform_data.
func (k kind) provider() string {
	if k == kindData {
		return "terraform"
	}
	name, _, _ := strings.Cut(string(k), "/")
	if k == kindBefore {
		return string(kindLUML)
	}
	return name
}

// source is the provider's source address after "luml-ai/": luml-before serves luml's
// resources from another binary.
func (k kind) source() string {
	if k == kindBefore {
		return string(kindBefore)
	}
	return k.provider()
}

// env is what k's provider processes get on top of Terraform's environment: the no-op
// provider's schema variant, after the slash in "noop/<variant>".
func (k kind) env() []string {
	if _, variant, ok := strings.Cut(string(k), "/"); ok {
		return []string{noopVariantEnv + "=" + variant}
	}
	return nil
}

// noopVariantEnv is the no-op provider's switch of schema variant (bench/noop).
const noopVariantEnv = "LUML_BENCH_NOOP_VARIANT"

type phase string

const (
	phaseApply   phase = "apply"
	phasePlan    phase = "plan"
	phaseDestroy phase = "destroy"
)

var phases = []phase{phaseApply, phasePlan, phaseDestroy}

// sample is one measured Terraform command.
type sample struct {
	measured
	requests requests
}

// buildProviders builds terraform-provider-luml from the repository and terraform-provider-noop
// from this module into dir.
func buildProviders(ctx context.Context, repo, dir string) error {
	for _, b := range []struct{ moduleDir, pkg, binary string }{
		{repo, ".", "terraform-provider-luml"},
		{filepath.Join(repo, "bench"), "./noop", "terraform-provider-noop"},
	} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(dir, b.binary), b.pkg) //nolint:gosec // fixed packages, into this run's directory
		cmd.Dir = b.moduleDir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %w\n%s", b.binary, err, out)
		}
	}
	return nil
}

// terraform runs Terraform with a CLI configuration whose dev_overrides point at the freshly
// built providers, so that no `terraform init` is needed.
type terraform struct {
	binary      string
	work        string
	env         []string
	parallelism int
	version     string
}

func newTerraform(binary, work, pluginDir string, extraEnv []string, parallelism int) (*terraform, error) {
	rc := filepath.Join(work, "cli.tfrc")
	cliConfig := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "luml-ai/luml" = %q
    "luml-ai/noop" = %q
    "luml-ai/luml-before" = %q
  }
  direct {}
}
`, pluginDir, pluginDir, pluginDir)
	if err := os.WriteFile(rc, []byte(cliConfig), 0o600); err != nil {
		return nil, err
	}
	var env []string
	for _, kv := range os.Environ() {
		// The caller's Terraform settings (CLI configuration, logging, extra arguments, data
		// directory) would change what is measured.
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "LUML_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	env = append(env, extraEnv...)
	t := &terraform{binary: binary, work: work, env: env, parallelism: parallelism}

	out, err := t.command(context.Background(), work, "version", "-json").Output()
	if err != nil {
		return nil, fmt.Errorf("%s version: %w", binary, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, fmt.Errorf("%s version -json: %w", binary, err)
	}
	t.version = v.Version
	return t, nil
}

func (t *terraform) command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, t.binary, args...) //nolint:gosec // the terraform binary the user chose
	cmd.Dir = dir
	cmd.Env = t.env
	return cmd
}

// cycle applies N resources of kind k in a fresh directory, plans again expecting no change,
// and destroys them: one sample per phase.
func (t *terraform) cycle(ctx context.Context, k kind, n int, api *emulator) ([]sample, error) {
	dir, err := os.MkdirTemp(t.work, strings.ReplaceAll(string(k), "/", "-")+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configuration(k, n)), 0o600); err != nil {
		return nil, err
	}
	par := fmt.Sprintf("-parallelism=%d", t.parallelism)
	commands := map[phase][]string{
		phaseApply:   {"apply", "-auto-approve", "-input=false", "-no-color", par},
		phasePlan:    {"plan", "-detailed-exitcode", "-input=false", "-no-color", par},
		phaseDestroy: {"destroy", "-auto-approve", "-input=false", "-no-color", par},
	}
	api.take()
	samples := make([]sample, len(phases))
	for i, p := range phases {
		cmd := t.command(ctx, dir, commands[p]...)
		cmd.Env = append(cmd.Env, k.env()...)
		var output bytes.Buffer
		cmd.Stdout, cmd.Stderr = &output, &output
		m, err := runMeasured(cmd)
		if err != nil {
			// -detailed-exitcode makes a plan with changes exit 2: the no-op plan was not one.
			return nil, fmt.Errorf("terraform %s of %d %s: %w\n%s", p, n, k, err, tail(output.String(), 40))
		}
		samples[i] = sample{measured: m, requests: api.take()}
	}
	return samples, nil
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// configuration is N resources of kind k. The bucket secrets carry what a real one does:
// endpoint, bucket, region and a key pair (AWS's documented example keys), unless k's schema
// has no access_key.
func configuration(k kind, n int) string {
	if k == kindData {
		return fmt.Sprintf(`resource "terraform_data" "bench" {
  count = %d
  input = {
    endpoint    = "https://s3.eu-central-1.amazonaws.com"
    bucket_name = "bench-${count.index}"
    region      = "eu-central-1"
  }
}
`, n)
	}
	keys := `
  access_key  = "AKIAIOSFODNN7EXAMPLE"
  secret_key  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`
	if withoutKeys(k) {
		keys = ""
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    %[1]s = {
      source = "luml-ai/%[4]s"
    }
  }
}

resource "%[1]s_bucket_secret" "bench" {
  count       = %[2]d
  endpoint    = "https://s3.eu-central-1.amazonaws.com"
  bucket_name = "bench-${count.index}"
  region      = "eu-central-1"%[3]s
}
`, k.provider(), n, keys, k.source())
}
