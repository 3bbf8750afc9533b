package lumlfake

// The part plan of a multipart upload, as the server's storage clients compute it.

// optimalPartSize is _calculate_optimal_chunk_size; the thresholds are
// inclusive.
func optimalPartSize(size int64) int64 {
	switch {
	case size <= 1<<30:
		return 32 << 20
	case size <= 5<<30:
		return 64 << 20
	case size <= 10<<30:
		return 128 << 20
	case size <= 100<<30:
		return 512 << 20
	}
	return 1 << 30
}

// partsCount is math.ceil(size / part_size), which is 0 for size <= 0.
func partsCount(size, partSize int64) int64 {
	if size <= 0 {
		return 0
	}
	return (size-1)/partSize + 1
}

func partDetails(urls []string, size, partSize int64) []*object {
	parts := make([]*object, len(urls))
	var start int64
	for i, u := range urls {
		n := min(partSize, size-int64(i)*partSize)
		parts[i] = obj("part_number", i+1, "url", u, "start_byte", start, "end_byte", start+n-1, "part_size", n)
		start += n
	}
	return parts
}
