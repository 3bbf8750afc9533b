package clitest_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// multipartStore is an S3 multipart upload target for the CLI tests of the upload action: it
// takes part PUTs (?partNumber&uploadId), answers each with its MD5 as ETag, and assembles the
// object when a POST (?uploadId) lists every part with its ETag in order. It checks no
// signature; the end-to-end tests against versitygw do. With hold set, every part PUT but part 1's
// waits until the test ends or the client gives up, to catch an upload in flight.
type multipartStore struct {
	host string

	mu          sync.Mutex
	parts       map[int][]byte
	objects     map[string][]byte
	completions int
	hold        bool
	held        int
	abandoned   int
	release     chan struct{}
}

func startMultipartStore(t *testing.T) *multipartStore {
	s := &multipartStore{parts: map[int][]byte{}, objects: map[string][]byte{}, release: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.release)
		srv.Close()
	})
	s.host = strings.TrimPrefix(srv.URL, "http://")
	return s
}

func (s *multipartStore) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	key := strings.TrimPrefix(r.URL.Path, "/")
	switch {
	case r.Method == http.MethodPut && q.Has("partNumber") && q.Has("uploadId"):
		n, _ := strconv.Atoi(q.Get("partNumber"))
		s.mu.Lock()
		wait := s.hold && n != 1
		s.mu.Unlock()
		if wait {
			// Read first: the server notices a client that gave up only once the body is read.
			_, _ = io.Copy(io.Discard, r.Body)
			s.mu.Lock()
			s.held++
			s.mu.Unlock()
			select {
			case <-s.release:
			case <-r.Context().Done():
				s.mu.Lock()
				s.abandoned++
				s.mu.Unlock()
			}
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		sum := md5.Sum(body)
		s.mu.Lock()
		s.parts[n] = body
		s.mu.Unlock()
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	case r.Method == http.MethodPost && q.Has("uploadId"):
		var doc struct {
			Parts []struct {
				PartNumber int
				ETag       string
			} `xml:"Part"`
		}
		body, _ := io.ReadAll(r.Body)
		if err := xml.Unmarshal(body, &doc); err != nil {
			http.Error(w, "<Error><Code>MalformedXML</Code></Error>", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var object bytes.Buffer
		for i, p := range doc.Parts {
			sum := md5.Sum(s.parts[p.PartNumber])
			if p.PartNumber != i+1 || p.ETag != `"`+hex.EncodeToString(sum[:])+`"` {
				http.Error(w, "<Error><Code>InvalidPart</Code></Error>", http.StatusBadRequest)
				return
			}
			object.Write(s.parts[p.PartNumber])
		}
		s.objects[key] = object.Bytes()
		s.parts = map[int][]byte{}
		s.completions++
		_, _ = io.WriteString(w, "<CompleteMultipartUploadResult><Key>"+key+"</Key></CompleteMultipartUploadResult>")
	default:
		http.Error(w, "<Error><Code>NotImplemented</Code></Error>", http.StatusNotImplemented)
	}
}

func (s *multipartStore) object(key string) ([]byte, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.objects[key], s.completions
}

func (s *multipartStore) holdParts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = true
}

// inFlight reports how many parts are uploaded, how many were held and how many of those the
// client gave up.
func (s *multipartStore) inFlight() (done, held, abandoned int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.parts), s.held, s.abandoned
}
