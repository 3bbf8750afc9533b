package luml

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// The upload engine: a local file sent through the presigned URLs of a multipart upload, from
// inside this process, so that no URL is ever handed to anything else. Each part streams from
// the file through its own section reader, at most Concurrency at a time, and is retried on
// its own; the upload is then completed (S3 CompleteMultipartUpload, Azure Put Block List).

// Upload steps, as UploadError names them.
const (
	UploadStepFile     = "file"     // reading the local file
	UploadStepURLs     = "urls"     // asking LUML for the URLs
	UploadStepPart     = "part"     // uploading a part
	UploadStepComplete = "complete" // completing the upload
)

// Concurrency bounds and default of an upload.
const (
	MinUploadConcurrency     = 1
	MaxUploadConcurrency     = 16
	DefaultUploadConcurrency = 4
)

// UploadOptions tune an upload. Zero values take the defaults.
type UploadOptions struct {
	// Concurrency is how many parts are in flight at once.
	Concurrency int
	// Progress, when set, hears how far the upload got at most once per ProgressEvery, and
	// once more when every part is uploaded.
	Progress      func(UploadProgress)
	ProgressEvery time.Duration
}

// UploadProgress is a snapshot of an upload.
type UploadProgress struct {
	PartsDone, PartsTotal int
	BytesDone, BytesTotal int64
	Elapsed               time.Duration
}

// UploadResult describes a completed upload.
type UploadResult struct {
	Type    BucketType
	Size    int64
	Parts   int
	Retries int
	Elapsed time.Duration
}

// UploadError says where an upload failed. It never holds a URL: the signature in one grants
// write access to the bucket.
type UploadError struct {
	Step       string
	PartNumber int64 // for UploadStepPart
	StatusCode int   // the storage's last answer, 0 when there was none
	Attempts   int
	PartsDone  int
	PartsTotal int
	Type       BucketType // known once LUML answered
	Err        error
}

func (e *UploadError) Error() string {
	var what string
	switch e.Step {
	case UploadStepFile:
		what = "the file"
	case UploadStepURLs:
		what = "asking LUML for the upload URLs"
	case UploadStepPart:
		what = fmt.Sprintf("part %d", e.PartNumber)
		if e.PartNumber == 0 { // cancelled between parts, or with several in flight
			what = fmt.Sprintf("the parts (%d of %d uploaded)", e.PartsDone, e.PartsTotal)
		}
	default:
		what = "completing the upload"
	}
	if e.Attempts > 1 {
		return fmt.Sprintf("%s: %s (after %d attempts)", what, e.Err, e.Attempts)
	}
	return fmt.Sprintf("%s: %s", what, e.Err)
}

func (e *UploadError) Unwrap() error { return e.Err }

// ErrFileChanged is the error of an upload whose file changed while it ran.
var ErrFileChanged = errors.New("the file changed during the upload")

// UploadFile uploads the file at path to the bucket of to.BucketSecretID, at to.BucketLocation.
// It asks LUML for the URLs of a file of the file's size, so to.Size is ignored. On
// cancellation it stops at once and returns an *UploadError wrapping the context's error, with
// the number of parts uploaded so far.
func (c *Client) UploadFile(ctx context.Context, path string, to MultipartRequest, opts UploadOptions) (*UploadResult, error) {
	started := time.Now()
	f, info, err := openUploadFile(path)
	if err != nil {
		return nil, &UploadError{Step: UploadStepFile, Err: err}
	}
	defer f.Close()

	to.Size = info.Size()
	upload, err := c.MultipartUploadURLs(ctx, to)
	if err != nil {
		return nil, &UploadError{Step: UploadStepURLs, Err: err}
	}
	if err := checkPartsCover(upload, to.Size); err != nil {
		return nil, &UploadError{Step: UploadStepURLs, Type: upload.Type, Err: err}
	}
	u := &partUpload{client: c, http: uploadClient(c.storage), file: f, upload: upload, opts: opts, started: started}
	if err := u.run(ctx); err != nil {
		return nil, err
	}
	if err := unchanged(f, info); err != nil {
		return nil, u.failure(UploadStepFile, 0, 0, 0, err)
	}
	if err := u.complete(ctx); err != nil {
		return nil, err
	}
	return &UploadResult{
		Type: upload.Type, Size: to.Size, Parts: len(upload.Parts),
		Retries: int(u.retries.Load()), Elapsed: time.Since(started),
	}, nil
}

func openUploadFile(path string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	switch {
	case err != nil:
	case !info.Mode().IsRegular():
		err = fmt.Errorf("%s is not a regular file", path)
	case info.Size() < 1 || info.Size() > MaxUploadSize:
		err = fmt.Errorf("%s has %d bytes; a multipart upload takes 1 byte to 5 TiB (%d bytes)", path, info.Size(), MaxUploadSize)
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// unchanged fails when the open file's size or modification time differ from before: the
// parts would then not be one version of it.
func unchanged(f *os.File, before os.FileInfo) error {
	now, err := f.Stat()
	if err != nil {
		return err
	}
	if now.Size() != before.Size() || !now.ModTime().Equal(before.ModTime()) {
		return fmt.Errorf("%w (it had %d bytes, modified %s; it now has %d, modified %s): upload it again once it is "+
			"written", ErrFileChanged, before.Size(), before.ModTime().UTC().Format(time.RFC3339Nano),
			now.Size(), now.ModTime().UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// checkPartsCover checks that the parts LUML answered cover the file exactly once, in order.
func checkPartsCover(u *MultipartUpload, size int64) error {
	if len(u.Parts) == 0 || u.CompleteURL == "" {
		return fmt.Errorf("LUML answered no parts or no completion URL for a file of %d bytes", size)
	}
	if u.Type != BucketTypeS3 && u.Type != BucketTypeAzure {
		return fmt.Errorf("LUML answered an unknown storage type %q", u.Type)
	}
	next := int64(0)
	for i, p := range u.Parts {
		if p.PartNumber != int64(i+1) || p.StartByte != next || p.EndByte < p.StartByte {
			return fmt.Errorf("LUML answered part %d (number %d) with bytes %d-%d, expected a range starting at %d",
				i+1, p.PartNumber, p.StartByte, p.EndByte, next)
		}
		next = p.EndByte + 1
	}
	if next != size {
		return fmt.Errorf("LUML answered parts covering %d bytes of a %d-byte file", next, size)
	}
	return nil
}

// partUpload is one upload in progress.
type partUpload struct {
	client  *Client
	http    *http.Client
	file    *os.File
	upload  *MultipartUpload
	opts    UploadOptions
	started time.Time
	// etags[i] is part i+1's ETag (S3).
	etags     []string
	partsDone atomic.Int64
	bytesDone atomic.Int64
	retries   atomic.Int64
}

func (u *partUpload) failure(step string, part int64, status, attempts int, err error) *UploadError {
	return &UploadError{
		Step: step, PartNumber: part, StatusCode: status, Attempts: attempts, Type: u.upload.Type,
		PartsDone: int(u.partsDone.Load()), PartsTotal: len(u.upload.Parts), Err: err,
	}
}

// run uploads every part, at most Concurrency at once. The first failure stops the others.
func (u *partUpload) run(ctx context.Context) error {
	parts := u.upload.Parts
	u.etags = make([]string, len(parts))
	concurrency := u.opts.Concurrency
	if concurrency < MinUploadConcurrency {
		concurrency = DefaultUploadConcurrency
	}
	stopProgress := u.reportProgress(ctx)

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(min(concurrency, MaxUploadConcurrency))
	for i := range parts {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			etag, err := u.sendPart(gctx, &parts[i])
			if err != nil {
				return err
			}
			u.etags[i] = etag
			u.partsDone.Add(1)
			u.bytesDone.Add(parts[i].EndByte - parts[i].StartByte + 1)
			return nil
		})
	}
	err := g.Wait()
	stopProgress() // before the last report: Progress is never called twice at once
	// The caller's cancellation explains the other parts' failures: report it, not theirs.
	if ctxErr := ctx.Err(); ctxErr != nil {
		return u.failure(UploadStepPart, 0, 0, 0, ctxErr)
	}
	if err != nil {
		return err
	}
	if u.opts.Progress != nil {
		u.opts.Progress(u.progress())
	}
	return nil
}

func (u *partUpload) progress() UploadProgress {
	var total int64
	if n := len(u.upload.Parts); n > 0 {
		total = u.upload.Parts[n-1].EndByte + 1
	}
	return UploadProgress{
		PartsDone: int(u.partsDone.Load()), PartsTotal: len(u.upload.Parts),
		BytesDone: u.bytesDone.Load(), BytesTotal: total, Elapsed: time.Since(u.started),
	}
}

// reportProgress calls Progress every ProgressEvery while parts are being uploaded, when
// something changed; the returned function stops it.
func (u *partUpload) reportProgress(ctx context.Context) func() {
	if u.opts.Progress == nil || u.opts.ProgressEvery <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		ticker := time.NewTicker(u.opts.ProgressEvery)
		defer ticker.Stop()
		last := int64(-1)
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-ticker.C:
				if n := u.bytesDone.Load(); n != last {
					last = n
					u.opts.Progress(u.progress())
				}
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

// retryableStorage reports whether another attempt may succeed where this one failed: a
// dropped or reset connection, a timeout, a 429 or a 5xx other than 501.
func retryableStorage(ctx context.Context, status int, err error) bool {
	if status == 0 {
		var te transportError
		return ctx.Err() == nil && errors.As(err, &te) && retryable(ctx, nil, te.err)
	}
	return status == http.StatusTooManyRequests || (status >= 500 && status != http.StatusNotImplemented)
}
