package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// pollInterval is how often the provider processes' memory is read. VmHWM is the process's
// own high-water mark, so a poll that comes late still sees the peak; only growth in the last
// interval before a process exits can be missed.
const pollInterval = 25 * time.Millisecond

// memoryPeak is the largest peak resident set (VmHWM) of the provider processes of one
// Terraform command, in bytes.
type memoryPeak int64

// measured is what one command cost.
type measured struct {
	wall        time.Duration
	cpu         time.Duration // user and system time of Terraform and the providers it started
	providerCPU time.Duration // of the providers alone
	selfCPU     time.Duration // of this process: the emulated API and the polling
	background  time.Duration // of every other process on the machine
	memory      memoryPeak
}

// runMeasured runs cmd and measures it. Terraform starts every provider as a child process
// (for the schema, validation, planning and applying); while they run, each one's VmHWM, its
// own peak resident set, and its CPU time are read from /proc. Where there is no /proc, they
// and background stay zero.
func runMeasured(cmd *exec.Cmd) (measured, error) {
	busyBefore, selfBefore := machineBusy(), selfCPU()
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return measured{}, err
	}
	done := make(chan struct{})
	usage := make(chan map[int]processUsage)
	go func() { usage <- pollProviders(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	m := measured{
		wall:    time.Since(started),
		cpu:     cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(),
		selfCPU: selfCPU() - selfBefore,
	}
	close(done)
	for _, u := range <-usage {
		m.memory = max(m.memory, memoryPeak(u.peakKiB*1024))
		m.providerCPU += u.cpu
	}
	if busy := machineBusy() - busyBefore; busy > 0 {
		m.background = max(0, busy-m.cpu-m.selfCPU)
	}
	return m, err
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clockTick is the unit of /proc/stat, USER_HZ, which is 100 on every Linux architecture Go
// supports.
const clockTick = 10 * time.Millisecond

// machineBusy is the time all CPUs spent on anything but idling since boot.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	fields := strings.Fields(string(line)) // cpu user nice system idle iowait irq softirq steal ...
	var busy int64
	for i, f := range fields[1:min(len(fields), 9)] { // guest time, after steal, is counted in user
		v, _ := strconv.ParseInt(f, 10, 64)
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return time.Duration(busy) * clockTick
}

// processUsage is what a provider process used, as last seen.
type processUsage struct {
	peakKiB int64
	cpu     time.Duration
}

// pollProviders follows the terraform-provider-* children of pid until done, and returns what
// each one used.
func pollProviders(pid int, done <-chan struct{}) map[int]processUsage {
	usage := map[int]processUsage{}
	isProvider := map[int]bool{}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		for _, child := range children(pid) {
			known, seen := isProvider[child]
			if !seen {
				exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", child))
				if err != nil {
					continue // not started yet, or gone
				}
				known = strings.HasPrefix(filepath.Base(exe), "terraform-provider-")
				isProvider[child] = known
			}
			if known {
				u := usage[child]
				if kb, ok := vmHWM(child); ok {
					u.peakKiB = max(u.peakKiB, kb)
				}
				if cpu, ok := processCPU(child); ok {
					u.cpu = cpu
				}
				usage[child] = u
			}
		}
		select {
		case <-done:
			return usage
		case <-tick.C:
		}
	}
}

// children lists the child processes of pid, which the kernel files under the thread that
// started each.
func children(pid int) []int {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", pid, t.Name()))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if child, err := strconv.Atoi(f); err == nil {
				out = append(out, child)
			}
		}
	}
	return out
}

// processCPU reads a process's user and system time.
func processCPU(pid int) (time.Duration, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces; utime and stime are the 12th and
	// 13th fields after it.
	_, rest, ok := bytes.Cut(data, []byte(") "))
	fields := strings.Fields(string(rest))
	if !ok || len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * clockTick, err1 == nil && err2 == nil
}

// vmHWM reads a process's peak resident set size, in KiB.
func vmHWM(pid int) (int64, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB"), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}
