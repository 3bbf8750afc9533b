package provider

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// startService runs an object-store emulator until the test ends and waits, up to patience,
// for probeURL to give any HTTP answer. Start it after creating its t.TempDir: cleanups run
// last-registered first, so its data is removed once it is gone. name labels the failures,
// which carry its output.
func startService(t *testing.T, name string, cmd *exec.Cmd, probeURL string, patience time.Duration) {
	t.Helper()
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// stop ends the service and waits for it, after which its output may be read. It may be
	// called again: the exit status goes back into the channel.
	stop := func() error {
		_ = cmd.Process.Kill()
		err := <-exited
		exited <- err
		return err
	}
	t.Cleanup(func() { _ = stop() })

	// A service loads in seconds on an idle machine, far longer on a busy one: poll.
	probe := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(patience)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("%s exited before answering (%v):\n%s", name, err, output.String())
		default:
		}
		// Any HTTP answer will do; an anonymous request gets 403.
		resp, err := probe.Get(probeURL)
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			err := stop()
			t.Fatalf("%s did not answer at %s within %v (%v):\n%s", name, probeURL, patience, err, output.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freeLoopbackAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// checkPUTStatus PUTs body to a presigned URL and checks the status of the answer. Failures
// name the URL by what, never show it: it carries a signature.
func checkPUTStatus(ctx context.Context, t *testing.T, what, url, body string, want int) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s URL: invalid", what)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s URL: PUT failed", what)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Errorf("%s URL: PUT answered %d, want %d", what, resp.StatusCode, want)
	}
}
