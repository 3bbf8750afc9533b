package lumlfake_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// After an unhandled exception's 500, the server answers the next request on the same
// connection with a TCP reset, as uvicorn does.
func TestUnhandled500ResetsTheConnectionsNextRequest(t *testing.T) {
	fake := lumlfake.New(lumlfake.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault500})

	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	send := func() (*http.Response, error) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/v1/users/me/organizations", nil)
		if err := req.Write(conn); err != nil {
			return nil, err
		}
		return http.ReadResponse(r, req)
	}

	first, err := send()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(first.Body)
	_ = first.Body.Close()
	if first.StatusCode != http.StatusInternalServerError || string(body) != "Internal Server Error" {
		t.Fatalf("first answer %d %q, want the bare 500", first.StatusCode, body)
	}
	if resp, err := send(); !errors.Is(err, syscall.ECONNRESET) {
		status := 0
		if resp != nil {
			status = resp.StatusCode
			_ = resp.Body.Close()
		}
		t.Fatalf("the next request on the connection got %d, %v; want a connection reset", status, err)
	}
	if n := fake.CountRequests("", "/v1/"); n != 1 {
		t.Errorf("%d requests recorded, want only the one answered", n)
	}
}

// Any other answer leaves the connection usable.
func TestHandledErrorsKeepTheConnection(t *testing.T) {
	fake := lumlfake.New(lumlfake.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault503})

	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for i, want := range []int{http.StatusServiceUnavailable, http.StatusUnauthorized} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/v1/users/me/organizations", nil)
		if err := req.Write(conn); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(r, req)
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("request %d answered %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}
