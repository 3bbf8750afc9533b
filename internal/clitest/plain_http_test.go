package clitest_test

import (
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
)

// nonLoopbackIPv4 is an address of this machine that is not a loopback one, or "".
func nonLoopbackIPv4() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if ipNet, ok := a.(*net.IPNet); ok && !ipNet.IP.IsLoopback() && ipNet.IP.To4() != nil {
			return ipNet.IP.String()
		}
	}
	return ""
}

// TestPlainHTTPToAnotherMachine points base_url at the emulator through a non-loopback
// address: without the opt-in, validate and plan fail and no request reaches it; with
// LUML_ALLOW_INSECURE_HTTP, plan and apply run and each warns once.
func TestPlainHTTPToAnotherMachine(t *testing.T) {
	e := clitest.New(t)
	ip := nonLoopbackIPv4()
	if ip == "" {
		t.Skip("this machine has no non-loopback IPv4 address")
	}
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(e.Fake)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	e.WriteConfig(`
provider "luml" {
  base_url = "` + srv.URL + `"
}

resource "luml_bucket_secret" "s" {
  endpoint       = "s3.eu-central-1.amazonaws.com"
  bucket_name    = "models"
  region         = "eu-central-1"
  no_credentials = true
}
`)
	e.Fake.ResetRequests()
	for _, args := range [][]string{{"validate", "-no-color"}, {"plan", "-input=false", "-no-color"}} {
		r := e.Run(args...)
		if out := strings.Join(strings.Fields(r.Stdout+r.Stderr), " "); r.ExitCode == 0 ||
			!strings.Contains(out, "Error: Plain HTTP to a remote LUML API") || !strings.Contains(out, "allow_insecure_http") {
			t.Errorf("%s %s was not refused:\n%s", e.Name(), args[0], e.Tail(r.Stdout+r.Stderr, 30))
		}
	}
	if n := len(e.Fake.Requests()); n != 0 {
		t.Errorf("%d requests reached the API over plain HTTP", n)
	}

	e.Setenv("LUML_ALLOW_INSECURE_HTTP", "true")
	for _, args := range [][]string{{"plan", "-input=false", "-no-color"}, {"apply", "-auto-approve", "-input=false", "-no-color"}} {
		r := e.MustRun(args...)
		if n := strings.Count(r.Stdout+r.Stderr, "Warning: Plain HTTP to a remote LUML API"); n != 1 {
			t.Errorf("the opted-in %s warns %d times, want once:\n%s", args[0], n, e.Tail(r.Stdout+r.Stderr, 30))
		}
	}
	if len(e.Fake.Secrets(e.Org.ID)) != 1 {
		t.Error("the opted-in apply did not create the secret")
	}
}
