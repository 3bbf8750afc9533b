package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// schemaVariant is one no-op provider schema of the schema section: luml_bucket_secret's with
// one group of features taken out (bench/noop/variant.go), measured against the full schema and
// a seven-attribute floor.
type schemaVariant struct {
	kind  kind
	label string
	// noKeys: the schema has no access_key, so the configuration sets none.
	noKeys bool
}

// kindSeven is the seven-attribute floor.
const kindSeven kind = "noop/seven"

const (
	schemaTargetN = 500
	// schemaTarget: luml's plan within this factor of the seven-attribute floor at N = 500.
	schemaTarget = 2.0
)

var schemaVariants = []schemaVariant{
	{kindLUML, "luml_bucket_secret against the emulator", false},
	{kindNoop, "no-op, full LUML schema", false},
	{"noop/quiet", "no-op, full schema, logging off as the LUML provider switches it", false},
	{"noop/no-timeouts", "no-op without the `timeouts` block", false},
	{"noop/no-orbits", "no-op without `orbits`", false},
	{"noop/no-write-only", "no-op without the 4 `*_wo` and `credentials_wo_version`", false},
	{"noop/no-sensitive", "no-op without the 4 plain sensitive credentials (none configured)", true},
	{"noop/no-validators", "no-op without validators, plan modifiers and defaults", false},
	{"noop/no-identity", "no-op without resource identity", false},
	{"noop/none-of-above", "no-op without all six groups above", true},
	{kindSeven, "no-op with 7 plain attributes (id, bucket_name, endpoint, region, secure, cert_check, created_at)", true},
	{"noop/seven-quiet", "the same 7, logging off", true},
}

func withoutKeys(k kind) bool {
	for _, v := range schemaVariants {
		if v.kind == k {
			return v.noKeys
		}
	}
	return false
}

// measureSchema runs every schema variant at N = cfg.schemaN, cfg.schemaReps times, the order
// rotated from one repetition to the next, without API latency.
func measureSchema(ctx context.Context, cfg config, tf *terraform, api *emulator, res *results, log io.Writer) error {
	api.setLatency(0)
	measured := schemaVariants
	if cfg.baseline != "" {
		measured = append([]schemaVariant{{kindBefore, "luml_bucket_secret, provider of " + cfg.baseline, false}}, measured...)
	}
	for rep := range cfg.schemaReps {
		for i := range measured {
			k := measured[(i+rep)%len(measured)].kind
			res.waited += waitForQuiet(ctx, cfg.quietWait)
			samples, err := tf.cycle(ctx, k, cfg.schemaN, api)
			if err != nil {
				return err
			}
			line := make([]string, len(phases))
			for j, p := range phases {
				res.addSchema(key{0, cfg.schemaN, k, p}, samples[j])
				line[j] = fmt.Sprintf("%s %.2fs", p, samples[j].wall.Seconds())
			}
			fmt.Fprintf(log, "schema N=%-4d %-20s run %d: %s\n", cfg.schemaN, k, rep+1, strings.Join(line, ", "))
		}
	}
	return nil
}

func (r *results) addSchema(k key, s sample) {
	if r.schema == nil {
		r.schema = map[key][]sample{}
	}
	r.schema[k] = append(r.schema[k], s)
}

func (r *results) schemaSummary(k kind, p phase) (summary, bool) {
	return (&results{samples: r.schema}).summary(key{0, r.cfg.schemaN, k, p})
}

// schemaRatio is k's median time over base's.
func (r *results) schemaRatio(k, base kind, p phase) (float64, bool) {
	a, ok1 := r.schemaSummary(k, p)
	b, ok2 := r.schemaSummary(base, p)
	if !ok1 || !ok2 || b.median == 0 {
		return 0, false
	}
	return a.median.Seconds() / b.median.Seconds(), true
}

func (r *results) schemaTarget() (target, bool) {
	ratio, ok := r.schemaRatio(kindLUML, kindSeven, phasePlan)
	if !ok || r.cfg.schemaN != schemaTargetN {
		return target{}, false
	}
	return target{
		name:     fmt.Sprintf("no latency, N = %d: plan within %.1f × the seven-attribute no-op", schemaTargetN, schemaTarget),
		measured: fmt.Sprintf("%.2f ×", ratio),
		verdict:  verdict(ratio <= schemaTarget, fmt.Sprintf("%.0f %%", (ratio/schemaTarget-1)*100)),
	}, true
}

func (r *results) schemaMarkdown() string {
	if len(r.schema) == 0 {
		return ""
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## What the schema costs\n\n")
	p("N = %d, no latency, %d runs each, interleaved. Wall time in seconds, median [min, max], then CPU "+
		"seconds (Terraform + providers) and the ratio of the median wall time to the full-schema no-op and to "+
		"the seven-attribute no-op.\n\n", r.cfg.schemaN, r.cfg.schemaReps)
	p("| variant | apply | plan | destroy | CPU apply / plan / destroy | / full no-op (apply, plan, destroy) | / 7 attributes (apply, plan, destroy) |\n")
	p("|---|---|---|---|---|---|---|\n")
	for _, v := range schemaVariants {
		var times, cpus, full, seven []string
		for _, ph := range phases {
			s, ok := r.schemaSummary(v.kind, ph)
			if !ok {
				times, cpus = append(times, "–"), append(cpus, "–")
			} else {
				times = append(times, formatTimes(s))
				cpus = append(cpus, fmt.Sprintf("%.1f", s.cpu.Seconds()))
			}
			full = append(full, r.formatSchemaRatio(v.kind, kindNoop, ph))
			seven = append(seven, r.formatSchemaRatio(v.kind, kindSeven, ph))
		}
		p("| %s | %s | %s | %s | %s |\n", v.label, strings.Join(times, " | "), strings.Join(cpus, " / "),
			strings.Join(full, ", "), strings.Join(seven, ", "))
	}
	p("\n")
	return b.String()
}

func (r *results) formatSchemaRatio(k, base kind, p phase) string {
	if ratio, ok := r.schemaRatio(k, base, p); ok {
		return fmt.Sprintf("%.2f", ratio)
	}
	return "–"
}
