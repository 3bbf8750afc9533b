// Command bench measures the LUML provider against its floors: a no-op provider on the same
// plugin framework with the same schema (./noop), and Terraform's built-in terraform_data.
// For each API latency and each N it runs apply, a no-change plan and destroy of N resources
// of each kind, alternating the kinds, several times; it counts the emulator's HTTP requests
// per phase and each provider process's peak memory, plans one multipart-upload-URLs data source
// and ephemeral resource at growing part counts, times the upload action against a plain Go
// loop (upload.go), runs the repository's Go benchmarks, and writes results.md and chart.png.
// Run it with `make bench`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type config struct {
	terraform   string
	repo        string // the provider's repository, built and benchmarked
	out         string
	counts      []int
	latencies   []time.Duration
	reps        int
	memoryCount int // luml and noop at this N too, without latency, memoryReps times
	memoryReps  int
	schemaN     int // N of the schema section (0: skip it)
	schemaReps  int
	baseline    string // a commit whose provider is measured too, at -memory-n and -schema-n
	parallelism int
	goBench     bool
	quietWait   time.Duration
	// multipartParts are the part counts of the multipart section; multipartOnly skips
	// everything else and prints that section instead of writing results.
	multipartParts []int
	multipartOnly  bool
	upload         uploadConfig
	// refreshCounts and refreshLatencies are the Ns and latencies of the refresh section;
	// refreshOnly skips everything else and prints that section instead of writing results.
	refreshCounts    []int
	refreshLatencies []time.Duration
	refreshReps      int
	refreshOnly      bool
}

func parseFlags(args []string) (config, error) {
	c := config{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&c.terraform, "terraform", "terraform", "terraform binary")
	fs.StringVar(&c.repo, "repo", "..", "the provider's repository")
	fs.StringVar(&c.out, "out", "results", "directory for results.md and chart.png")
	counts := fs.String("n", "50,200,500", "numbers of resources, comma-separated")
	latencies := fs.String("latency", "0,50ms,200ms", "API latencies, comma-separated")
	fs.IntVar(&c.reps, "reps", 3, "repetitions of each measurement")
	fs.IntVar(&c.memoryCount, "memory-n", 1000, "N of extra runs of luml and noop without latency (0: none)")
	fs.IntVar(&c.memoryReps, "memory-reps", 3, "repetitions at -memory-n")
	fs.IntVar(&c.schemaN, "schema-n", 500, "N of the schema section, which measures no-op schema variants (0: skip it)")
	fs.IntVar(&c.schemaReps, "schema-reps", 3, "repetitions of each schema variant")
	fs.StringVar(&c.baseline, "baseline", "", "a git commit whose provider is measured besides the tree's, at -memory-n and -schema-n, for before and after")
	fs.IntVar(&c.parallelism, "parallelism", 10, "terraform -parallelism")
	fs.BoolVar(&c.goBench, "go-bench", true, "also run the repository's Go benchmarks")
	fs.DurationVar(&c.quietWait, "quiet-wait", 15*time.Second, "before each cycle, wait at most this long for other processes to go idle")
	multipartParts := fs.String("multipart-parts", "200,1024,2560,5120", "part counts of the multipart section, comma-separated (none: skip it)")
	fs.BoolVar(&c.multipartOnly, "multipart-only", false, "run the multipart section alone and print it, writing no results")
	uploadFlags(fs, &c.upload)
	refreshCounts := fs.String("refresh-n", "500,1000", "numbers of resources of the refresh section, which times no-change plans at each -refresh-latency side by side (none: skip it)")
	refreshLatencies := fs.String("refresh-latency", "0,200ms", "API latencies of the refresh section, comma-separated")
	fs.IntVar(&c.refreshReps, "refresh-reps", 3, "repetitions of each plan of the refresh section")
	fs.BoolVar(&c.refreshOnly, "refresh-only", false, "run the refresh section alone and print it, writing no results")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	if c.counts, err = parseList(*counts, strconv.Atoi); err != nil {
		return c, fmt.Errorf("-n: %w", err)
	}
	if c.latencies, err = parseList(*latencies, parseLatency); err != nil {
		return c, fmt.Errorf("-latency: %w", err)
	}
	if *multipartParts != "none" {
		if c.multipartParts, err = parseList(*multipartParts, strconv.Atoi); err != nil {
			return c, fmt.Errorf("-multipart-parts: %w", err)
		}
		for _, parts := range c.multipartParts {
			if _, err := multipartSize(parts); err != nil {
				return c, fmt.Errorf("-multipart-parts: %w", err)
			}
		}
	}
	if c.multipartOnly && len(c.multipartParts) == 0 {
		return c, errors.New("-multipart-only needs -multipart-parts")
	}
	if *refreshCounts != "none" {
		if c.refreshCounts, err = parseList(*refreshCounts, strconv.Atoi); err != nil {
			return c, fmt.Errorf("-refresh-n: %w", err)
		}
		if c.refreshLatencies, err = parseList(*refreshLatencies, parseLatency); err != nil {
			return c, fmt.Errorf("-refresh-latency: %w", err)
		}
		if !slices.Contains(c.refreshLatencies, 0) {
			return c, errors.New("-refresh-latency needs 0, the plan the others are compared with")
		}
	}
	if c.refreshOnly && len(c.refreshCounts) == 0 {
		return c, errors.New("-refresh-only needs -refresh-n")
	}
	if c.multipartOnly && c.refreshOnly {
		return c, errors.New("-multipart-only and -refresh-only exclude each other")
	}
	if c.reps < 1 || c.parallelism < 1 || c.memoryReps < 1 || c.schemaReps < 1 || c.refreshReps < 1 {
		return c, errors.New("-reps, -memory-reps, -schema-reps, -refresh-reps and -parallelism must be at least 1")
	}
	return c, nil
}

func parseList[T any](s string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, f := range strings.Split(s, ",") {
		v, err := parse(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// parseLatency accepts a bare 0 besides Go durations.
func parseLatency(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

func run(ctx context.Context, cfg config, log io.Writer) error {
	repo, err := filepath.Abs(cfg.repo)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "luml-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	fmt.Fprintln(log, "Building the LUML provider and the no-op provider")
	pluginDir := filepath.Join(work, "plugins")
	if err := buildProviders(ctx, repo, pluginDir); err != nil {
		return err
	}
	if cfg.baseline != "" {
		if err := buildBaseline(ctx, repo, cfg.baseline, work, pluginDir); err != nil {
			return err
		}
	}
	api, err := startEmulator(ctx)
	if err != nil {
		return err
	}
	defer api.close()

	tf, err := newTerraform(cfg.terraform, work, pluginDir, api.env(), cfg.parallelism)
	if err != nil {
		return err
	}
	res := &results{cfg: cfg, started: time.Now(), terraformVersion: tf.version, source: sourceVersion(ctx, repo)}
	if cfg.upload.only {
		if err := measureUpload(ctx, cfg, work, pluginDir, api, res, log); err != nil {
			return err
		}
		fmt.Fprintf(log, "\n%s", res.uploadOnlyReport())
		return nil
	}
	if cfg.multipartOnly {
		if err := measureMultipart(ctx, cfg, tf, api, res, log); err != nil {
			return err
		}
		fmt.Fprintf(log, "\n%s", res.multipartOnlyReport())
		return nil
	}
	if cfg.refreshOnly {
		if err := measureRefresh(ctx, cfg, tf, api, res, log); err != nil {
			return err
		}
		fmt.Fprintf(log, "\n%s", res.refreshOnlyReport())
		return nil
	}
	if cfg.goBench {
		fmt.Fprintln(log, "Running the Go benchmarks")
		if res.goBenchmarks, err = runGoBenchmarks(ctx, repo); err != nil {
			return err
		}
	}
	if err := measure(ctx, cfg, tf, api, res, log); err != nil {
		return err
	}
	if err := measureRefresh(ctx, cfg, tf, api, res, log); err != nil {
		return err
	}
	if cfg.schemaN > 0 {
		if err := measureSchema(ctx, cfg, tf, api, res, log); err != nil {
			return err
		}
	}
	if err := measureMultipart(ctx, cfg, tf, api, res, log); err != nil {
		return err
	}
	if err := measureUpload(ctx, cfg, work, pluginDir, api, res, log); err != nil {
		return err
	}
	res.finished = time.Now()

	if err := os.MkdirAll(cfg.out, 0o750); err != nil {
		return err
	}
	resultsPath := filepath.Join(cfg.out, "results.md")
	previous, err := os.ReadFile(resultsPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	//nolint:gosec // -out is the user's choice of directory
	if err := os.WriteFile(resultsPath, []byte(withAnalysis(res.markdown(), string(previous))), 0o600); err != nil {
		return err
	}
	if err := writeChart(filepath.Join(cfg.out, "chart.png"), res); err != nil {
		return err
	}
	fmt.Fprintf(log, "\nWrote %s and %s\n\n", filepath.Join(cfg.out, "results.md"), filepath.Join(cfg.out, "chart.png"))
	fmt.Fprint(log, res.ratios())
	return nil
}

// sourceVersion names the measured code: its commit, marked when the tree has changes.
func sourceVersion(ctx context.Context, repo string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", repo, "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown (not a git checkout)"
	}
	return strings.TrimSpace(string(out))
}

// measure runs every kind at every latency and N, cfg.reps times, rotating the order of the
// kinds so that none always runs first (on a cold cache) or last.
func measure(ctx context.Context, cfg config, tf *terraform, api *emulator, res *results, log io.Writer) error {
	// One unrecorded round warms the page cache and Terraform's schema loading.
	for _, k := range kinds {
		if _, err := tf.cycle(ctx, k, cfg.counts[0], api); err != nil {
			return err
		}
	}
	for _, latency := range cfg.latencies {
		api.setLatency(latency)
		for rep := range cfg.reps {
			for _, n := range cfg.counts {
				for i := range kinds {
					k := kinds[(i+rep)%len(kinds)]
					if err := cycleInto(ctx, tf, api, res, log, latency, n, k, rep+1); err != nil {
						return err
					}
				}
			}
		}
	}
	if cfg.memoryCount > 0 {
		// terraform_data, which starts no provider, is left out: at this N it would add a
		// third to the time for no ratio the targets need.
		api.setLatency(0)
		pair := []kind{kindLUML, kindNoop}
		if cfg.baseline != "" {
			pair = append(pair, kindBefore)
		}
		for rep := range cfg.memoryReps {
			for i := range pair {
				if err := cycleInto(ctx, tf, api, res, log, 0, cfg.memoryCount, pair[(i+rep)%len(pair)], rep+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func cycleInto(ctx context.Context, tf *terraform, api *emulator, res *results, log io.Writer,
	latency time.Duration, n int, k kind, rep int) error {
	res.waited += waitForQuiet(ctx, res.cfg.quietWait)
	samples, err := tf.cycle(ctx, k, n, api)
	if err != nil {
		return err
	}
	line := make([]string, len(phases))
	for i, p := range phases {
		res.add(key{latency, n, k, p}, samples[i])
		line[i] = fmt.Sprintf("%s %.2fs", p, samples[i].wall.Seconds())
	}
	fmt.Fprintf(log, "latency %-4s N=%-4d %-14s run %d: %s\n", formatLatency(latency), n, k, rep, strings.Join(line, ", "))
	return nil
}
