package luml_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

const maxParts = 5120 // a 5 TiB file in parts of 1 GiB

// writeUploadFile writes size pseudo-random bytes to a file of the test's.
func writeUploadFile(t testing.TB, size int) (string, []byte) {
	t.Helper()
	content := make([]byte, size)
	_, _ = rand.NewChaCha8([32]byte{'u', 'p'}).Read(content)
	path := filepath.Join(t.TempDir(), "model.bin")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, content
}

func uploadTo() luml.MultipartRequest {
	return luml.MultipartRequest{BucketSecretID: "b1a3c3c0-0000-4000-8000-000000000001", BucketLocation: "models/model.bin",
		UploadID: ptr("upload-1")}
}

// A 5 TiB upload has 5120 parts: the same plan, parts of 3 bytes, is uploaded with 8 in
// flight, through injected 503s, 429s and dropped answers, and completed with every ETag in
// order; the object equals the file.
func TestUploadFile5120Parts(t *testing.T) {
	const partSize = 3
	path, content := writeUploadFile(t, maxParts*partSize-1)
	s := newUploadServer(t, luml.BucketTypeS3, partSize)
	s.fail = func(n int64, attempt int) int {
		switch {
		case attempt == 1 && n%512 == 7:
			return http.StatusServiceUnavailable
		case attempt == 1 && n%1024 == 100:
			return http.StatusTooManyRequests
		case attempt <= 2 && n%1700 == 5:
			return dropAnswer
		}
		return 0
	}
	logs := &captureLogger{}
	var mu sync.Mutex
	var progress []luml.UploadProgress
	res, err := s.client(t, func(c *luml.Config) { c.Logger = logs }).UploadFile(context.Background(), path, uploadTo(),
		luml.UploadOptions{Concurrency: 8, ProgressEvery: time.Millisecond, Progress: func(p luml.UploadProgress) {
			mu.Lock()
			defer mu.Unlock()
			progress = append(progress, p)
		}})
	if err != nil {
		t.Fatal(err)
	}
	object, completions := s.stored()
	if !bytes.Equal(object, content) || completions != 1 {
		t.Fatalf("%d completions; the object has %d bytes, equal to the file's %d: %v", completions, len(object), len(content),
			bytes.Equal(object, content))
	}
	// 10 parts refused with 503, 5 with 429, 4 dropped twice.
	if wantRetries := 10 + 5 + 4*2; res.Retries != wantRetries || res.Parts != maxParts || res.Size != int64(len(content)) {
		t.Errorf("result %+v, want %d parts, %d bytes, %d retries", res, maxParts, len(content), wantRetries)
	}
	for _, n := range []int64{7, 100, 5, 1705} {
		if got, want := s.attemptsOf(n), map[bool]int{true: 3, false: 2}[n%1700 == 5]; got != want {
			t.Errorf("part %d: %d attempts, want %d", n, got, want)
		}
	}
	if seen := s.concurrencySeen(); seen > 8 || seen < 2 {
		t.Errorf("at most %d parts were in flight at once, want 2 to 8", seen)
	}
	retried := logs.fieldOf("Multipart upload request failed; it will be retried", "part_number")
	if len(retried) != res.Retries {
		t.Errorf("%d retries logged, want %d", len(retried), res.Retries)
	}
	for _, line := range logs.rendered() {
		if strings.Contains(line, "X-Amz-Signature") || strings.Contains(line, "uploadId") {
			t.Errorf("a log line shows a URL: %s", line)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	last := progress[len(progress)-1]
	if last.PartsDone != maxParts || last.BytesDone != int64(len(content)) || last.BytesTotal != int64(len(content)) {
		t.Errorf("last progress %+v, want every part and byte", last)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i].PartsDone < progress[i-1].PartsDone {
			t.Fatalf("progress went back: %+v after %+v", progress[i], progress[i-1])
		}
	}
}

// Azure: each part is a block named in its URL; the block list commits them in order.
func TestUploadFileAzure(t *testing.T) {
	path, content := writeUploadFile(t, 1000)
	s := newUploadServer(t, luml.BucketTypeAzure, 64)
	s.fail = func(n int64, attempt int) int {
		if n == 3 && attempt == 1 {
			return http.StatusInternalServerError
		}
		return 0
	}
	to := uploadTo()
	to.UploadID = nil
	res, err := s.client(t).UploadFile(context.Background(), path, to, luml.UploadOptions{Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	if object, _ := s.stored(); !bytes.Equal(object, content) || res.Parts != 16 || res.Retries != 1 || res.Type != luml.BucketTypeAzure {
		t.Fatalf("result %+v; the blob equals the file: %v", res, bytes.Equal(object, content))
	}
}

// Failures name the step, the part and the status, never a URL.
func TestUploadFileFailures(t *testing.T) {
	cases := []struct {
		name       string
		fail       func(n int64, attempt int) int
		complete   string
		onPart     func(path string) func(ctx context.Context, n int64)
		cancelAt   int64
		file       func(t *testing.T) string
		wantStep   string
		wantPart   int64
		wantStatus int
		wantText   []string
	}{
		{
			name:     "refused part",
			fail:     func(n int64, _ int) int { return map[bool]int{true: http.StatusForbidden}[n == 5] },
			wantStep: luml.UploadStepPart, wantPart: 5, wantStatus: http.StatusForbidden,
			wantText: []string{"part 5", "PUT to 127.0.0.1", "answered 403 Forbidden (Injected403)"},
		},
		{
			name:     "retries run out",
			fail:     func(n int64, _ int) int { return map[bool]int{true: http.StatusServiceUnavailable}[n == 2] },
			wantStep: luml.UploadStepPart, wantPart: 2, wantStatus: http.StatusServiceUnavailable,
			wantText: []string{"part 2", "503 Service Unavailable", "after 4 attempts"},
		},
		{
			name:     "S3 error in a 200 answer",
			complete: "<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code><Message>try again</Message></Error>",
			wantStep: luml.UploadStepComplete, wantStatus: http.StatusOK,
			wantText: []string{"completing the upload", "answered 200, with an error in its body (InternalError)", "after 4 attempts"},
		},
		{
			name: "file grows",
			onPart: func(path string) func(context.Context, int64) {
				var once sync.Once
				return func(context.Context, int64) {
					once.Do(func() {
						f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
						if err == nil {
							_, _ = f.WriteString("more")
							_ = f.Close()
						}
					})
				}
			},
			wantStep: luml.UploadStepFile,
			wantText: []string{"the file changed during the upload", "it had 1000 bytes", "it now has 1004"},
		},
		{
			name: "file rewritten in place",
			onPart: func(path string) func(context.Context, int64) {
				var once sync.Once
				return func(context.Context, int64) {
					once.Do(func() {
						later := time.Now().Add(time.Hour)
						_ = os.Chtimes(path, later, later)
					})
				}
			},
			wantStep: luml.UploadStepFile,
			wantText: []string{"the file changed during the upload", "it had 1000 bytes", "it now has 1000"},
		},
		{
			name: "file shrinks",
			onPart: func(path string) func(context.Context, int64) {
				var once sync.Once
				return func(context.Context, int64) { once.Do(func() { _ = os.Truncate(path, 10) }) }
			},
			wantStep: luml.UploadStepPart, wantPart: 2,
			wantText: []string{"the file changed during the upload: it ended before the part's last byte"},
		},
		{
			name:     "missing file",
			file:     func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing.bin") },
			wantStep: luml.UploadStepFile,
			wantText: []string{"missing.bin: no such file or directory"},
		},
		{
			name: "empty file",
			file: func(t *testing.T) string {
				path := filepath.Join(t.TempDir(), "empty.bin")
				if err := os.WriteFile(path, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				return path
			},
			wantStep: luml.UploadStepFile,
			wantText: []string{"has 0 bytes; a multipart upload takes 1 byte to 5 TiB"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, _ := writeUploadFile(t, 1000)
			if c.file != nil {
				path = c.file(t)
			}
			s := newUploadServer(t, luml.BucketTypeS3, 100)
			s.fail, s.completeAnswer = c.fail, c.complete
			if c.onPart != nil {
				s.onPart = c.onPart(path)
			}
			_, err := s.client(t).UploadFile(context.Background(), path, uploadTo(), luml.UploadOptions{Concurrency: 1})
			var upErr *luml.UploadError
			if !errors.As(err, &upErr) {
				t.Fatalf("error %v, want an *UploadError", err)
			}
			if upErr.Step != c.wantStep || upErr.PartNumber != c.wantPart || upErr.StatusCode != c.wantStatus {
				t.Errorf("step %q, part %d, status %d; want %q, %d, %d", upErr.Step, upErr.PartNumber, upErr.StatusCode,
					c.wantStep, c.wantPart, c.wantStatus)
			}
			for _, want := range c.wantText {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error %q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "?") || strings.Contains(err.Error(), "Signature") {
				t.Errorf("the error shows a URL: %s", err)
			}
			if object, _ := s.stored(); object != nil {
				t.Error("the failed upload was completed")
			}
		})
	}
}

// Cancelling stops the upload at once; the error says how many parts were uploaded.
func TestUploadFileCancelled(t *testing.T) {
	path, _ := writeUploadFile(t, 1000)
	s := newUploadServer(t, luml.BucketTypeS3, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.onPart = func(requestCtx context.Context, n int64) {
		if n == 21 {
			cancel()
			<-requestCtx.Done() // no answer: part 21 is in flight when the upload is cancelled
		}
	}
	_, err := s.client(t).UploadFile(ctx, path, uploadTo(), luml.UploadOptions{Concurrency: 1})
	var upErr *luml.UploadError
	if !errors.As(err, &upErr) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want a cancelled *UploadError", err)
	}
	if upErr.PartsDone != 20 || upErr.PartsTotal != 100 || upErr.Step != luml.UploadStepPart {
		t.Errorf("%+v: want 20 of 100 parts done, at step part", upErr)
	}
	if want := "the parts (20 of 100 uploaded): context canceled"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if s.attemptsOf(22) != 0 {
		t.Error("a part was sent after the cancellation")
	}
	if object, completions := s.stored(); object != nil || completions != 0 {
		t.Error("the cancelled upload was completed")
	}
}

// BenchmarkUploadFilePerPart measures what the engine costs per part (scheduling, file read,
// request, ETag, completion document) with parts of a few bytes against a local server.
func BenchmarkUploadFilePerPart(b *testing.B) {
	const parts, partSize = maxParts, 3
	content := make([]byte, parts*partSize)
	path := filepath.Join(b.TempDir(), "model.bin")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		b.Fatal(err)
	}
	s := newUploadServer(b, luml.BucketTypeS3, partSize)
	c, err := luml.New(luml.Config{BaseURL: s.srv.URL, APIKey: "dfs_upload-bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.UploadFile(context.Background(), path, uploadTo(), luml.UploadOptions{Concurrency: 4}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*parts), "ns/part")
}
