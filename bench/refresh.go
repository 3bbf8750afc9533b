package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The refresh section measures the no-change `terraform plan` of N luml_bucket_secret against
// the API's latency. A refresh that reads each secret with its own request waits about
// N / parallelism round trips; one that reads them from the organization's list waits about
// one. The secrets are applied once per N without latency, then plans at each latency take
// turns, the order rotated from one repetition to the next, so that the plans compared ran
// side by side.

// targetRefreshLatency: the plan at the highest latency within this factor of the plan without.
const targetRefreshLatency = 1.25

type refreshKey struct {
	n       int
	latency time.Duration
}

// measureRefresh runs the section: for each N, an apply, cfg.refreshReps plans at each latency,
// and a destroy.
func measureRefresh(ctx context.Context, cfg config, tf *terraform, api *emulator, res *results, log io.Writer) error {
	for _, n := range cfg.refreshCounts {
		if err := measureRefreshOf(ctx, cfg, n, tf, api, res, log); err != nil {
			return err
		}
	}
	return nil
}

func measureRefreshOf(ctx context.Context, cfg config, n int, tf *terraform, api *emulator, res *results, log io.Writer) error {
	dir, err := os.MkdirTemp(tf.work, "refresh-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configuration(kindLUML, n)), 0o600); err != nil {
		return err
	}
	par := fmt.Sprintf("-parallelism=%d", tf.parallelism)
	run := func(args ...string) (measured, error) {
		cmd := tf.command(ctx, dir, append(args, "-input=false", "-no-color", par)...)
		var output bytes.Buffer
		cmd.Stdout, cmd.Stderr = &output, &output
		m, err := runMeasured(cmd)
		if err != nil {
			// -detailed-exitcode makes a plan with changes exit 2: the no-op plan was not one.
			return m, fmt.Errorf("terraform %s of %d luml: %w\n%s", args[0], n, err, tail(output.String(), 40))
		}
		return m, nil
	}
	api.setLatency(0)
	if _, err := run("apply", "-auto-approve"); err != nil {
		return err
	}
	lats := cfg.refreshLatencies
	for rep := range cfg.refreshReps {
		for i := range lats {
			latency := lats[(i+rep)%len(lats)]
			api.setLatency(latency)
			res.waited += waitForQuiet(ctx, cfg.quietWait)
			api.take()
			m, err := run("plan", "-detailed-exitcode")
			if err != nil {
				return err
			}
			s := sample{measured: m, requests: api.take()}
			res.addRefresh(refreshKey{n, latency}, s)
			fmt.Fprintf(log, "refresh N=%-4d latency %-5s run %d: plan %.2fs, %s\n", n, formatLatency(latency), rep+1,
				m.wall.Seconds(), s.requests)
		}
	}
	api.setLatency(0)
	_, err = run("destroy", "-auto-approve")
	return err
}

func (r *results) addRefresh(k refreshKey, s sample) {
	if r.refresh == nil {
		r.refresh = map[refreshKey][]sample{}
	}
	r.refresh[k] = append(r.refresh[k], s)
}

func (r *results) refreshSummary(k refreshKey) (summary, bool) {
	sub := results{samples: map[key][]sample{{}: r.refresh[k]}}
	return sub.summary(key{})
}

// refreshRatio is the median plan at latency over the median plan without latency.
func (r *results) refreshRatio(n int, latency time.Duration) (float64, bool) {
	base, ok1 := r.refreshSummary(refreshKey{n, 0})
	s, ok2 := r.refreshSummary(refreshKey{n, latency})
	if !ok1 || !ok2 || base.median == 0 {
		return 0, false
	}
	return s.median.Seconds() / base.median.Seconds(), true
}

func (r *results) refreshTargets() []target {
	if len(r.refresh) == 0 {
		return nil
	}
	var ts []target
	highest := slices.Max(r.cfg.refreshLatencies)
	for _, n := range r.cfg.refreshCounts {
		if ratio, ok := r.refreshRatio(n, highest); ok && highest > 0 {
			ts = append(ts, target{
				name: fmt.Sprintf("no-change plan of N = %d at %s latency within %.2f × the plan without", n,
					formatLatency(highest), targetRefreshLatency),
				measured: fmt.Sprintf("%.2f ×", ratio),
				verdict:  verdict(ratio <= targetRefreshLatency, fmt.Sprintf("%.0f %%", (ratio/targetRefreshLatency-1)*100)),
			})
		}
	}
	return ts
}

// refreshMarkdown is the section of results.md.
func (r *results) refreshMarkdown() string {
	if len(r.refresh) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## No-change plan against API latency\n\n`terraform plan -detailed-exitcode` of N "+
		"`luml_bucket_secret` of one organization, applied once without latency; the plans at each latency take "+
		"turns, %d of each. Wall time in seconds, median [min, max]; the requests of one plan; the ratio of "+
		"each latency's median to the median without latency.\n\n", r.cfg.refreshReps)
	header, sep := "| N |", "|---|"
	for _, l := range r.cfg.refreshLatencies {
		header += fmt.Sprintf(" plan, latency %s | requests |", formatLatency(l))
		sep += "---|---|"
		if l > 0 {
			header += " ratio |"
			sep += "---|"
		}
	}
	fmt.Fprintf(&b, "%s\n%s\n", header, sep)
	for _, n := range r.cfg.refreshCounts {
		fmt.Fprintf(&b, "| %d |", n)
		for _, l := range r.cfg.refreshLatencies {
			s, _ := r.refreshSummary(refreshKey{n, l})
			reqs := s.requests.String()
			if s.requestsVary {
				reqs += " (varied)"
			}
			fmt.Fprintf(&b, " %s | %s |", formatTimes(s), reqs)
			if l > 0 {
				if ratio, ok := r.refreshRatio(n, l); ok {
					fmt.Fprintf(&b, " %.2f × |", ratio)
				} else {
					b.WriteString(" – |")
				}
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return b.String()
}

// refreshOnlyReport is what a run with -refresh-only prints instead of writing results.
func (r *results) refreshOnlyReport() string {
	var b strings.Builder
	b.WriteString(r.refreshMarkdown())
	for _, t := range r.refreshTargets() {
		fmt.Fprintf(&b, "Target: %s: %s, %s\n", t.name, t.measured, t.verdict)
	}
	fmt.Fprintf(&b, "Other processes used %.0f %% of the machine's CPU time meanwhile.\n", 100*r.background())
	return b.String()
}
