package main

import (
	"fmt"
	"slices"
	"time"
)

type target struct {
	name, measured, verdict string
}

func verdict(met bool, by string) string {
	if met {
		return "met"
	}
	return "**missed** by " + by
}

func (r *results) targets() []target {
	var ts []target
	ratioTargets := []struct {
		n     int
		ratio float64
	}{{slices.Max(r.cfg.counts), targetRatio}, {r.cfg.memoryCount, targetRatioLarge}}
	for _, rt := range ratioTargets {
		for _, p := range phases {
			if ratio, ok := r.ratio(0, rt.n, p, kindLUML); ok && rt.n > 0 {
				ts = append(ts, target{
					name:     fmt.Sprintf("no latency, N = %d: %s within %.2f × noop", rt.n, p, rt.ratio),
					measured: fmt.Sprintf("%.2f ×", ratio),
					verdict:  verdict(ratio <= rt.ratio, fmt.Sprintf("%.0f %%", (ratio/rt.ratio-1)*100)),
				})
			}
		}
	}
	for _, latency := range r.cfg.latencies {
		if latency == 0 {
			continue
		}
		if c, ok := r.concurrency(latency, concurrencyN, concurrencyPhase); ok {
			bound := time.Duration(targetConcurrency * float64(c.ideal))
			ts = append(ts, target{
				name: fmt.Sprintf("%s latency, N = %d, parallelism %d: %s beyond noop within %.1f × (%.2f requests × N × latency / parallelism) = %.2f s",
					formatLatency(latency), concurrencyN, r.cfg.parallelism, concurrencyPhase, targetConcurrency, c.perResource, bound.Seconds()),
				measured: fmt.Sprintf("%.2f s", c.beyond.Seconds()),
				verdict:  verdict(c.beyond <= bound, fmt.Sprintf("%.2f s", (c.beyond-bound).Seconds())),
			})
		}
	}
	if m := r.peakMemory(memoryTargetN, kindLUML); m > 0 {
		ts = append(ts, target{
			name:     fmt.Sprintf("provider peak memory at N = %d under %s", memoryTargetN, formatMemory(targetMemory)),
			measured: formatMemory(m),
			verdict:  verdict(m < targetMemory, formatMemory(m-targetMemory)),
		})
	}
	for _, g := range r.goBenchmarks {
		if g.name == multipartBench {
			ts = append(ts, target{
				name:     fmt.Sprintf("multipart answer of 5 TiB (5120 parts) to Terraform value under %s", targetMultipart),
				measured: formatDuration(g.perOp),
				verdict:  verdict(g.perOp < targetMultipart, formatDuration(g.perOp-targetMultipart)),
			})
		}
	}
	return ts
}
