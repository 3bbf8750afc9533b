package luml

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The requests of an upload to the storage: a part's PUT and the completion, each retried on
// its own.

// errFileShrank: the file ended before a part's last byte, so it changed during the upload.
var errFileShrank = fmt.Errorf("%w: it ended before the part's last byte", ErrFileChanged)

// maxStorageAnswer bounds how much of a storage answer is read: an S3 error or completion
// document is a few hundred bytes.
const maxStorageAnswer = 1 << 20

// storageAnswer is what the storage said to one attempt.
type storageAnswer struct {
	host   string
	status int
	header http.Header
	body   []byte
}

// sendPart PUTs one part, retrying it after a failure another attempt may not meet. It
// returns the part's ETag (empty for Azure, whose blocks are named by their URLs).
func (u *partUpload) sendPart(ctx context.Context, p *UploadPart) (string, error) {
	size := p.EndByte - p.StartByte + 1
	for attempt := 1; ; attempt++ {
		// A fresh reader each attempt: a failed one may have read any part of the range.
		body := &exactReader{r: io.NewSectionReader(u.file, p.StartByte, size), left: size}
		answer, err := storageRequest(ctx, u.http, http.MethodPut, p.URL, body, size, nil)
		if err == nil && answer.status/100 == 2 {
			etag := answer.header.Get("ETag")
			if u.upload.Type == BucketTypeS3 && etag == "" {
				return "", u.failure(UploadStepPart, p.PartNumber, answer.status, attempt,
					errors.New("the storage accepted the part without an ETag header"))
			}
			return etag, nil
		}
		status := answer.status
		if err == nil {
			err = storageStatusError(http.MethodPut, answer)
		}
		if !u.retryAfter(ctx, "part", p.PartNumber, attempt, answer, err) {
			if ctxErr := ctx.Err(); ctxErr != nil {
				err = ctxErr
			}
			return "", u.failure(UploadStepPart, p.PartNumber, status, attempt, err)
		}
	}
}

// retryAfter decides whether a failed attempt is tried again and, if so, waits for it,
// logging the retry at DEBUG. It reports false when the attempt stays failed.
func (u *partUpload) retryAfter(ctx context.Context, what string, part int64, attempt int, answer storageAnswer, err error) bool {
	c := u.client
	if attempt > c.maxRetries || !retryableStorage(ctx, answer.status, err) {
		return false
	}
	var resp *http.Response
	if answer.status != 0 {
		resp = &http.Response{StatusCode: answer.status, Header: answer.header}
	}
	wait := backoff(attempt, resp)
	fields := map[string]any{"step": what, "attempt": attempt, "wait": wait.String()}
	if part > 0 {
		fields["part_number"] = part
	}
	if answer.status != 0 {
		fields["status"] = answer.status
	} else {
		fields["error"] = err.Error()
	}
	c.logger.Debug(ctx, "Multipart upload request failed; it will be retried", fields)
	u.retries.Add(1)
	return pause(ctx, wait)
}

// storageRequest sends one request to a presigned URL with the storage client (never
// logged). Its errors never quote the URL.
func storageRequest(ctx context.Context, hc *http.Client, method, rawURL string, body io.Reader, size int64, header http.Header) (storageAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, method, rawURL, body)
	if err != nil {
		return storageAnswer{}, fmt.Errorf("LUML answered an unusable %s URL", method)
	}
	req.ContentLength = size
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		if errors.Is(err, errFileShrank) {
			return storageAnswer{}, errFileShrank
		}
		return storageAnswer{}, fmt.Errorf("%s to %s failed: %w", method, req.URL.Host, transportError{err})
	}
	defer resp.Body.Close()
	answer := storageAnswer{host: req.URL.Host, status: resp.StatusCode, header: resp.Header}
	answer.body, err = io.ReadAll(io.LimitReader(resp.Body, maxStorageAnswer))
	if err != nil {
		return storageAnswer{status: 0}, fmt.Errorf("%s to %s: the answer was cut off: %w", method, req.URL.Host, transportError{err})
	}
	return answer, nil
}

// transportError keeps a transport error (a *url.Error) for the retry policy while its text
// is transportText's, which never holds the URL.
type transportError struct{ err error }

func (e transportError) Error() string {
	inner := e.err
	var ue *url.Error
	if errors.As(inner, &ue) {
		inner = ue.Err
	}
	return transportText(inner)
}

func (e transportError) Unwrap() error { return e.err }

// storageStatusError describes a refusal: the status and the storage's error code, if any.
func storageStatusError(method string, a storageAnswer) error {
	text := fmt.Sprintf("%s to %s answered %d %s", method, a.host, a.status, http.StatusText(a.status))
	if code := storageErrorCode(a.body); code != "" {
		text += " (" + code + ")"
	}
	return errors.New(text)
}

// storageErrorCode is the Code of an S3 or Azure error document. The message is left out:
// Azure's may quote the request.
func storageErrorCode(body []byte) string {
	var doc struct {
		XMLName xml.Name `xml:"Error"`
		Code    string   `xml:"Code"`
	}
	if xml.Unmarshal(body, &doc) != nil {
		return ""
	}
	return doc.Code
}

// exactReader reads exactly left bytes from r, and fails rather than send fewer.
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		return n, errFileShrank
	}
	if e.left == 0 && err == nil {
		err = io.EOF
	}
	return n, err
}

// complete completes the upload once every part is in: S3 CompleteMultipartUpload with the
// parts' ETags in order, or Azure Put Block List with the blocks in order.
func (u *partUpload) complete(ctx context.Context) error {
	var body []byte
	method := http.MethodPost
	header := http.Header{"Content-Type": {"application/xml"}}
	switch u.upload.Type {
	case BucketTypeS3:
		body = completeMultipartBody(u.etags)
	default:
		method = http.MethodPut
		ids := make([]string, len(u.upload.Parts))
		for i, p := range u.upload.Parts {
			id, err := azureBlockID(p.URL)
			if err != nil {
				return u.failure(UploadStepComplete, 0, 0, 0, fmt.Errorf("part %d: %w", p.PartNumber, err))
			}
			ids[i] = id
		}
		body = blockListBody(ids)
	}
	ambiguous := false
	for attempt := 1; ; attempt++ {
		answer, err := storageRequest(ctx, u.http, method, u.upload.CompleteURL, bytes.NewReader(body), int64(len(body)), header)
		if err == nil && answer.status/100 == 2 {
			// S3 may fail a completion in the body of a 200 answer, after it began.
			if code, failed := s3CompletionFailed(answer.body); u.upload.Type == BucketTypeS3 && failed {
				answer.status = http.StatusInternalServerError
				err = fmt.Errorf("%s to %s answered %d, with an error in its body (%s)", method, answer.host, http.StatusOK, code)
				if !u.retryAfter(ctx, "complete", 0, attempt, answer, err) {
					return u.failure(UploadStepComplete, 0, http.StatusOK, attempt, err)
				}
				continue
			}
			return nil
		}
		if err == nil {
			err = storageStatusError(method, answer)
			if ambiguous && answer.status == http.StatusNotFound {
				err = fmt.Errorf("%w; an earlier attempt got no answer and may have completed the upload: check "+
					"whether the object is there before uploading again", err)
			}
		}
		if answer.status == 0 || answer.status >= 500 {
			ambiguous = true
		}
		if !u.retryAfter(ctx, "complete", 0, attempt, answer, err) {
			if ctxErr := ctx.Err(); ctxErr != nil {
				err = ctxErr
			}
			return u.failure(UploadStepComplete, 0, answer.status, attempt, err)
		}
	}
}

// s3CompletionFailed reports an <Error> document in a completion's 200 answer, with its code.
func s3CompletionFailed(body []byte) (string, bool) {
	if !bytes.Contains(body, []byte("<Error>")) {
		return "", false
	}
	code := storageErrorCode(bytes.TrimSpace(body))
	if code == "" {
		code = "no error code"
	}
	return code, true
}

func completeMultipartBody(etags []string) []byte {
	var b strings.Builder
	b.Grow(len(etags) * 80)
	b.WriteString(`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	for i, etag := range etags {
		fmt.Fprintf(&b, "<Part><PartNumber>%d</PartNumber><ETag>", i+1)
		_ = xml.EscapeText(&b, []byte(etag)) // a strings.Builder never fails
		b.WriteString("</ETag></Part>")
	}
	b.WriteString("</CompleteMultipartUpload>")
	return []byte(b.String())
}

func blockListBody(ids []string) []byte {
	var b strings.Builder
	b.Grow(len(ids) * 40)
	b.WriteString(xml.Header)
	b.WriteString("<BlockList>")
	for _, id := range ids {
		b.WriteString("<Latest>")
		_ = xml.EscapeText(&b, []byte(id))
		b.WriteString("</Latest>")
	}
	b.WriteString("</BlockList>")
	return []byte(b.String())
}

// azureBlockID reads the blockid parameter of a Put Block URL. LUML writes the base64 ID
// unescaped, so a '+' in it is a plus, not a space.
func azureBlockID(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", errors.New("LUML answered an unusable block URL")
	}
	for pair := range strings.SplitSeq(u.RawQuery, "&") {
		if value, ok := strings.CutPrefix(pair, "blockid="); ok {
			id, err := url.PathUnescape(value)
			if err != nil || id == "" {
				return "", errors.New("the block URL has an unreadable block ID")
			}
			return id, nil
		}
	}
	return "", errors.New("the block URL has no block ID")
}

// uploadClient is the storage client without its per-request timeout: a part of 1 GiB takes
// as long as the link needs. The caller's context ends it.
func uploadClient(storage *http.Client) *http.Client {
	c := *storage
	c.Timeout = 0
	return &c
}
