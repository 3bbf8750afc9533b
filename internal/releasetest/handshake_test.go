package releasetest

import (
	"bufio"
	"bytes"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The handshake Terraform expects from a provider started as a plugin, from
// github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server.
const (
	magicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

// checkHandshake starts the provider as Terraform does and reads the go-plugin handshake
// line, CORE-PROTOCOL|APP-PROTOCOL|NETWORK|ADDRESS|PROTOCOL, from its stdout; then it
// connects to the address the provider listens on, and stops the provider.
func checkHandshake(t *testing.T, bin string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin)
	cmd.Env = []string{
		magicCookieKey + "=" + magicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=" + protocolVersion,
		"PLUGIN_MIN_PORT=10000",
		"PLUGIN_MAX_PORT=25000",
		"TMPDIR=" + t.TempDir(), // the Unix socket goes here
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the provider: %v", err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("the provider printed no handshake within 30s; stderr:\n%s", stderr.String())
	}
	line = strings.TrimSpace(line)
	parts := strings.Split(line, "|")
	if len(parts) < 5 || parts[0] != "1" || parts[1] != protocolVersion ||
		(parts[2] != "tcp" && parts[2] != "unix") || parts[3] == "" || parts[4] != "grpc" {
		t.Fatalf("handshake %q, want \"1|%s|tcp or unix|<address>|grpc\"; stderr:\n%s", line, protocolVersion, stderr.String())
	}
	conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(t.Context(), parts[2], parts[3])
	if err != nil {
		t.Fatalf("handshake %q, but the provider does not accept connections: %v", line, err)
	}
	_ = conn.Close()
	t.Logf("%s answers the plugin handshake: %s", filepath.Base(bin), line)
}
