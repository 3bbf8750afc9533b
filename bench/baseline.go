package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// kindBefore is luml_bucket_secret served by the provider built from the -baseline commit: the
// same run measures the provider before and after a change.
const kindBefore kind = "luml-before"

// buildBaseline builds the provider of commit ref, from `git archive`, into dir as
// terraform-provider-luml-before.
func buildBaseline(ctx context.Context, repo, ref, work, dir string) error {
	src := filepath.Join(work, "baseline-src")
	if err := os.MkdirAll(src, 0o750); err != nil {
		return err
	}
	archive := exec.CommandContext(ctx, "sh", "-c", `git -C "$1" archive --format=tar "$2" | tar -x -C "$3"`, "sh", repo, ref, src)
	if out, err := archive.CombinedOutput(); err != nil {
		return fmt.Errorf("extracting %s: %w\n%s", ref, err, out)
	}
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(dir, "terraform-provider-luml-before"), ".") //nolint:gosec // fixed package, into this run's directory
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the provider of %s: %w\n%s", ref, err, out)
	}
	return nil
}

// beforeAfterMarkdown compares luml at the baseline commit with luml now, at every N both ran.
func (r *results) beforeAfterMarkdown() string {
	if r.cfg.baseline == "" {
		return ""
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## Before and after\n\nThe provider built from `%s` (before) and from the measured tree (after), in the same run, "+
		"no latency. Wall time in seconds, median [min, max], and the ratio to the full-schema no-op.\n\n", r.cfg.baseline)
	p("| N | phase | before | after | noop | before / noop | after / noop |\n|---|---|---|---|---|---|---|\n")
	for _, set := range []struct {
		samples map[key][]sample
		n       int
	}{{r.schema, r.cfg.schemaN}, {r.samples, r.cfg.memoryCount}} {
		view := &results{samples: set.samples}
		for _, ph := range phases {
			before, ok1 := view.summary(key{0, set.n, kindBefore, ph})
			after, ok2 := view.summary(key{0, set.n, kindLUML, ph})
			noop, ok3 := view.summary(key{0, set.n, kindNoop, ph})
			if !ok1 || !ok2 || !ok3 {
				continue
			}
			p("| %d | %s | %s | %s | %s | %.2f | %.2f |\n", set.n, ph, formatTimes(before), formatTimes(after),
				formatTimes(noop), before.median.Seconds()/noop.median.Seconds(), after.median.Seconds()/noop.median.Seconds())
		}
	}
	p("\n")
	return b.String()
}
