package luml_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// BenchmarkLargeAnswer reads the multipart answer for 5 TiB (5120 part URLs) with debug logging
// off and on: off, the bodies are neither masked nor logged.
func BenchmarkLargeAnswer(b *testing.B) {
	upload := luml.MultipartUpload{Type: luml.BucketTypeS3, CompleteURL: "https://bucket.example/m.bin?uploadId=u&X-Amz-Signature=s"}
	for i := range int64(5120) {
		upload.Parts = append(upload.Parts, luml.UploadPart{
			PartNumber: i + 1, URL: fmt.Sprintf("https://bucket.example/m.bin?partNumber=%d&uploadId=u&X-Amz-Signature=%064d", i+1, i),
			StartByte: i << 30, EndByte: (i+1)<<30 - 1, PartSize: 1 << 30,
		})
	}
	answer, err := json.Marshal(upload)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	b.Cleanup(srv.Close)

	for _, debug := range []bool{false, true} {
		b.Run(fmt.Sprintf("debug=%t", debug), func(b *testing.B) {
			c, err := luml.New(luml.Config{BaseURL: srv.URL, APIKey: "dfs_bench", Logger: &captureLogger{quiet: !debug}})
			if err != nil {
				b.Fatal(err)
			}
			in := luml.MultipartRequest{BucketSecretID: unknownID, BucketLocation: "m.bin", Size: 5 * luml.TiB, UploadID: ptr("u")}
			for b.Loop() {
				if _, err := c.MultipartUploadURLs(b.Context(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
