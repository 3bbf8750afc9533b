// Command lumlfake serves the in-memory LUML API emulator for manual runs
// and scripts. It seeds one organization with one owner and prints the
// environment a client needs:
//
//	LUML_BASE_URL=http://127.0.0.1:PORT
//	LUML_API_KEY=dfs_...
//	LUML_ORGANIZATION=Acme
//
// -env-file writes the same as export lines, for a shell to source. Under
// /_lumlfake/orbits, loopback clients can attach orbits to secrets (see
// admin.go). It runs until SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

func main() {
	opts, err := parseFlags(os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		return
	case err != nil:
		fmt.Fprintln(os.Stderr, "lumlfake:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lumlfake:", err)
		os.Exit(1)
	}
}

type options struct {
	addr        string
	org         string
	email       string
	envFile     string
	latency     time.Duration
	faultRate   float64
	faultSeed   int64
	objectStore bool
	requestsLog string
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("lumlfake", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:0", "address to listen on")
	fs.StringVar(&o.org, "org", "Acme", "name of the seeded organization")
	fs.StringVar(&o.email, "email", "owner@example.com", "e-mail of the seeded owner")
	fs.StringVar(&o.envFile, "env-file", "", "also write the LUML_* lines to this file (mode 0600) once listening")
	fs.DurationVar(&o.latency, "latency", 0, "delay added to every API request, e.g. 50ms")
	fs.Float64Var(&o.faultRate, "fault-rate", 0, "probability that an API request fails with 503, 429 or a dropped response")
	fs.Int64Var(&o.faultSeed, "fault-seed", 1, "seed of the random faults")
	fs.BoolVar(&o.objectStore, "object-store", false, "also serve an in-memory object store and print LUML_OBJECT_STORE")
	fs.StringVar(&o.requestsLog, "requests-log", "", "on exit, write the request log to this file as JSON lines")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return o, nil
}

// run serves until ctx is done, then shuts down and writes the request log.
func run(ctx context.Context, opts options, stdout io.Writer) error {
	api := lumlfake.New(lumlfake.Options{})
	org, owner := api.AddOwnedOrganization(opts.org, opts.email)
	api.SetLatency(opts.latency)
	if opts.faultRate > 0 {
		api.SetRandomFaults(lumlfake.RandomFaults{
			Rate:  opts.faultRate,
			Seed:  opts.faultSeed,
			Kinds: []lumlfake.FaultKind{lumlfake.Fault503, lumlfake.Fault429, lumlfake.FaultDrop},
		})
	}

	var lc net.ListenConfig
	apiLn, err := lc.Listen(ctx, "tcp", opts.addr)
	if err != nil {
		return err
	}
	servers := []*http.Server{{Handler: withAdmin(api, org.ID), ReadHeaderTimeout: 10 * time.Second}}
	listeners := []net.Listener{apiLn}
	env := []string{
		"LUML_BASE_URL=http://" + dialAddr(apiLn.Addr()),
		"LUML_API_KEY=" + owner.APIKey,
		"LUML_ORGANIZATION=" + org.Name,
	}
	if opts.objectStore {
		host, _, _ := net.SplitHostPort(opts.addr)
		storeLn, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			_ = apiLn.Close()
			return err
		}
		servers = append(servers, &http.Server{Handler: lumlfake.NewObjectStore(), ReadHeaderTimeout: 10 * time.Second})
		listeners = append(listeners, storeLn)
		env = append(env, "LUML_OBJECT_STORE="+dialAddr(storeLn.Addr()))
	}

	errs := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errs <- srv.Serve(listeners[i]) }()
	}
	_, err = io.WriteString(stdout, strings.Join(env, "\n")+"\n")
	if err == nil && opts.envFile != "" {
		err = writeFileAtomic(opts.envFile, exportLines(env))
	}
	if err == nil {
		select {
		case <-ctx.Done():
		case err = <-errs:
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		err = errors.Join(err, srv.Shutdown(shutdownCtx))
	}
	if opts.requestsLog != "" {
		err = errors.Join(err, writeRequestLog(opts.requestsLog, api.Requests()))
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// exportLines are the KEY=VALUE lines as a shell script that exports them, for `source`:
// Terraform, started from that shell, only sees exported variables.
func exportLines(env []string) string {
	var b strings.Builder
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s='%s'\n", k, strings.ReplaceAll(v, "'", `'\''`))
	}
	return b.String()
}

// dialAddr is the listener's address as a client would dial it: an
// unspecified IP (":0", "0.0.0.0:0") becomes the loopback.
func dialAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}

// writeFileAtomic writes through a temporary file and a rename, so that a
// script polling for path never reads it half-written.
func writeFileAtomic(path, text string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lumlfake-env-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // a no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(text); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// logLine is one request of the -requests-log file.
type logLine struct {
	Time     time.Time           `json:"time"`
	Method   string              `json:"method"`
	Path     string              `json:"path"`
	RawQuery string              `json:"raw_query,omitempty"`
	Header   map[string][]string `json:"header"`
	Body     string              `json:"body,omitempty"`
	Status   int                 `json:"status"`
	Fault    string              `json:"fault,omitempty"`
}

func writeRequestLog(path string, reqs []lumlfake.RecordedRequest) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, r := range reqs {
		line := logLine{
			Time:     r.Time,
			Method:   r.Method,
			Path:     r.Path,
			RawQuery: r.RawQuery,
			Header:   r.Header,
			Body:     string(r.Body),
			Status:   r.Status,
			Fault:    string(r.Fault),
		}
		if err := enc.Encode(line); err != nil {
			_ = f.Close()
			return err
		}
	}
	return f.Close()
}
