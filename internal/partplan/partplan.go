// Package partplan is LUML's plan of a multipart upload: the part size the server picks for a
// file's size, and so the number of parts. It is the one copy of the server's table
// (_calculate_optimal_chunk_size of its storage clients), shared by the API client, the
// provider function and the emulator; the real server's recorded answers check it
// (internal/lumlfake/API.md, "The part plan").
package partplan

import (
	"fmt"
	"strings"
)

const (
	mib = int64(1) << 20
	gib = int64(1) << 30
)

// steps are the server's thresholds in ascending order, upper bounds inclusive; a larger file
// has parts of largestPart.
var steps = []struct{ upTo, partSize int64 }{
	{1 * gib, 32 * mib},
	{5 * gib, 64 * mib},
	{10 * gib, 128 * mib},
	{100 * gib, 512 * mib},
}

const largestPart = gib

// PartSize is the part size the server picks for a file of size bytes.
func PartSize(size int64) int64 {
	for _, s := range steps {
		if size <= s.upTo {
			return s.partSize
		}
	}
	return largestPart
}

// Count is the number of parts of a file of size bytes: ceil(size / PartSize(size)), and none
// for a size of 0 or less.
func Count(size int64) int64 {
	if size <= 0 {
		return 0
	}
	return (size-1)/PartSize(size) + 1
}

// Describe states the table for documentation, e.g. "32 MiB up to 1 GiB, ..., 1 GiB above".
func Describe() string {
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "%s up to %s, ", human(s.partSize), human(s.upTo))
	}
	fmt.Fprintf(&b, "%s above", human(largestPart))
	return b.String()
}

func human(n int64) string {
	if n%gib == 0 {
		return fmt.Sprintf("%d GiB", n/gib)
	}
	return fmt.Sprintf("%d MiB", n/mib)
}
