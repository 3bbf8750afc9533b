package main

import (
	"context"
	"runtime"
	"time"
)

// quietShare is how much of the machine's CPU other processes may use for it to count as quiet.
const quietShare = 0.15

// waitForQuiet waits, at most maxWait, until other processes leave the machine nearly idle for
// a second, so that they disturb the next measurement as little as possible on a shared
// machine. It returns how long it waited.
func waitForQuiet(ctx context.Context, maxWait time.Duration) time.Duration {
	started := time.Now()
	for time.Since(started) < maxWait {
		busy, self := machineBusy(), selfCPU()
		select {
		case <-ctx.Done():
			return time.Since(started)
		case <-time.After(time.Second):
		}
		other := machineBusy() - busy - (selfCPU() - self)
		if other.Seconds() < quietShare*float64(runtime.NumCPU()) {
			break
		}
	}
	return time.Since(started)
}
