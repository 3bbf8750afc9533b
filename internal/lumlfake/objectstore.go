package lumlfake

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// ObjectStore is a tiny in-memory bucket host for connection checks: point
// a secret's endpoint at it (host:port, secure false) and the presigned
// test URLs land here. It serves path-style /<bucket>/<key>, accepts any
// query string and checks no signature. It is safe for concurrent use.
type ObjectStore struct {
	mu       sync.Mutex
	objects  map[string][]byte // "<bucket>/<key>"
	noRanges bool
	failPut  int
	counts   map[string]int
}

// NewObjectStore returns an empty store that supports ranged GETs.
func NewObjectStore() *ObjectStore {
	return &ObjectStore{objects: map[string][]byte{}, counts: map[string]int{}}
}

// SetRangeSupport(false) makes ranged GETs answer 200 with the whole object,
// like a host that ignores Range.
func (o *ObjectStore) SetRangeSupport(ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.noRanges = !ok
}

// SetFailPut makes every PUT answer status; 0 makes PUTs succeed again.
func (o *ObjectStore) SetFailPut(status int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.failPut = status
}

// Count returns how many requests with the method the store received.
func (o *ObjectStore) Count(method string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.counts[method]
}

// Object returns a copy of a stored object.
func (o *ObjectStore) Object(bucket, key string) ([]byte, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	b, ok := o.objects[bucket+"/"+key]
	return slices.Clone(b), ok
}

// ServeHTTP implements http.Handler.
func (o *ObjectStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.counts[r.Method]++
	noRanges, failPut := o.noRanges, o.failPut
	o.mu.Unlock()

	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if bucket == "" || key == "" {
		s3Error(w, http.StatusBadRequest, "InvalidRequest", "path-style /<bucket>/<key> expected")
		return
	}
	name := bucket + "/" + key
	switch r.Method {
	case http.MethodPut:
		if failPut != 0 {
			s3Error(w, failPut, "InjectedFailure", "PUT refused by configuration")
			return
		}
		var body bytes.Buffer
		if _, err := body.ReadFrom(r.Body); err != nil {
			s3Error(w, http.StatusBadRequest, "IncompleteBody", err.Error())
			return
		}
		sum := md5.Sum(body.Bytes())
		o.mu.Lock()
		o.objects[name] = body.Bytes()
		o.mu.Unlock()
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.WriteHeader(http.StatusOK)
	case http.MethodGet, http.MethodHead:
		o.mu.Lock()
		data, ok := o.objects[name]
		o.mu.Unlock()
		if !ok {
			s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
			return
		}
		if noRanges {
			r.Header.Del("Range")
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, key, time.Time{}, bytes.NewReader(data))
	case http.MethodDelete:
		o.mu.Lock()
		delete(o.objects, name)
		o.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	}
}

func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, html.EscapeString(msg))
}
