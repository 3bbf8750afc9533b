package main

import (
	"fmt"
	"time"
)

func formatTimes(s summary) string {
	switch s.runs {
	case 0:
		return "–"
	case 1:
		return fmt.Sprintf("%.2f", s.median.Seconds())
	}
	return fmt.Sprintf("%.2f [%.2f, %.2f]", s.median.Seconds(), s.min.Seconds(), s.max.Seconds())
}

// formatCPU shows a CPU time of s, or a dash when s has no runs.
func formatCPU(s summary, d time.Duration) string {
	if s.runs == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", d.Seconds())
}

// formatSplitCPU shows Terraform's and the providers' CPU time of s.
func formatSplitCPU(s summary) string {
	if s.runs == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f + %.2f", (s.cpu - s.providerCPU).Seconds(), s.providerCPU.Seconds())
}

func formatMemory(bytes int64) string {
	if bytes == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MB", float64(bytes)/mb)
}

func formatDuration(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func formatLatency(d time.Duration) string {
	if d == 0 {
		return "none"
	}
	return d.String()
}
