package lumlfake

import (
	"net/http"
	"testing"
)

// BenchmarkMultipart5TiB answers the largest upload LUML stores: 5120 presigned part URLs.
func BenchmarkMultipart5TiB(b *testing.B) {
	e := newEnv(b)
	id := e.create(`{"type":"s3","endpoint":"s3.eu-central-1.amazonaws.com","bucket_name":"models","region":"eu-central-1","access_key":"AK","secret_key":"SK"}`)
	body := multipartBodyJSON(id, `,"size":5497558138880,"upload_id":"u"`)
	for b.Loop() {
		if r := e.as(http.MethodPost, "/v1/bucket-secrets/upload/multipart", body); r.status != http.StatusOK {
			b.Fatalf("answered %d", r.status)
		}
	}
}
