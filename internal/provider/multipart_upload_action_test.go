package provider

import (
	"testing"
	"time"
)

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 70<<20 + 5: "70.0 MiB", 1<<30 + 1: "1.0 GiB",
		5 << 40: "5.0 TiB", 1 << 50: "1.0 PiB",
	} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
	if got := throughput(64<<20, 2*time.Second); got != "32.0 MiB/s" {
		t.Errorf("throughput = %q, want 32.0 MiB/s", got)
	}
	if got := throughput(1, 0); got != "-" {
		t.Errorf("throughput over no time = %q, want -", got)
	}
}
