package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil)
	if err != nil || o.addr != "127.0.0.1:0" || o.org != "Acme" || o.faultRate != 0 || o.objectStore {
		t.Errorf("defaults %+v, %v", o, err)
	}
	o, err = parseFlags([]string{"-latency", "50ms", "-fault-rate", "0.3", "-fault-seed", "42", "-org", "Beta", "-object-store"})
	if err != nil || o.latency != 50*time.Millisecond || o.faultRate != 0.3 || o.faultSeed != 42 || o.org != "Beta" || !o.objectStore {
		t.Errorf("parsed %+v, %v", o, err)
	}
	if _, err := parseFlags([]string{"extra"}); err == nil {
		t.Error("a positional argument was accepted")
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	opts, err := parseFlags([]string{
		"-env-file", filepath.Join(dir, "luml.env"),
		"-requests-log", filepath.Join(dir, "requests.jsonl"),
		"-object-store",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, opts, &stdout) }()

	var envText []byte
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if envText, err = os.ReadFile(opts.envFile); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("env file: %v", err)
	}
	if info, err := os.Stat(opts.envFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("env file mode: %v %v", info.Mode(), err)
	}
	// The file works as the README uses it: sourced, then read by a program the shell starts.
	env := sourced(t, opts.envFile)
	var keys []string
	for sc := bufio.NewScanner(bytes.NewReader(stdout.Bytes())); sc.Scan(); {
		k, v, _ := strings.Cut(sc.Text(), "=")
		if env[k] != v {
			t.Errorf("stdout says %s=%q, the sourced env file %q", k, v, env[k])
		}
		keys = append(keys, k)
	}
	if strings.Join(keys, ",") != "LUML_BASE_URL,LUML_API_KEY,LUML_ORGANIZATION,LUML_OBJECT_STORE" ||
		!strings.HasPrefix(env["LUML_BASE_URL"], "http://127.0.0.1:") || !strings.HasPrefix(env["LUML_API_KEY"], "dfs_") ||
		env["LUML_ORGANIZATION"] != "Acme" || !strings.HasPrefix(env["LUML_OBJECT_STORE"], "127.0.0.1:") {
		t.Fatalf("env file:\n%s", envText)
	}

	req, _ := http.NewRequest(http.MethodGet, env["LUML_BASE_URL"]+"/v1/users/me/organizations", nil)
	req.Header.Set("Authorization", "Bearer "+env["LUML_API_KEY"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"name":"Acme","logo":null`) {
		t.Errorf("organizations: %d %s", resp.StatusCode, body)
	}
	storeResp, err := http.Get("http://" + env["LUML_OBJECT_STORE"] + "/bucket/missing")
	if err != nil {
		t.Fatal(err)
	}
	storeResp.Body.Close()
	if storeResp.StatusCode != http.StatusNotFound {
		t.Errorf("object store: %d", storeResp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
	logText, err := os.ReadFile(opts.requestsLog)
	if err != nil {
		t.Fatal(err)
	}
	var line struct {
		Method, Path string
		Status       int
	}
	if err := json.Unmarshal(bytes.TrimSpace(logText), &line); err != nil || line.Method != http.MethodGet || line.Path != "/v1/users/me/organizations" || line.Status != http.StatusOK {
		t.Errorf("request log %s (%v)", logText, err)
	}
}

// sourced returns the LUML_* variables a program started by sh sees after sourcing path.
func sourced(t *testing.T, path string) map[string]string {
	t.Helper()
	cmd := exec.Command("sh", "-c", `. "$1" && env`, "sh", path)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sourcing %s: %v", path, err)
	}
	env := map[string]string{}
	for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); {
		if k, v, _ := strings.Cut(sc.Text(), "="); strings.HasPrefix(k, "LUML_") {
			env[k] = v
		}
	}
	return env
}

// A value with quotes, a dollar sign and spaces comes out of the shell as it went in.
func TestExportLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "env")
	value := `Acme's "models" $HOME`
	if err := os.WriteFile(path, []byte(exportLines([]string{"LUML_ORGANIZATION=" + value})), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := sourced(t, path)["LUML_ORGANIZATION"]; got != value {
		t.Errorf("sourced %q, want %q", got, value)
	}
}
