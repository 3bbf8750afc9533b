package partplan

import "testing"

// The server's _calculate_optimal_chunk_size, read from its code: the recorded answers pin only
// the 1 GiB threshold and the 1 GiB parts of the largest files (internal/lumlfake/API.md), so
// the other thresholds are checked here, on both sides of each.
func TestPartSizeAtEveryThreshold(t *testing.T) {
	for _, c := range []struct{ size, partSize, count int64 }{
		{1, 32 * mib, 1},
		{gib, 32 * mib, 32},
		{gib + 1, 64 * mib, 17},
		{5 * gib, 64 * mib, 80},
		{5*gib + 1, 128 * mib, 41},
		{10 * gib, 128 * mib, 80},
		{10*gib + 1, 512 * mib, 21},
		{100 * gib, 512 * mib, 200},
		{100*gib + 1, gib, 101},
		{5 << 40, gib, 5120},
		{5<<40 + 1, gib, 5121},
	} {
		if got := PartSize(c.size); got != c.partSize {
			t.Errorf("PartSize(%d) = %d, want %d", c.size, got, c.partSize)
		}
		if got := Count(c.size); got != c.count {
			t.Errorf("Count(%d) = %d, want %d", c.size, got, c.count)
		}
	}
	for _, size := range []int64{0, -1} {
		if got := Count(size); got != 0 {
			t.Errorf("Count(%d) = %d, want 0", size, got)
		}
	}
}

func TestDescribe(t *testing.T) {
	const want = "32 MiB up to 1 GiB, 64 MiB up to 5 GiB, 128 MiB up to 10 GiB, 512 MiB up to 100 GiB, 1 GiB above"
	if got := Describe(); got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}
