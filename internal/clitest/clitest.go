// Package clitest runs the real terraform or tofu CLI against this provider, built once per
// test process, and an in-process LUML API emulator. It covers what terraform-plugin-testing
// cannot: a provider in its own process (as users run it), signals sent to the CLI, the CLI's
// own log file, and plan files on disk.
//
// The CLI is TF_ACC_TERRAFORM_PATH when set, otherwise terraform from PATH. Tests run only
// with TF_ACC=1, like acceptance tests.
package clitest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
	// Linked, though only built by `go build` below, so that go test's cache, which keys on
	// the test binary, reruns these tests when the provider changes.
	_ "github.com/luml-ai/terraform-provider-luml/internal/provider"
)

// ProviderSource is the provider's address in the configurations the tests write, and the
// one the dev_overrides CLI configuration points at the test build.
const ProviderSource = "luml-ai/luml"

const modulePath = "github.com/luml-ai/terraform-provider-luml"

// The provider is built once per test process, into a directory Main removes.
var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// Main runs the tests and removes the provider build they shared. Use it from TestMain:
// os.Exit(clitest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	return code
}

func providerDir(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		// Not t.TempDir: every test of the process uses the build, and Main removes it.
		buildDir, buildErr = os.MkdirTemp("", "luml-clitest-") //nolint:usetesting
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, "terraform-provider-luml"), modulePath)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build %s: %v\n%s", modulePath, err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// cliPath is the terraform or tofu binary the tests run.
func cliPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("terraform is not on PATH; set TF_ACC_TERRAFORM_PATH to a terraform or tofu binary")
	}
	return p
}

// Env is one working directory with its own emulated LUML API: one organization and its
// owner, whose API key the CLI gets through LUML_API_KEY.
type Env struct {
	t    *testing.T
	cli  string
	Dir  string
	Fake *lumlfake.Server
	URL  string
	Org  lumlfake.Organization
	// APIKey is the owner's key. It is redacted from whatever the harness prints.
	APIKey string

	env     map[string]string
	secrets []string
}

// New starts an emulator and prepares a working directory for the CLI. It skips the test
// unless TF_ACC is set. Middleware, if any, wraps the emulator, to watch what it answers.
func New(t *testing.T, middleware ...func(http.Handler) http.Handler) *Env {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the terraform or tofu CLI: set TF_ACC=1 (make testacc)")
	}
	cli := cliPath(t)
	plugins := providerDir(t)

	fake := lumlfake.New(lumlfake.Options{})
	var handler http.Handler = fake
	for _, m := range middleware {
		handler = m(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	org, owner := fake.AddOwnedOrganization("Acme", "owner@acme.test")

	root := t.TempDir()
	dir := filepath.Join(root, "work")
	home := filepath.Join(root, "home")
	for _, d := range []string{dir, home} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// dev_overrides makes the CLI use the test build without `init`.
	rc := filepath.Join(root, "cli.tfrc")
	writeFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
  }
  direct {}
}
`, ProviderSource, plugins))

	return &Env{
		t:      t,
		cli:    cli,
		Dir:    dir,
		Fake:   fake,
		URL:    srv.URL,
		Org:    org,
		APIKey: owner.APIKey,
		// A clean environment: nothing from the developer's shell changes what the CLI does.
		env: map[string]string{
			"PATH":               os.Getenv("PATH"),
			"HOME":               home,
			"TMPDIR":             os.TempDir(),
			"TF_CLI_CONFIG_FILE": rc,
			"CHECKPOINT_DISABLE": "1",
			"TF_IN_AUTOMATION":   "1",
			"LUML_BASE_URL":      srv.URL,
			"LUML_API_KEY":       owner.APIKey,
			"LUML_ORGANIZATION":  org.ID,
		},
		secrets: []string{owner.APIKey},
	}
}

// Name is the CLI's file name, terraform or tofu, for reports.
func (e *Env) Name() string { return filepath.Base(e.cli) }

// Setenv sets a variable in the environment of every later CLI run.
func (e *Env) Setenv(key, value string) { e.env[key] = value }

// Redact adds values that the harness must never print, in failures included.
func (e *Env) Redact(values ...string) { e.secrets = append(e.secrets, values...) }

// WriteConfig writes main.tf: the required_providers block, then body.
func (e *Env) WriteConfig(body string) {
	e.t.Helper()
	writeFile(e.t, filepath.Join(e.Dir, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    luml = {
      source = %q
    }
  }
}
%s`, ProviderSource, body))
}

// Result is the outcome of one CLI run.
type Result struct {
	Args     []string
	Stdout   string
	Stderr   string
	ExitCode int
	Duration time.Duration
}

// Process is a CLI run in the background.
type Process struct {
	e       *Env
	cmd     *exec.Cmd
	started time.Time
	stdout  bytes.Buffer
	stderr  bytes.Buffer
	done    chan struct{}
	result  Result
}

// Start runs the CLI with args in the working directory without waiting for it. The CLI leads
// its own process group, as a command in a terminal does, so Interrupt reaches the provider
// plugins too.
func (e *Env) Start(args ...string) *Process {
	e.t.Helper()
	cmd := exec.Command(e.cli, args...)
	cmd.Dir = e.Dir
	for k, v := range e.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &Process{e: e, cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.stdout, &p.stderr
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		e.t.Fatalf("starting %s: %v", e.Name(), err)
	}
	go func() {
		err := cmd.Wait()
		p.result = Result{
			Args: args, Stdout: p.stdout.String(), Stderr: p.stderr.String(),
			ExitCode: cmd.ProcessState.ExitCode(), Duration: time.Since(p.started),
		}
		if err != nil && p.result.ExitCode < 0 {
			p.result.ExitCode = -1
		}
		close(p.done)
	}()
	e.t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-p.done
		}
	})
	return p
}

// Interrupt sends SIGINT to the CLI's process group, as Ctrl-C does.
func (p *Process) Interrupt() {
	if err := syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT); err != nil {
		p.e.t.Fatalf("interrupting %s: %v", p.e.Name(), err)
	}
}

// Wait waits for the CLI to exit, at most timeout.
func (p *Process) Wait(timeout time.Duration) Result {
	p.e.t.Helper()
	select {
	case <-p.done:
		return p.result
	case <-time.After(timeout):
		p.e.t.Fatalf("%s %s still running after %v", p.e.Name(), strings.Join(p.cmd.Args[1:], " "), timeout)
		return Result{}
	}
}

// Run runs the CLI with args and returns its outcome, whatever the exit code.
func (e *Env) Run(args ...string) Result {
	e.t.Helper()
	return e.Start(args...).Wait(5 * time.Minute)
}

// MustRun runs the CLI and fails the test unless it exits with 0.
func (e *Env) MustRun(args ...string) Result {
	e.t.Helper()
	r := e.Run(args...)
	if r.ExitCode != 0 {
		e.t.Fatalf("%s exited with %d:\n%s", e.describe(r), r.ExitCode, e.Tail(r.Stdout+r.Stderr, 40))
	}
	return r
}

func (e *Env) describe(r Result) string {
	return e.Name() + " " + strings.Join(r.Args, " ")
}

// Tail returns the last n lines of CLI output with every secret redacted, for failure messages.
func (e *Env) Tail(output string, n int) string {
	for _, s := range e.secrets {
		if s != "" {
			output = strings.ReplaceAll(output, s, "<redacted>")
		}
	}
	lines := strings.Split(strings.TrimRight(output, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Report logs a line and, when LUML_CLITEST_REPORT names a directory, writes it to the file
// <name>-<cli>.txt there, for the Makefile to print after the tests.
func (e *Env) Report(name, format string, args ...any) {
	e.t.Helper()
	line := fmt.Sprintf(format, args...)
	e.t.Log(line)
	dir := os.Getenv("LUML_CLITEST_REPORT")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		e.t.Fatal(err)
	}
	path := filepath.Join(dir, name+"-"+e.Name()+".txt")
	if err := os.WriteFile(path, []byte(line+"\n"), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
