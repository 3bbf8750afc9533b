package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The multipart section measures `terraform plan` of one luml_multipart_upload_urls against
// the number of parts: the data source, whose URLs Terraform keeps in state, and the
// ephemeral resource, whose URLs it never stores. Terraform's cost of sensitive values grows
// with the number of marked paths, so a layout with one mark per part shows as a curve
// bending upwards here.

const (
	mib = int64(1) << 20
	gib = int64(1) << 30
	// targetMultipartCurve: the data source's plan at the largest part count within this
	// factor of its plan at the smallest.
	targetMultipartCurve = 3.0
)

// multipartKind is the Terraform type measured.
type multipartKind string

const (
	multipartData      multipartKind = "data source"
	multipartEphemeral multipartKind = "ephemeral resource"
)

var multipartKinds = []multipartKind{multipartData, multipartEphemeral}

type multipartKey struct {
	parts int
	kind  multipartKind
}

// multipartSize is a file size for which LUML plans exactly parts parts: 512 MiB parts up to
// 100 GiB, 1 GiB parts above (internal/lumlfake/API.md, "Multipart uploads").
func multipartSize(parts int) (int64, error) {
	n := int64(parts)
	switch {
	case n*512*mib > 10*gib && n*512*mib <= 100*gib:
		return n * 512 * mib, nil
	case n*gib > 100*gib && n <= 5120:
		return n * gib, nil
	}
	return 0, fmt.Errorf("no file size gives %d parts of 512 MiB or 1 GiB (use 21 to 5120)", parts)
}

// multipartConfiguration asks for the URLs of a file of the given size, upload ID given.
func multipartConfiguration(k multipartKind, secretID string, size int64) string {
	block := "data"
	if k == multipartEphemeral {
		block = "ephemeral"
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    luml = {
      source = "luml-ai/luml"
    }
  }
}

%s "luml_multipart_upload_urls" "bench" {
  bucket_secret_id = %q
  bucket_location  = "models/bench.luml"
  size             = %d
  upload_id        = "bench-upload"
}
`, block, secretID, size)
}

// measureMultipart plans each kind at each part count, cfg.reps times, in a fresh directory
// each time. One unrecorded plan at the smallest count comes first.
func measureMultipart(ctx context.Context, cfg config, tf *terraform, api *emulator, res *results, log io.Writer) error {
	if len(cfg.multipartParts) == 0 {
		return nil
	}
	secret := api.fake.InsertSecret(api.org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.eu-central-1.amazonaws.com", BucketName: "bench-models",
		Region: ptr("eu-central-1"), AccessKey: ptr("AKIAIOSFODNN7EXAMPLE"),
		SecretKey: ptr("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
	})
	if _, err := tf.planMultipart(ctx, multipartData, secret.ID, cfg.multipartParts[0], api); err != nil {
		return err
	}
	for rep := range cfg.reps {
		for _, parts := range cfg.multipartParts {
			for _, k := range multipartKinds {
				res.waited += waitForQuiet(ctx, cfg.quietWait)
				m, err := tf.planMultipart(ctx, k, secret.ID, parts, api)
				if err != nil {
					return err
				}
				res.addMultipart(multipartKey{parts, k}, m)
				fmt.Fprintf(log, "multipart %-18s %4d parts run %d: plan %.2fs (CPU: Terraform %.2fs + provider %.2fs)\n",
					k, parts, rep+1, m.wall.Seconds(), (m.cpu - m.providerCPU).Seconds(), m.providerCPU.Seconds())
			}
		}
	}
	return nil
}

// planMultipart runs one `terraform plan` and checks that it asked the API for the URLs once.
func (t *terraform) planMultipart(ctx context.Context, k multipartKind, secretID string, parts int, api *emulator) (measured, error) {
	size, err := multipartSize(parts)
	if err != nil {
		return measured{}, err
	}
	dir, err := os.MkdirTemp(t.work, "multipart-")
	if err != nil {
		return measured{}, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(multipartConfiguration(k, secretID, size)), 0o600); err != nil {
		return measured{}, err
	}
	api.fake.ResetRequests()
	cmd := t.command(ctx, dir, "plan", "-input=false", "-no-color")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	m, err := runMeasured(cmd)
	if err != nil {
		return measured{}, fmt.Errorf("terraform plan of the %s, %d parts: %w\n%s", k, parts, err, tail(output.String(), 40))
	}
	if n := api.fake.CountRequests(http.MethodPost, "/v1/bucket-secrets/upload/multipart"); n != 1 {
		return measured{}, fmt.Errorf("terraform plan of the %s, %d parts: %d multipart requests, want 1", k, parts, n)
	}
	return m, nil
}

func (r *results) addMultipart(k multipartKey, m measured) {
	if r.multipart == nil {
		r.multipart = map[multipartKey][]sample{}
	}
	r.multipart[k] = append(r.multipart[k], sample{measured: m})
}

func (r *results) multipartSummary(k multipartKey) (summary, bool) {
	sub := results{samples: map[key][]sample{{}: r.multipart[k]}}
	return sub.summary(key{})
}

// multipartCurve is the data source's median plan time at the largest part count over the
// one at the smallest.
func (r *results) multipartCurve() (float64, bool) {
	counts := r.cfg.multipartParts
	if len(counts) < 2 {
		return 0, false
	}
	small, ok1 := r.multipartSummary(multipartKey{slices.Min(counts), multipartData})
	large, ok2 := r.multipartSummary(multipartKey{slices.Max(counts), multipartData})
	if !ok1 || !ok2 || small.median == 0 {
		return 0, false
	}
	return large.median.Seconds() / small.median.Seconds(), true
}

// multipartCPUCurve is multipartCurve in CPU time, Terraform's and the provider's.
func (r *results) multipartCPUCurve() (float64, bool) {
	counts := r.cfg.multipartParts
	if len(counts) < 2 {
		return 0, false
	}
	small, ok1 := r.multipartSummary(multipartKey{slices.Min(counts), multipartData})
	large, ok2 := r.multipartSummary(multipartKey{slices.Max(counts), multipartData})
	if !ok1 || !ok2 || small.cpu == 0 {
		return 0, false
	}
	return large.cpu.Seconds() / small.cpu.Seconds(), true
}

func (r *results) multipartTarget() (target, bool) {
	curve, ok := r.multipartCurve()
	if !ok {
		return target{}, false
	}
	return target{
		name: fmt.Sprintf("multipart data source: plan at %d parts within %.0f × the plan at %d parts",
			slices.Max(r.cfg.multipartParts), targetMultipartCurve, slices.Min(r.cfg.multipartParts)),
		measured: fmt.Sprintf("%.2f ×", curve),
		verdict:  verdict(curve <= targetMultipartCurve, fmt.Sprintf("%.0f %%", (curve/targetMultipartCurve-1)*100)),
	}, true
}

// multipartMarkdown is the section of results.md.
func (r *results) multipartMarkdown() string {
	if len(r.multipart) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Multipart upload URLs\n\n`terraform plan` of one `luml_multipart_upload_urls` (upload_id given, no "+
		"latency), in a fresh directory: wall time in seconds, median [min, max], and CPU seconds, median, of "+
		"Terraform + the provider (less disturbed than wall time on a busy machine). Part size 512 MiB up to "+
		"100 GiB, 1 GiB above.\n\n")
	b.WriteString("| parts | file size | data source | CPU | ephemeral resource | CPU |\n|---|---|---|---|---|---|\n")
	for _, parts := range r.cfg.multipartParts {
		size, _ := multipartSize(parts)
		fmt.Fprintf(&b, "| %d | %s |", parts, formatSize(size))
		for _, k := range multipartKinds {
			s, _ := r.multipartSummary(multipartKey{parts, k})
			fmt.Fprintf(&b, " %s | %s |", formatTimes(s), formatSplitCPU(s))
		}
		b.WriteString("\n")
	}
	if curve, ok := r.multipartCurve(); ok {
		fmt.Fprintf(&b, "\nData source, largest over smallest part count: %.2f × in wall time", curve)
		if cpu, ok := r.multipartCPUCurve(); ok {
			fmt.Fprintf(&b, ", %.2f × in CPU time", cpu)
		}
		b.WriteString(".\n")
	}
	b.WriteString("\n")
	return b.String()
}

func formatSize(bytes int64) string {
	if bytes%(1<<40) == 0 {
		return fmt.Sprintf("%d TiB", bytes>>40)
	}
	if bytes >= 1<<40 {
		return fmt.Sprintf("%.1f TiB", float64(bytes)/(1<<40))
	}
	return fmt.Sprintf("%d GiB", bytes/gib)
}

func ptr[T any](v T) *T { return &v }

// multipartOnlyReport is what a run with -multipart-only prints instead of writing results.
func (r *results) multipartOnlyReport() string {
	var b strings.Builder
	b.WriteString(r.multipartMarkdown())
	if t, ok := r.multipartTarget(); ok {
		fmt.Fprintf(&b, "Target: %s: %s, %s\n", t.name, t.measured, t.verdict)
	}
	fmt.Fprintf(&b, "Other processes used %.0f %% of the machine's CPU time meanwhile.\n", 100*r.background())
	return b.String()
}
