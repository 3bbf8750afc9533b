package luml_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// uploadServer is LUML's multipart endpoint and the storage behind its URLs in one test
// server: it plans parts of partSize bytes (a few, so that 5120 of them stay small), takes
// part PUTs at their signed URLs, fails those it is told to, and assembles the object on
// completion, as S3 or Azure would.
type uploadServer struct {
	srv      *httptest.Server
	kind     luml.BucketType
	partSize int64

	mu       sync.Mutex
	parts    map[int64][]byte // by part number, the last body taken
	attempts map[int64]int
	inFlight int
	maxSeen  int
	// fail decides the answer to a part's attempt (from 1): 0 takes it, a status refuses it,
	// dropAnswer stores it and closes the connection without answering.
	fail func(part int64, attempt int) int
	// onPart runs once a part's body is read, before the answer: with one part in flight, the
	// next part's reading starts after it. ctx ends when the client gives the request up.
	onPart func(ctx context.Context, part int64)
	// completeAnswer, when set, is the body of S3's 200 answer to the completion.
	completeAnswer string
	completions    int
	object         []byte
}

const (
	dropAnswer = -1
	testSig    = "X-Amz-Signature=0123456789abcdef"
)

func newUploadServer(t testing.TB, kind luml.BucketType, partSize int64) *uploadServer {
	s := &uploadServer{kind: kind, partSize: partSize, parts: map[int64][]byte{}, attempts: map[int64]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *uploadServer) client(t *testing.T, configure ...func(*luml.Config)) *luml.Client {
	cfg := luml.Config{BaseURL: s.srv.URL, APIKey: "dfs_upload-test", MaxRetries: 3}
	for _, f := range configure {
		f(&cfg)
	}
	c, err := luml.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (s *uploadServer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/bucket-secrets/upload/multipart":
		s.plan(w, r)
	case r.Method == http.MethodPut && r.URL.Query().Has("partNumber"):
		n, _ := strconv.ParseInt(r.URL.Query().Get("partNumber"), 10, 64)
		s.part(w, r, n)
	case r.Method == http.MethodPut && r.URL.Query().Get("comp") == "block":
		raw, _ := base64.StdEncoding.DecodeString(r.URL.Query().Get("blockid"))
		n, _ := strconv.ParseInt(strings.TrimPrefix(string(raw), "block-"), 10, 64)
		s.part(w, r, n)
	case r.Method == http.MethodPost && r.URL.Query().Has("uploadId"),
		r.Method == http.MethodPut && r.URL.Query().Get("comp") == "blocklist":
		s.complete(w, r)
	default:
		http.Error(w, "unexpected request", http.StatusBadRequest)
	}
}

func (s *uploadServer) plan(w http.ResponseWriter, r *http.Request) {
	var in luml.MultipartRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	out := luml.MultipartUpload{Type: s.kind, UploadID: in.UploadID}
	for start, n := int64(0), int64(1); start < in.Size; start, n = start+s.partSize, n+1 {
		size := min(s.partSize, in.Size-start)
		out.Parts = append(out.Parts, luml.UploadPart{
			PartNumber: n, URL: s.partURL(n), StartByte: start, EndByte: start + size - 1, PartSize: size,
		})
	}
	out.CompleteURL = s.srv.URL + "/models/model.bin?uploadId=upload-1&" + testSig
	if s.kind == luml.BucketTypeAzure {
		out.CompleteURL = s.srv.URL + "/models/model.bin?sig=secret&comp=blocklist"
	}
	_ = json.NewEncoder(w).Encode(out)
}

func (s *uploadServer) partURL(n int64) string {
	if s.kind == luml.BucketTypeAzure {
		id := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "block-%08d", n))
		return fmt.Sprintf("%s/models/model.bin?sig=secret&comp=block&blockid=%s", s.srv.URL, id)
	}
	return fmt.Sprintf("%s/models/model.bin?partNumber=%d&uploadId=upload-1&%s", s.srv.URL, n, testSig)
}

func (s *uploadServer) part(w http.ResponseWriter, r *http.Request, n int64) {
	s.mu.Lock()
	s.attempts[n]++
	attempt := s.attempts[n]
	s.inFlight++
	s.maxSeen = max(s.maxSeen, s.inFlight)
	fail, onPart := s.fail, s.onPart
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	if onPart != nil {
		onPart(r.Context(), n)
	}
	status := 0
	if fail != nil {
		status = fail(n, attempt)
	}
	if status > 0 {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "<Error><Code>Injected%d</Code><Message>%s</Message></Error>", status, html.EscapeString(r.URL.String()))
		return
	}
	sum := md5.Sum(body)
	s.mu.Lock()
	s.parts[n] = body
	s.mu.Unlock()
	if status == dropAnswer {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	}
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	w.WriteHeader(http.StatusCreated)
}

func (s *uploadServer) complete(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.completions++
	var order []int64
	if s.kind == luml.BucketTypeAzure {
		var list struct {
			Latest []string `xml:"Latest"`
		}
		if err := xml.Unmarshal(body, &list); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, id := range list.Latest {
			raw, _ := base64.StdEncoding.DecodeString(id)
			n, _ := strconv.ParseInt(strings.TrimPrefix(string(raw), "block-"), 10, 64)
			order = append(order, n)
		}
	} else {
		var doc struct {
			Parts []struct {
				PartNumber int64
				ETag       string
			} `xml:"Part"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, p := range doc.Parts {
			sum := md5.Sum(s.parts[p.PartNumber])
			if p.ETag != `"`+hex.EncodeToString(sum[:])+`"` {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = fmt.Fprintf(w, "<Error><Code>InvalidPart</Code><Message>part %d</Message></Error>", p.PartNumber)
				return
			}
			order = append(order, p.PartNumber)
		}
	}
	var object bytes.Buffer
	for i, n := range order {
		if n != int64(i+1) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, "<Error><Code>InvalidPartOrder</Code></Error>")
			return
		}
		object.Write(s.parts[n])
	}
	if s.completeAnswer != "" {
		_, _ = io.WriteString(w, s.completeAnswer)
		return
	}
	s.object = object.Bytes()
	w.WriteHeader(http.StatusOK)
}

func (s *uploadServer) stored() ([]byte, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.object, s.completions
}

func (s *uploadServer) concurrencySeen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxSeen
}

func (s *uploadServer) attemptsOf(n int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[n]
}
