package main

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Targets, reported and not enforced.
const (
	targetRatio       = 1.25     // zero latency, largest N: luml within this factor of noop
	targetRatioLarge  = 1.15     // the same at -memory-n
	targetConcurrency = 1.5      // creates beyond noop, against requests × N × latency / parallelism
	targetMemory      = 150 * mb // provider peak memory at N = 500
	targetMultipart   = 50 * time.Millisecond
	multipartBench    = "BenchmarkMultipartConversion5TiB"
	memoryTargetN     = 500
	concurrencyN      = 200
	concurrencyPhase  = phaseApply
	mb                = 1_000_000
)

type key struct {
	latency time.Duration
	n       int
	kind    kind
	phase   phase
}

type results struct {
	cfg              config
	started          time.Time
	finished         time.Time
	terraformVersion string
	source           string // the commit measured
	samples          map[key][]sample
	goBenchmarks     []goBenchmark
	multipart        map[multipartKey][]sample
	schema           map[key][]sample // the schema section's, by variant
	waited           time.Duration    // for other processes to go idle
	upload           *uploadResults
	refresh          map[refreshKey][]sample
}

func (r *results) add(k key, s sample) {
	if r.samples == nil {
		r.samples = map[key][]sample{}
	}
	r.samples[k] = append(r.samples[k], s)
}

// summary condenses the samples of one key.
type summary struct {
	runs         int
	median       time.Duration
	min, max     time.Duration
	requests     requests // of the median run; every run of a kind sends the same
	requestsVary bool
	memory       int64         // median of the runs' peaks
	cpu          time.Duration // medians
	providerCPU  time.Duration
	selfCPU      time.Duration
}

func (r *results) summary(k key) (summary, bool) {
	ss := r.samples[k]
	if len(ss) == 0 {
		return summary{}, false
	}
	walls := make([]time.Duration, len(ss))
	for i, s := range ss {
		walls[i] = s.wall
	}
	sorted := slices.Clone(walls)
	slices.Sort(sorted)
	mid := slices.Index(walls, sorted[len(sorted)/2])
	out := summary{
		runs: len(ss), median: sorted[len(sorted)/2], min: sorted[0], max: sorted[len(sorted)-1],
		requests:    ss[mid].requests,
		memory:      int64(median(ss, func(s sample) memoryPeak { return s.memory })),
		cpu:         median(ss, func(s sample) time.Duration { return s.cpu }),
		providerCPU: median(ss, func(s sample) time.Duration { return s.providerCPU }),
		selfCPU:     median(ss, func(s sample) time.Duration { return s.selfCPU }),
	}
	for _, s := range ss {
		out.requestsVary = out.requestsVary || s.requests != out.requests
	}
	return out, true
}

func median[T int64 | memoryPeak | time.Duration](ss []sample, f func(sample) T) T {
	vs := make([]T, len(ss))
	for i, s := range ss {
		vs[i] = f(s)
	}
	slices.Sort(vs)
	return vs[len(vs)/2]
}

// background is the share of the machine's CPU time that other processes took while the
// commands ran.
func (r *results) background() float64 {
	var other, wall time.Duration
	for _, ss := range slices.Concat(slices.Collect(maps.Values(r.samples)), slices.Collect(maps.Values(r.multipart)),
		slices.Collect(maps.Values(r.schema)), slices.Collect(maps.Values(r.refresh))) {
		for _, s := range ss {
			other += s.background
			wall += s.wall
		}
	}
	if wall == 0 {
		return 0
	}
	return other.Seconds() / (wall.Seconds() * float64(runtime.NumCPU()))
}

// ratio is luml's median time over noop's.
func (r *results) ratio(latency time.Duration, n int, p phase, k kind) (float64, bool) {
	a, ok1 := r.summary(key{latency, n, k, p})
	b, ok2 := r.summary(key{latency, n, kindNoop, p})
	if !ok1 || !ok2 || b.median == 0 {
		return 0, false
	}
	return a.median.Seconds() / b.median.Seconds(), true
}

// concurrency compares the LUML provider's time beyond the no-op floor with the time its
// requests would take if nothing serialised them: requests × latency / parallelism.
type concurrency struct {
	perResource float64       // bucket-secret requests per resource
	ideal       time.Duration // requests × N × latency / parallelism
	beyond      time.Duration // luml's median minus noop's
}

func (r *results) concurrency(latency time.Duration, n int, p phase) (concurrency, bool) {
	l, ok1 := r.summary(key{latency, n, kindLUML, p})
	f, ok2 := r.summary(key{latency, n, kindNoop, p})
	if !ok1 || !ok2 {
		return concurrency{}, false
	}
	per := float64(l.requests.perSecret()) / float64(n)
	ideal := time.Duration(per * float64(n) * float64(latency) / float64(r.cfg.parallelism))
	return concurrency{perResource: per, ideal: ideal, beyond: l.median - f.median}, true
}

func (r *results) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Provider performance\n\n")
	p("Written by `make bench` on %s for commit %s: Terraform %s, %s, %s/%s, %d CPUs; each measurement "+
		"repeated %d times, `-parallelism=%d`; the whole benchmark took %s.\n\n",
		r.started.UTC().Format("2006-01-02"), r.source, r.terraformVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), r.cfg.reps, r.cfg.parallelism, r.finished.Sub(r.started).Round(time.Second))
	p("Other processes used %.0f %% of the machine's CPU time while the commands ran (ideally 0); before each "+
		"apply, plan and destroy cycle the benchmark waited up to %s for them to go idle, %s in all.\n\n",
		100*r.background(), r.cfg.quietWait, r.waited.Round(time.Second))
	p("Kinds: **luml** is `luml_bucket_secret` against the LUML API emulator; **noop** is the floor, a provider " +
		"on the same plugin framework serving the same schema without any API (`bench/noop`); " +
		"**terraform_data** is Terraform's built-in resource, which needs no plugin at all.\n\n")
	p("![Wall time against N](chart.png)\n\n")

	p("## Targets\n\n")
	p("| target | measured | |\n|---|---|---|\n")
	targets := append(r.targets(), r.refreshTargets()...)
	for _, t := range []func() (target, bool){r.schemaTarget, r.multipartTarget} {
		if t, ok := t(); ok {
			targets = append(targets, t)
		}
	}
	targets = append(targets, r.uploadTargets()...)
	for _, t := range targets {
		p("| %s | %s | %s |\n", t.name, t.measured, t.verdict)
	}
	p("\n")

	for _, latency := range r.cfg.latencies {
		p("## API latency %s\n\n", formatLatency(latency))
		r.timeTable(&b, latency, r.cfg.counts, latency > 0)
	}
	if r.cfg.memoryCount > 0 {
		p("## N = %d, no latency, luml and noop only\n\n", r.cfg.memoryCount)
		r.timeTable(&b, 0, []int{r.cfg.memoryCount}, false)
	}

	if unloaded := r.unloadedCounts(); len(unloaded) > 0 {
		p("## CPU time, no latency\n\nSeconds of CPU, median: Terraform + the providers it started; the benchmark "+
			"process, which serves the emulated API and polls /proc, during the luml and the noop commands. The "+
			"machine has %d CPUs for all of them.\n\n", runtime.NumCPU())
		p("| N | phase | luml | noop | terraform_data | benchmark process (luml / noop) |\n|---|---|---|---|---|---|\n")
		for _, n := range unloaded {
			for _, ph := range phases {
				sums := map[kind]summary{}
				for _, k := range kinds {
					sums[k], _ = r.summary(key{0, n, k, ph})
				}
				p("| %d | %s | %s | %s | %s | %s / %s |\n", n, ph, formatSplitCPU(sums[kindLUML]),
					formatSplitCPU(sums[kindNoop]), formatCPU(sums[kindData], sums[kindData].cpu),
					formatCPU(sums[kindLUML], sums[kindLUML].selfCPU), formatCPU(sums[kindNoop], sums[kindNoop].selfCPU))
			}
		}
		p("\n")

		p("## Provider memory\n\nPeak resident set of the largest provider process of a command, no latency, " +
			"the largest of apply, plan and destroy (median over the runs).\n\n")
		p("| N | luml | noop |\n|---|---|---|\n")
		for _, n := range unloaded {
			p("| %d | %s | %s |\n", n, formatMemory(r.peakMemory(n, kindLUML)), formatMemory(r.peakMemory(n, kindNoop)))
		}
		p("\n")
	}

	if len(r.goBenchmarks) > 0 {
		p("## Go benchmarks\n\n| benchmark | package | time/op | memory/op | allocations/op |\n|---|---|---|---|---|\n")
		for _, g := range r.goBenchmarks {
			p("| %s | %s | %s | %s | %d |\n", g.name, strings.TrimPrefix(g.pkg, "github.com/luml-ai/terraform-provider-luml/"),
				formatDuration(g.perOp), formatMemory(g.bytesPerOp), g.allocsPerOp)
		}
		p("\n")
	}

	b.WriteString(r.refreshMarkdown())
	b.WriteString(r.schemaMarkdown())
	b.WriteString(r.beforeAfterMarkdown())
	b.WriteString(r.multipartMarkdown())
	b.WriteString(r.uploadMarkdown())
	p("## Ratios to the no-op floor\n\n```\n%s```\n\n", r.ratios())
	p("## Method\n\n%s", method)
	return b.String()
}

// analysisHeading starts the part of results.md written by hand, which a new run keeps.
const analysisHeading = "\n## Analysis\n"

// withAnalysis is a new results.md with the hand-written analysis of the previous one.
func withAnalysis(generated, previous string) string {
	if i := strings.Index(previous, analysisHeading); i >= 0 {
		return generated + previous[i:]
	}
	return generated
}

// method explains how the figures are taken.
const method = "- Each run is a fresh directory: `terraform apply` of N resources, `terraform plan\n" +
	"  -detailed-exitcode` (which must find no change; it refreshes every resource) and `terraform\n" +
	"  destroy`. The providers, built from this repository by the benchmark, run through\n" +
	"  `dev_overrides`, so there is no `terraform init`. Times are wall times of whole commands.\n" +
	"- Order: for each latency, for each repetition, for each N, the three kinds one after another,\n" +
	"  the order rotated from one repetition to the next. One unrecorded round at the smallest N\n" +
	"  comes first. The largest N (-memory-n) runs luml and noop only, rotated the same way.\n" +
	"- Schema section: the no-op provider serves a variant of the schema chosen by\n" +
	"  LUML_BENCH_NOOP_VARIANT (bench/noop/variant.go); a variant that drops attributes drops\n" +
	"  the validators naming them (ConflictsWith), and the configuration sets only attributes the\n" +
	"  variant has. All variants, luml and (with -baseline) the provider of another commit run\n" +
	"  one after another, the order rotated from one repetition to the next.\n" +
	"- Requests are counted by the emulator, which runs inside the benchmark process, per command:\n" +
	"  `org` lists the organizations (once per configured provider process), `GET` reads one\n" +
	"  secret, `POST` creates one, `DELETE` deletes one, `list` lists the organization's secrets.\n" +
	"- Latency is added by the emulator to every API request (as `lumlfake -latency` does).\n" +
	"- Memory and CPU: Terraform starts each provider as a child process, several times per\n" +
	"  command (schema, validation, plan, apply). Every 25 ms the benchmark lists Terraform's\n" +
	"  children from `/proc/<pid>/task/*/children` and reads, for each `terraform-provider-*`,\n" +
	"  `VmHWM` (the process's own peak resident set) from `/proc/<child>/status` and its CPU time\n" +
	"  from `/proc/<child>/stat`. VmHWM is a high-water mark, so only growth in a process's last\n" +
	"  25 ms could be missed. The memory figure is the largest process's peak.\n"

// timeTable is one latency's table: a row per N and phase.
func (r *results) timeTable(b *strings.Builder, latency time.Duration, counts []int, withConcurrency bool) {
	fmt.Fprintf(b, "Wall time in seconds, median [min, max]. Requests and memory are the LUML provider's.\n\n")
	header := "| N | phase | luml | noop | terraform_data | luml / noop | requests | luml memory | noop memory |"
	sep := "|---|---|---|---|---|---|---|---|---|"
	if withConcurrency {
		header += " beyond noop | requests × latency / parallelism |"
		sep += "---|---|"
	}
	fmt.Fprintf(b, "%s\n%s\n", header, sep)
	for _, n := range counts {
		for _, p := range phases {
			sums := map[kind]summary{}
			for _, k := range kinds {
				sums[k], _ = r.summary(key{latency, n, k, p})
			}
			reqs := sums[kindLUML].requests.String()
			if sums[kindLUML].requestsVary {
				reqs += " (varied)"
			}
			fmt.Fprintf(b, "| %d | %s | %s | %s | %s | %s | %s | %s | %s |", n, p,
				formatTimes(sums[kindLUML]), formatTimes(sums[kindNoop]), formatTimes(sums[kindData]),
				r.formatRatio(latency, n, p, kindLUML), reqs,
				formatMemory(sums[kindLUML].memory), formatMemory(sums[kindNoop].memory))
			if withConcurrency {
				c, _ := r.concurrency(latency, n, p)
				fmt.Fprintf(b, " %.2f s | %.2f s |", c.beyond.Seconds(), c.ideal.Seconds())
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n")
}

func (q requests) String() string {
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{
		{q.OrgList, "org"}, {q.SecretList, "list"}, {q.SecretGet, "GET"}, {q.Create, "POST"},
		{q.Update, "PATCH"}, {q.Delete, "DELETE"}, {q.Other, "other"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.name))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " + ")
}

// unloadedCounts are the Ns measured without latency.
func (r *results) unloadedCounts() []int {
	var counts []int
	for _, n := range append(slices.Clone(r.cfg.counts), r.cfg.memoryCount) {
		if _, ok := r.summary(key{0, n, kindLUML, phaseApply}); ok && !slices.Contains(counts, n) {
			counts = append(counts, n)
		}
	}
	return counts
}

// peakMemory is the largest median peak over the phases of N resources of kind k.
func (r *results) peakMemory(n int, k kind) int64 {
	var peak int64
	for _, p := range phases {
		if s, ok := r.summary(key{0, n, k, p}); ok {
			peak = max(peak, s.memory)
		}
	}
	return peak
}

// ratios lists, for every latency, N and phase, luml's and terraform_data's median time over
// noop's.
func (r *results) ratios() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Ratio to the no-op floor, median time: luml (terraform_data)\n")
	for _, latency := range r.cfg.latencies {
		counts := r.cfg.counts
		if latency == 0 {
			counts = r.unloadedCounts()
		}
		for _, n := range counts {
			fmt.Fprintf(&b, "latency %-5s N = %-5d", formatLatency(latency), n)
			for _, p := range phases {
				fmt.Fprintf(&b, "  %-7s %5s (%s)", p, r.formatRatio(latency, n, p, kindLUML), r.formatRatio(latency, n, p, kindData))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (r *results) formatRatio(latency time.Duration, n int, p phase, k kind) string {
	if ratio, ok := r.ratio(latency, n, p, k); ok {
		return fmt.Sprintf("%.2f", ratio)
	}
	return "–"
}
