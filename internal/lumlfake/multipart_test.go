package lumlfake

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

type multipartResponse struct {
	Type     string  `json:"type"`
	UploadID *string `json:"upload_id"`
	Parts    []struct {
		PartNumber int    `json:"part_number"`
		URL        string `json:"url"`
		StartByte  int64  `json:"start_byte"`
		EndByte    int64  `json:"end_byte"`
		PartSize   int64  `json:"part_size"`
	} `json:"parts"`
	CompleteURL string `json:"complete_url"`
}

func multipartBodyJSON(id, extra string) string {
	return `{"bucket_id":"` + id + `","bucket_location":"runs/model.bin"` + extra + `}`
}

func TestMultipartS3(t *testing.T) {
	e := newEnv(t)
	id := e.create(`{"type":"s3","endpoint":"s3.eu-central-1.amazonaws.com","bucket_name":"models","region":"eu-central-1","access_key":"AK","secret_key":"SK"}`)
	const path = "/v1/bucket-secrets/upload/multipart"

	r := e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":629145600,"upload_id":"up-1"`))
	if !strings.HasPrefix(r.body, `{"type":"s3","upload_id":"up-1","parts":[{"part_number":1,"url":"`) ||
		!strings.Contains(r.body, `","start_byte":0,"end_byte":33554431,"part_size":33554432},{"part_number":2,`) ||
		!strings.Contains(r.body, `],"complete_url":"`) {
		t.Errorf("key order: %.300s", r.body)
	}
	m := decodeInto[multipartResponse](t, r)
	if len(m.Parts) != 19 || m.Parts[18].PartSize != 25165824 || m.Parts[18].StartByte != 18*33554432 || m.Parts[18].EndByte != 629145599 {
		t.Fatalf("parts %+v", m.Parts[len(m.Parts)-1])
	}
	for i, p := range m.Parts {
		q := checkSigV4(t, p.URL, http.MethodPut, "SK")
		if p.PartNumber != i+1 || q.Get("partNumber") != itoa(i+1) || q.Get("uploadId") != "up-1" ||
			!strings.HasPrefix(p.URL, "https://models.s3.eu-central-1.amazonaws.com/runs/model.bin?") {
			t.Errorf("part %d URL %s", i+1, p.URL)
		}
	}
	if q := checkSigV4(t, m.CompleteURL, http.MethodPost, "SK"); q.Get("uploadId") != "up-1" || q.Has("partNumber") {
		t.Errorf("complete URL %s", m.CompleteURL)
	}

	for _, size := range []string{"0", "-1"} {
		e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":`+size+`,"upload_id":"u"`))
		if m := decodeInto[multipartResponse](t, e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":`+size+`,"upload_id":"u"`))); len(m.Parts) != 0 || m.Parts == nil {
			t.Errorf("size %s: parts %v", size, m.Parts)
		}
	}
	if m := decodeInto[multipartResponse](t, e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":" 12 ","upload_id":"u"`))); len(m.Parts) != 1 || m.Parts[0].PartSize != 12 {
		t.Errorf("string size: %+v", m.Parts)
	}
	e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":10`)).expectInternalError(t)
	e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":10,"upload_id":null`)).expectInternalError(t)
	e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":1e30,"upload_id":"u"`)).
		expect(t, http.StatusUnprocessableEntity, `{"detail":[{"type":"int_parsing_size","loc":["body","size"],"msg":"Unable to parse input string as an integer, exceeded maximum size","input":1e30}]}`)

	// 5 TiB: every part in order, contiguous, each URL for its own part number. How long
	// signing takes is for benchmarks, not for this test.
	big := decodeInto[multipartResponse](t, e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":5497558138880,"upload_id":"u"`)))
	if len(big.Parts) != 5120 || big.Parts[5119].EndByte != 5497558138879 {
		t.Fatalf("5 TiB: %d parts", len(big.Parts))
	}
	for i, p := range big.Parts {
		if p.PartNumber != i+1 || p.StartByte != int64(i)<<30 || p.EndByte != int64(i+1)<<30-1 ||
			!strings.Contains(p.URL, "partNumber="+itoa(i+1)+"&") {
			t.Fatalf("5 TiB: part %d is number %d, bytes %d-%d", i+1, p.PartNumber, p.StartByte, p.EndByte)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestMultipartAzure(t *testing.T) {
	e := newEnv(t)
	id := e.create(azureBody("models"))
	r := e.as(http.MethodPost, "/v1/bucket-secrets/upload/multipart", multipartBodyJSON(id, `,"size":100000000,"upload_id":"ignored"`))
	if !strings.HasPrefix(r.body, `{"type":"azure","parts":[{"part_number":1,"url":"`) || strings.Contains(r.body, "upload_id") {
		t.Errorf("Azure multipart body: %.200s", r.body)
	}
	m := decodeInto[multipartResponse](t, r)
	if len(m.Parts) != 3 || m.Parts[2].PartSize != 100000000-2*33554432 {
		t.Fatalf("parts: %+v", m.Parts)
	}
	for i, p := range m.Parts {
		sas, block, _ := strings.Cut(p.URL, "&comp=block&blockid=")
		checkSAS(t, sas, "lumltest models/runs/model.bin cw")
		if want := base64.StdEncoding.EncodeToString([]byte("block-0000000" + itoa(i+1))); block != want {
			t.Errorf("block id %s, want %s", block, want)
		}
	}
	if !strings.HasSuffix(m.Parts[0].URL, "&comp=block&blockid=YmxvY2stMDAwMDAwMDE=") {
		t.Errorf("part 1 URL %s", m.Parts[0].URL)
	}
	sas, ok := strings.CutSuffix(m.CompleteURL, "&comp=blocklist")
	if !ok {
		t.Fatalf("complete URL %s", m.CompleteURL)
	}
	checkSAS(t, sas, "lumltest models/runs/model.bin cw")

	// Blob names are quoted as the SDK quotes them, in the URL and in the signature.
	azuriteID := e.create(`{"type":"azure","endpoint":"` + azuriteConn + `","bucket_name":"models"}`)
	for _, c := range []struct{ id, account string }{{id, "lumltest"}, {azuriteID, "devstoreaccount1"}} {
		m := decodeInto[multipartResponse](t, e.as(http.MethodPost, "/v1/bucket-secrets/upload/multipart",
			`{"bucket_id":"`+c.id+`","bucket_location":"runs/model v2~+.bin","size":1}`))
		want := azureSDKURLs[c.account+" models/runs/model v2~+.bin cw"]
		if len(m.Parts) != 1 || m.Parts[0].URL != want+"&comp=block&blockid=YmxvY2stMDAwMDAwMDE=" || m.CompleteURL != want+"&comp=blocklist" {
			t.Errorf("%s: %+v", c.account, m)
		}
	}
}

func TestMultipartAccess(t *testing.T) {
	e := newEnv(t)
	id := e.create(s3Body)
	const path = "/v1/bucket-secrets/upload/multipart"
	missing := "0198b2c4-0000-7000-8000-000000000000"
	member := e.user(e.org, RoleMember)
	outsider := e.user(e.srv.AddOrganization("Other"), RoleOwner)
	body := multipartBodyJSON(id, `,"size":1,"upload_id":"u"`)

	// The lookup comes first: a member learns whether an ID exists.
	e.call(http.MethodPost, path, member.APIKey, multipartBodyJSON(missing, `,"size":1,"upload_id":"u"`)).
		expect(t, http.StatusNotFound, `{"detail":"Secret not found"}`)
	e.call(http.MethodPost, path, member.APIKey, body).expect(t, http.StatusForbidden, `{"detail":"Not enough rights"}`)
	e.call(http.MethodPost, path, outsider.APIKey, body).expect(t, http.StatusForbidden, `{"detail":"Not enough rights"}`)
	admin := e.user(e.org, RoleAdmin)
	if r := e.call(http.MethodPost, path, admin.APIKey, body); r.status != http.StatusOK {
		t.Errorf("admin: %d %s", r.status, r.body)
	}
}

// A multipart upload to an empty bucket_location fails at signing, as on the real server.
func TestMultipartEmptyLocation(t *testing.T) {
	e := newEnv(t)
	id := e.create(s3Body)
	const path = "/v1/bucket-secrets/upload/multipart"
	e.as(http.MethodPost, path, `{"bucket_id":"`+id+`","bucket_location":"","size":10,"upload_id":"u"}`).
		expect(t, http.StatusBadRequest, `{"detail":"Failed to generate URL: "}`)
	// The missing upload_id is found first.
	e.as(http.MethodPost, path, `{"bucket_id":"`+id+`","bucket_location":"","size":10}`).expectInternalError(t)
}
