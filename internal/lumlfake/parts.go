package lumlfake

// The part plan of a multipart upload, as the server's storage clients compute it.

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
