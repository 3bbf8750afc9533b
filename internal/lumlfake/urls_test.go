package lumlfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

type testURLs struct {
	PresignedURL string `json:"presigned_url"`
	DownloadURL  string `json:"download_url"`
	DeleteURL    string `json:"delete_url"`
}

func decodeInto[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	return v
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// awsEncode is the SigV4 URI encoding of a query component.
func awsEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// checkSigV4 recomputes the SigV4 query signature of a presigned URL with
// secretKey and returns the URL's query.
func checkSigV4(t *testing.T, raw, method, secretKey string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-Expires") != "43200" || q.Get("X-Amz-SignedHeaders") != "host" {
		t.Fatalf("not a 12 h SigV4 URL: %s", raw)
	}
	var pairs []string
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, awsEncode(k)+"="+awsEncode(v))
		}
	}
	slices.Sort(pairs)
	canonical := strings.Join([]string{method, u.EscapedPath(), strings.Join(pairs, "&"), "host:" + u.Host, "", "host", "UNSIGNED-PAYLOAD"}, "\n")
	digest := sha256.Sum256([]byte(canonical))
	_, scope, _ := strings.Cut(q.Get("X-Amz-Credential"), "/")
	parts := strings.Split(scope, "/")
	toSign := "AWS4-HMAC-SHA256\n" + q.Get("X-Amz-Date") + "\n" + scope + "\n" + hex.EncodeToString(digest[:])
	key := []byte("AWS4" + secretKey)
	for _, p := range parts {
		key = hmacSHA256(key, p)
	}
	if want := hex.EncodeToString(hmacSHA256(key, toSign)); q.Get("X-Amz-Signature") != want {
		t.Errorf("%s signature %s, want %s", method, q.Get("X-Amz-Signature"), want)
	}
	return q
}

func TestS3TestURLs(t *testing.T) {
	e := newEnv(t)
	r := e.as(http.MethodPost, "/v1/bucket-secrets/urls",
		`{"type":"s3","endpoint":"http://127.0.0.1:9000","bucket_name":"models","region":"eu-west-1","access_key":"AK","secret_key":"SK","session_token":"TOKEN","secure":false}`)
	if !strings.HasPrefix(r.body, `{"presigned_url":"`) {
		t.Errorf("key order: %s", r.body)
	}
	urls := decodeInto[testURLs](t, r)
	for method, raw := range map[string]string{http.MethodPut: urls.PresignedURL, http.MethodGet: urls.DownloadURL, http.MethodDelete: urls.DeleteURL} {
		if !strings.HasPrefix(raw, "http://127.0.0.1:9000/models/test_file?") {
			t.Errorf("%s URL %s", method, raw)
		}
		q := checkSigV4(t, raw, method, "SK")
		if !strings.HasPrefix(q.Get("X-Amz-Credential"), "AK/") || !strings.HasSuffix(q.Get("X-Amz-Credential"), "/eu-west-1/s3/aws4_request") ||
			q.Get("X-Amz-Security-Token") != "TOKEN" {
			t.Errorf("%s URL %s", method, raw)
		}
	}
	if n := len(e.srv.Secrets(e.org.ID)); n != 0 {
		t.Errorf("the test URLs stored %d secrets", n)
	}
	// Any authenticated user may call it, member of nothing or not.
	loner := e.srv.AddUser("loner@example.com")
	if r := e.call(http.MethodPost, "/v1/bucket-secrets/urls", loner.APIKey, `{"type":"s3","endpoint":"e.com","bucket_name":"bkt","region":""}`); r.status != http.StatusOK {
		t.Errorf("unaffiliated user: %d %s", r.status, r.body)
	}
}

func TestS3TestURLErrors(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, fields string
		status       int
		check        func(t *testing.T, urls testURLs)
	}{
		{"no access key gives unsigned URLs", `"endpoint":"s3.example.com","region":"us-east-1"`, http.StatusOK,
			func(t *testing.T, urls testURLs) {
				if urls.PresignedURL != "https://s3.example.com/models/test_file" || strings.Contains(urls.DownloadURL, "X-Amz-Signature") {
					t.Errorf("%+v", urls)
				}
			}},
		{"trailing slash allowed", `"endpoint":"s3.example.com/","region":"us-east-1"`, http.StatusOK, nil},
		{"empty region", `"endpoint":"s3.example.com","region":"","access_key":"a","secret_key":"b"}`, http.StatusOK,
			func(t *testing.T, urls testURLs) {
				checkSigV4(t, urls.PresignedURL, http.MethodPut, "b")
			}},
		{"access key without secret key", `"endpoint":"s3.example.com","region":"us-east-1","access_key":"a"`, http.StatusInternalServerError, nil},
		{"path in endpoint", `"endpoint":"s3.example.com/path","region":"us-east-1"`, http.StatusInternalServerError, nil},
		{"query in endpoint", `"endpoint":"s3.example.com?x=1","region":"us-east-1"`, http.StatusInternalServerError, nil},
		{"user in endpoint", `"endpoint":"me@s3.example.com","region":"us-east-1"`, http.StatusInternalServerError, nil},
		{"bad port", `"endpoint":"s3.example.com:http","region":"us-east-1"`, http.StatusInternalServerError, nil},
		{"empty endpoint", `"endpoint":"","region":"us-east-1"`, http.StatusInternalServerError, nil},
		{"region starting with a dash", `"endpoint":"s3.example.com","region":"-eu"`, http.StatusInternalServerError, nil},
		{"region with a dot", `"endpoint":"s3.example.com","region":"eu.west"`, http.StatusInternalServerError, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"type":"s3","bucket_name":"models",` + strings.TrimSuffix(tt.fields, "}") + `}`
			r := e.as(http.MethodPost, "/v1/bucket-secrets/urls", body)
			if tt.status == http.StatusInternalServerError {
				r.expectInternalError(t)
				return
			}
			urls := decodeInto[testURLs](t, r)
			if tt.check != nil {
				tt.check(t, urls)
			}
		})
	}
	t.Run("invalid bucket name", func(t *testing.T) {
		e.as(http.MethodPost, "/v1/bucket-secrets/urls", `{"type":"s3","endpoint":"s3.example.com","bucket_name":"x","region":"r"}`).
			expect(t, http.StatusBadRequest, `{"detail":"Failed to generate upload URL: Bucket name cannot be shorter than 3 characters"}`)
	})
}

// azureSDKURLs are the URLs azure-storage-blob 12.27.1 (the server's, sv 2025-11-05) wrote for
// the test accounts with the expiry epoch + 12 h, as the server builds them:
// BlobServiceClient.from_connection_string(conn).get_container_client(container).get_blob_client(blob).url
// + "?" + generate_blob_sas(account_name, container, blob, account_key, permission, expiry).
// The emulator's URLs must equal them byte for byte; the end-to-end tests against Azurite show
// that such URLs are accepted.
var azureSDKURLs = map[string]string{
	"lumltest models/test_file cw":           "https://lumltest.blob.core.windows.net/models/test_file?se=2026-08-17T22%3A20%3A30Z&sp=cw&sv=2025-11-05&sr=b&sig=8PNi7sIuMB%2Bkxi3yv5I9ghLhQQzaXzPsBgQlphWhSQo%3D",
	"lumltest models/test_file r":            "https://lumltest.blob.core.windows.net/models/test_file?se=2026-08-17T22%3A20%3A30Z&sp=r&sv=2025-11-05&sr=b&sig=lZT/ncyhkftRxYmlO/Ezx2rGjVytJC40WYw6pI4qTUE%3D",
	"lumltest models/test_file d":            "https://lumltest.blob.core.windows.net/models/test_file?se=2026-08-17T22%3A20%3A30Z&sp=d&sv=2025-11-05&sr=b&sig=eyAJ72e3eE%2BpiKKw0TzbpxYyG%2Bv2mEdAyvm3sxmN/W4%3D",
	"lumltest models/runs/model.bin cw":      "https://lumltest.blob.core.windows.net/models/runs/model.bin?se=2026-08-17T22%3A20%3A30Z&sp=cw&sv=2025-11-05&sr=b&sig=50LDU/8pw%2BagD3ay9BqeVQCtopE9mKSLl%2BayN%2BhaGlU%3D",
	"lumltest models/runs/model v2~+.bin cw": "https://lumltest.blob.core.windows.net/models/runs/model%20v2~%2B.bin?se=2026-08-17T22%3A20%3A30Z&sp=cw&sv=2025-11-05&sr=b&sig=bQRW1uIwDDoNvjLRmsBhYpqJcGNg8SC7Jrywig5U92I%3D",
	"lumltest renamed/test_file r":           "https://lumltest.blob.core.windows.net/renamed/test_file?se=2026-08-17T22%3A20%3A30Z&sp=r&sv=2025-11-05&sr=b&sig=c8pJmv9GQPDVVftZPUgJVgw/PjXefrrIzntjx3yNF1Y%3D",
	// azuriteConn, with BlobEndpoint=
	"devstoreaccount1 models/test_file cw":           "http://127.0.0.1:10000/devstoreaccount1/models/test_file?se=2026-08-17T22%3A20%3A30Z&sp=cw&sv=2025-11-05&sr=b&sig=rnxmmLkdJ1BOknAFmOaZbbJJXXkAgxQmoOj83cxBd5I%3D",
	"devstoreaccount1 models/test_file r":            "http://127.0.0.1:10000/devstoreaccount1/models/test_file?se=2026-08-17T22%3A20%3A30Z&sp=r&sv=2025-11-05&sr=b&sig=Rxtw66OAUuF92E4xonupubDBh6ka1Af7c0%2Bc4MZzMxU%3D",
	"devstoreaccount1 models/test_file d":            "http://127.0.0.1:10000/devstoreaccount1/models/test_file?se=2026-08-17T22%3A20%3A30Z&sp=d&sv=2025-11-05&sr=b&sig=OFdGvADe4yM0OJkqbufYwo1X5zqbggK26I47tWAVAac%3D",
	"devstoreaccount1 models/runs/model v2~+.bin cw": "http://127.0.0.1:10000/devstoreaccount1/models/runs/model%20v2~%2B.bin?se=2026-08-17T22%3A20%3A30Z&sp=cw&sv=2025-11-05&sr=b&sig=7vqmT4jtCpz1b4cirObNObeI8uyHQHFm2dTHO//pAjs%3D",
}

// azuriteConn is Azurite's documented development connection string (well-known account key).
const azuriteConn = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
	"AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
	"BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"

// checkSAS compares an Azure URL with the one azure-storage-blob wrote for "<account> <container>/<blob> <permissions>".
func checkSAS(t *testing.T, raw, name string) {
	t.Helper()
	want, ok := azureSDKURLs[name]
	if !ok {
		t.Fatalf("no SDK URL for %q", name)
	}
	if raw != want {
		t.Errorf("%s:\n got %s\nwant %s", name, raw, want)
	}
}

func TestAzureTestURLs(t *testing.T) {
	e := newEnv(t)
	urls := decodeInto[testURLs](t, e.as(http.MethodPost, "/v1/bucket-secrets/urls", azureBody("models")))
	checkSAS(t, urls.PresignedURL, "lumltest models/test_file cw")
	checkSAS(t, urls.DownloadURL, "lumltest models/test_file r")
	checkSAS(t, urls.DeleteURL, "lumltest models/test_file d")
	azurite := decodeInto[testURLs](t, e.as(http.MethodPost, "/v1/bucket-secrets/urls",
		`{"type":"azure","endpoint":"`+azuriteConn+`","bucket_name":"models"}`))
	checkSAS(t, azurite.PresignedURL, "devstoreaccount1 models/test_file cw")
	checkSAS(t, azurite.DownloadURL, "devstoreaccount1 models/test_file r")
	checkSAS(t, azurite.DeleteURL, "devstoreaccount1 models/test_file d")

	const clientErr = `{"detail":"Failed to create Azure Blob Service client."}`
	for _, conn := range []string{"AccountKey=abc", "AccountName=a;broken", "AccountName=a;BlobSecondaryEndpoint=https://x"} {
		e.as(http.MethodPost, "/v1/bucket-secrets/urls", `{"type":"azure","endpoint":"`+conn+`","bucket_name":"models"}`).
			expect(t, http.StatusBadRequest, clientErr)
	}
	e.as(http.MethodPost, "/v1/bucket-secrets/urls", `{"type":"azure","endpoint":"`+azureConn+`","bucket_name":""}`).
		expect(t, http.StatusBadRequest, clientErr)
	e.as(http.MethodPost, "/v1/bucket-secrets/urls", `{"type":"azure","endpoint":"AccountName=a;EndpointSuffix=core.windows.net","bucket_name":"m"}`).
		expectInternalError(t)
	e.as(http.MethodPost, "/v1/bucket-secrets/urls", `{"type":"azure","endpoint":"AccountName=a;AccountKey=abc","bucket_name":"m"}`).
		expect(t, http.StatusBadRequest, `{"detail":"Failed to generate SAS URL."}`)
	// A trailing slash on BlobEndpoint is dropped, as the SDK drops it.
	slash := decodeInto[testURLs](t, e.as(http.MethodPost, "/v1/bucket-secrets/urls",
		`{"type":"azure","endpoint":"AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1/","bucket_name":"m"}`))
	if !strings.HasPrefix(slash.PresignedURL, "http://127.0.0.1:10000/devstoreaccount1/m/test_file?se=") {
		t.Errorf("BlobEndpoint not used: %s", slash.PresignedURL)
	}
}

func TestExistingSecretURLs(t *testing.T) {
	e := newEnv(t)
	id := e.create(`{"type":"s3","endpoint":"127.0.0.1:9000","bucket_name":"models","region":"us-east-1","access_key":"AK","secret_key":"SK","secure":false}`)
	azureID := e.create(azureBody("archive"))
	path := e.secretPath(id) + "/urls"

	urls := decodeInto[testURLs](t, e.as(http.MethodPost, path, `{"id":"`+id+`","bucket_name":"other","access_key":"AK2"}`))
	q := checkSigV4(t, urls.PresignedURL, http.MethodPut, "SK") // secret key kept from storage
	if !strings.HasPrefix(urls.PresignedURL, "http://127.0.0.1:9000/other/test_file?") || !strings.HasPrefix(q.Get("X-Amz-Credential"), "AK2/") {
		t.Errorf("overlay not applied: %s", urls.PresignedURL)
	}
	if sec := e.stored(id); sec.BucketName != "models" || *sec.AccessKey != "AK" {
		t.Errorf("the overlay was saved: %+v", sec)
	}
	unsigned := decodeInto[testURLs](t, e.as(http.MethodPost, path, `{"id":"`+id+`","access_key":null,"endpoint":"https://s3.example.com"}`))
	if unsigned.DeleteURL != "http://s3.example.com/models/test_file" {
		t.Errorf("explicit null access key: %s", unsigned.DeleteURL)
	}

	other := "0198b2c4-0000-7000-8000-000000000000"
	e.as(http.MethodPost, path, `{"id":"`+other+`"}`).expect(t, http.StatusBadRequest, `{"detail":"Secret id does not match the path"}`)
	e.as(http.MethodPost, e.secretPath(other)+"/urls", `{"id":"`+other+`"}`).expect(t, http.StatusNotFound, `{"detail":"Secret not found"}`)
	e.as(http.MethodPost, path, `{"id":"`+id+`","type":"azure"}`).expect(t, http.StatusBadRequest, `{"detail":"Bucket type cannot be changed"}`)
	azurePath := e.secretPath(azureID) + "/urls"
	e.as(http.MethodPost, azurePath, `{"id":"`+azureID+`"}`).expect(t, http.StatusBadRequest, `{"detail":"Bucket type cannot be changed"}`)
	azureURLs := decodeInto[testURLs](t, e.as(http.MethodPost, azurePath, `{"id":"`+azureID+`","type":"azure","bucket_name":"renamed"}`))
	checkSAS(t, azureURLs.DownloadURL, "lumltest renamed/test_file r")

	member := e.user(e.org, RoleMember)
	e.call(http.MethodPost, path, member.APIKey, `{"id":"`+other+`"}`).expect(t, http.StatusForbidden, `{"detail":"Not enough rights"}`)
}

func TestPartSizes(t *testing.T) {
	const (
		mib = int64(1) << 20
		gib = int64(1) << 30
	)
	tests := []struct {
		size, partSize, parts, last int64
	}{
		{629145600, 32 * mib, 19, 25165824},
		{gib, 32 * mib, 32, 32 * mib},
		{gib + 1, 64 * mib, 17, 1},
		{5 * gib, 64 * mib, 80, 64 * mib},
		{5*gib + 1, 128 * mib, 41, 1},
		{10 * gib, 128 * mib, 80, 128 * mib},
		{100 * gib, 512 * mib, 200, 512 * mib},
		{100*gib + 1, gib, 101, 1},
		{5 << 40, gib, 5120, gib},
		{1, 32 * mib, 1, 1},
		{0, 32 * mib, 0, 0},
		{-5, 32 * mib, 0, 0},
	}
	for _, tt := range tests {
		ps := optimalPartSize(tt.size)
		n := partsCount(tt.size, ps)
		if ps != tt.partSize || n != tt.parts {
			t.Errorf("size %d: part size %d, %d parts; want %d, %d", tt.size, ps, n, tt.partSize, tt.parts)
			continue
		}
		parts := partDetails(make([]string, n), tt.size, ps)
		if n == 0 {
			continue
		}
		last := parts[len(parts)-1]
		if v, _ := last.get("part_size"); v != tt.last {
			t.Errorf("size %d: last part %v, want %d", tt.size, v, tt.last)
		}
		if v, _ := last.get("end_byte"); v != tt.size-1 {
			t.Errorf("size %d: last end_byte %v", tt.size, v)
		}
	}
}

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
		expect(t, http.StatusUnprocessableEntity, `{"detail":[{"type":"int_parsing_size","loc":["body","size"],"msg":"Unable to parse input string as an integer, exceeded maximum size","input":1e+30}]}`)

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

// queryNames lists a URL's query parameter names in the order they are written.
func queryNames(t *testing.T, raw string) []string {
	t.Helper()
	_, query, ok := strings.Cut(raw, "?")
	if !ok {
		t.Fatalf("no query in %s", raw)
	}
	var names []string
	for pair := range strings.SplitSeq(query, "&") {
		name, _, _ := strings.Cut(pair, "=")
		names = append(names, name)
	}
	return names
}

// TestS3QueryOrderOfMinioPy checks the order in which minio-py writes a presigned URL's query:
// the request's own parameters sorted by name (partNumber and uploadId first for a part), then
// the SigV4 parameters and the signature.
func TestS3QueryOrderOfMinioPy(t *testing.T) {
	sigV4 := []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"}
	const path = "/v1/bucket-secrets/upload/multipart"
	tests := []struct {
		name, credentials string
		part, complete    []string
		test              []string
	}{
		{"keys", `"access_key":"AK","secret_key":"SK"`,
			append([]string{"partNumber", "uploadId"}, sigV4...), append([]string{"uploadId"}, sigV4...), sigV4},
		{"session token", `"access_key":"AK","secret_key":"SK","session_token":"TOKEN"`,
			append([]string{"X-Amz-Security-Token", "partNumber", "uploadId"}, sigV4...),
			append([]string{"X-Amz-Security-Token", "uploadId"}, sigV4...),
			append([]string{"X-Amz-Security-Token"}, sigV4...)},
		{"no keys, unsigned", "", []string{"partNumber", "uploadId"}, []string{"uploadId"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			body := `{"type":"s3","endpoint":"127.0.0.1:9000","bucket_name":"models","region":"us-east-1","secure":false`
			if tt.credentials != "" {
				body += "," + tt.credentials
			}
			body += "}"
			id := e.create(body)
			// Five parts: the first is signed by the client, the others by the shortcut.
			m := decodeInto[multipartResponse](t, e.as(http.MethodPost, path, multipartBodyJSON(id, `,"size":150000000,"upload_id":"up-1"`)))
			if len(m.Parts) != 5 {
				t.Fatalf("%d parts", len(m.Parts))
			}
			for _, p := range m.Parts {
				if got := queryNames(t, p.URL); !slices.Equal(got, tt.part) {
					t.Errorf("part %d: query %v, want %v", p.PartNumber, got, tt.part)
				}
				if !strings.Contains(p.URL, "?partNumber="+itoa(p.PartNumber)+"&uploadId=up-1") &&
					!strings.Contains(p.URL, "&partNumber="+itoa(p.PartNumber)+"&uploadId=up-1") {
					t.Errorf("part %d URL %s", p.PartNumber, p.URL)
				}
				if tt.credentials != "" {
					checkSigV4(t, p.URL, http.MethodPut, "SK")
				}
			}
			if got := queryNames(t, m.CompleteURL); !slices.Equal(got, tt.complete) {
				t.Errorf("complete URL: query %v, want %v", got, tt.complete)
			}
			urls := decodeInto[testURLs](t, e.as(http.MethodPost, e.secretPath(id)+"/urls", `{"id":"`+id+`"}`))
			if tt.test == nil {
				if strings.Contains(urls.PresignedURL, "?") {
					t.Errorf("unsigned test URL %s", urls.PresignedURL)
				}
				return
			}
			if got := queryNames(t, urls.PresignedURL); !slices.Equal(got, tt.test) {
				t.Errorf("test URL: query %v, want %v", got, tt.test)
			}
		})
	}
}
