package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The upload section's targets and its part of results.md.

func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// uploadTargets are the section's two targets.
func (r *results) uploadTargets() []target {
	u := r.upload
	if u == nil || len(u.action) == 0 {
		return nil
	}
	ratio := medianDuration(u.action).Seconds() / medianDuration(u.loop).Seconds()
	peak := slices.Max(u.memory)
	return []target{
		{
			name:     fmt.Sprintf("upload action, 1 GiB + 1 byte to versitygw: within %.1f × a plain Go loop's time", targetUploadRatio),
			measured: fmt.Sprintf("%.2f ×", ratio),
			verdict:  verdict(ratio <= targetUploadRatio, fmt.Sprintf("%.0f %%", (ratio/targetUploadRatio-1)*100)),
		},
		{
			name:     fmt.Sprintf("upload action: provider peak memory under %s", formatMemory(int64(targetUploadMemory))),
			measured: formatMemory(int64(peak)),
			verdict:  verdict(peak < targetUploadMemory, formatMemory(int64(peak-targetUploadMemory))),
		},
	}
}

// uploadMarkdown is the section of results.md.
func (r *results) uploadMarkdown() string {
	u := r.upload
	if u == nil || len(u.action) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Upload action\n\nA file of 1 GiB + 1 byte (17 parts of 64 MiB) uploaded to versitygw on this machine, "+
		"%d parts at a time: `terraform apply -invoke` of action `luml_multipart_upload` (Terraform %s, the whole "+
		"command), and a plain Go loop PUTting the same parts through URLs from the same API, then completing the "+
		"upload; taking turns at going first, %d runs each. Seconds, median [min, max].\n\n", uploadConcurrency, u.terraformVersion, len(u.action))
	b.WriteString("| plain Go loop | action | ratio (of the minimums) | provider peak RSS | upload code in process | action of 1 byte |\n" +
		"|---|---|---|---|---|---|\n")
	span := func(ds []time.Duration) string {
		return fmt.Sprintf("%.2f [%.2f, %.2f]", medianDuration(ds).Seconds(), slices.Min(ds).Seconds(), slices.Max(ds).Seconds())
	}
	fmt.Fprintf(&b, "| %s | %s | %.2f × (%.2f ×) | %s | %s | %s |\n\n", span(u.loop), span(u.action),
		medianDuration(u.action).Seconds()/medianDuration(u.loop).Seconds(),
		slices.Min(u.action).Seconds()/slices.Min(u.loop).Seconds(), formatMemory(int64(slices.Max(u.memory))),
		span(u.engine), span(u.fixed))
	b.WriteString("The upload code in process is `luml.Client.UploadFile`, which the action calls, without Terraform; " +
		"the action of 1 byte is what Terraform and the provider cost whatever the file's size.\n\n")
	return b.String()
}

// uploadOnlyReport is what a run with -upload-only prints instead of writing results.
func (r *results) uploadOnlyReport() string {
	var b strings.Builder
	b.WriteString(r.uploadMarkdown())
	for _, t := range r.uploadTargets() {
		fmt.Fprintf(&b, "Target: %s: %s, %s\n", t.name, t.measured, t.verdict)
	}
	return b.String()
}
