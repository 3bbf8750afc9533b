package lumlfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func storeDo(t *testing.T, method, rawURL, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestObjectStore(t *testing.T) {
	store := NewObjectStore()
	srv := httptest.NewServer(store)
	t.Cleanup(srv.Close)
	obj := srv.URL + "/models/dir/test_file?X-Amz-Signature=ignored"

	if status, _, _ := storeDo(t, http.MethodPut, obj, "Connection test."); status != http.StatusOK {
		t.Fatalf("PUT: %d", status)
	}
	if b, ok := store.Object("models", "dir/test_file"); !ok || string(b) != "Connection test." {
		t.Errorf("stored %q", b)
	}
	status, h, body := storeDo(t, http.MethodGet, obj, "", "Range", "bytes=0-10")
	if status != http.StatusPartialContent || body != "Connection " || h.Get("Content-Range") != "bytes 0-10/16" {
		t.Errorf("ranged GET: %d %q %q", status, body, h.Get("Content-Range"))
	}
	if status, _, body := storeDo(t, http.MethodGet, obj, ""); status != http.StatusOK || body != "Connection test." {
		t.Errorf("GET: %d %q", status, body)
	}
	store.SetRangeSupport(false)
	if status, _, body := storeDo(t, http.MethodGet, obj, "", "Range", "bytes=0-10"); status != http.StatusOK || body != "Connection test." {
		t.Errorf("ranged GET without range support: %d %q", status, body)
	}
	if status, _, _ := storeDo(t, http.MethodDelete, obj, ""); status != http.StatusNoContent {
		t.Errorf("DELETE: %d", status)
	}
	if status, _, _ := storeDo(t, http.MethodGet, obj, ""); status != http.StatusNotFound {
		t.Errorf("GET after DELETE: %d", status)
	}
	store.SetFailPut(http.StatusForbidden)
	if status, _, _ := storeDo(t, http.MethodPut, obj, "x"); status != http.StatusForbidden {
		t.Errorf("failing PUT: %d", status)
	}
	if store.Count(http.MethodPut) != 2 || store.Count(http.MethodGet) != 4 || store.Count(http.MethodDelete) != 1 {
		t.Errorf("counts PUT %d GET %d DELETE %d", store.Count(http.MethodPut), store.Count(http.MethodGet), store.Count(http.MethodDelete))
	}
}

// TestConnectionCheck runs the official client's connection check against
// URLs the emulator signed for an ObjectStore endpoint.
func TestConnectionCheck(t *testing.T) {
	e := newEnv(t)
	store := NewObjectStore()
	storeSrv := httptest.NewServer(store)
	t.Cleanup(storeSrv.Close)
	host := strings.TrimPrefix(storeSrv.URL, "http://")
	r := e.as(http.MethodPost, "/v1/bucket-secrets/urls",
		`{"type":"s3","endpoint":"`+host+`","bucket_name":"models","region":"us-east-1","access_key":"AK","secret_key":"SK","secure":false}`)
	var urls testURLs
	if err := json.Unmarshal([]byte(r.body), &urls); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	if status, _, _ := storeDo(t, http.MethodPut, urls.PresignedURL, "Connection test.", "Content-Type", "application/octet-stream"); status != http.StatusOK {
		t.Errorf("PUT: %d", status)
	}
	if status, _, body := storeDo(t, http.MethodGet, urls.DownloadURL, "", "Range", "bytes=0-10"); status != http.StatusPartialContent || body != "Connection " {
		t.Errorf("ranged GET: %d %q", status, body)
	}
	if status, _, _ := storeDo(t, http.MethodDelete, urls.DeleteURL, ""); status != http.StatusNoContent {
		t.Errorf("DELETE: %d", status)
	}
	if e.srv.CountRequests("", "/") != 1 {
		t.Error("object store traffic reached the API's request log")
	}
}
