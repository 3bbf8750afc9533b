package luml_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const (
	multipartPath = "/v1/bucket-secrets/upload/multipart"
	mib           = int64(1) << 20
)

// checkParts asserts that parts cover size bytes contiguously in parts of partSize, the last
// one shorter.
func checkParts(t *testing.T, parts []luml.UploadPart, size, partSize int64) {
	t.Helper()
	wantCount := (size + partSize - 1) / partSize
	if int64(len(parts)) != wantCount {
		t.Fatalf("%d parts, want %d", len(parts), wantCount)
	}
	var next int64
	for i, p := range parts {
		wantSize := min(partSize, size-next)
		if p.PartNumber != int64(i+1) || p.StartByte != next || p.PartSize != wantSize || p.EndByte != next+wantSize-1 {
			t.Fatalf("part %d is %+v, want number %d, bytes %d-%d (%d)", i, p, i+1, next, next+wantSize-1, wantSize)
		}
		next += wantSize
	}
}

func TestMultipartUploadURLsS3(t *testing.T) {
	e := newTestEnv(t)
	s := e.create(s3Spec("uploads"))
	size := 100 * mib
	up, err := e.client.MultipartUploadURLs(context.Background(), luml.MultipartRequest{
		BucketSecretID: s.ID, BucketLocation: "orbit/model.bin", Size: size, UploadID: ptr("upload-42"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if up.Type != luml.BucketTypeS3 || deref(up.UploadID) != "upload-42" {
		t.Errorf("type %q, upload_id %v: want s3 and the upload_id sent", up.Type, deref(up.UploadID))
	}
	checkParts(t, up.Parts, size, 32*mib)
	for _, p := range up.Parts {
		if !strings.Contains(p.URL, fmt.Sprintf("partNumber=%d&", p.PartNumber)) || !strings.Contains(p.URL, "uploadId=upload-42") ||
			!strings.Contains(p.URL, "X-Amz-Signature=") || !strings.Contains(p.URL, "/orbit/model.bin?") {
			t.Errorf("part %d's URL is not a signed PUT of the part", p.PartNumber)
		}
	}
	if !strings.Contains(up.CompleteURL, "uploadId=upload-42") || !strings.Contains(up.CompleteURL, "X-Amz-Signature=") {
		t.Error("the complete URL is not a signed URL of the upload")
	}
}

func TestMultipartUploadURLsAzure(t *testing.T) {
	e := newTestEnv(t)
	s := e.create(azureSpec("uploads"))
	size := 600 * mib
	up, err := e.client.MultipartUploadURLs(context.Background(), luml.MultipartRequest{
		BucketSecretID: s.ID, BucketLocation: "orbit/model.bin", Size: size,
		UploadID: ptr("ignored for Azure"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if up.Type != luml.BucketTypeAzure || up.UploadID != nil {
		t.Errorf("type %q, upload_id %v: want azure and no upload_id", up.Type, deref(up.UploadID))
	}
	checkParts(t, up.Parts, size, 32*mib)
	for _, p := range up.Parts {
		blockID := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "block-%08d", p.PartNumber))
		if !strings.HasSuffix(p.URL, "&comp=block&blockid="+blockID) || !strings.Contains(p.URL, "sig=") {
			t.Errorf("part %d's URL is not a signed block URL with block ID %s", p.PartNumber, blockID)
		}
	}
	if !strings.HasSuffix(up.CompleteURL, "&comp=blocklist") {
		t.Error("the complete URL does not commit the block list")
	}
}

// luml.PartSize must agree with the server at every threshold; the thresholds are inclusive.
func TestPartSizeMatchesTheServer(t *testing.T) {
	e := newTestEnv(t)
	// Azure signs one SAS for all parts, which keeps the 5 TiB case cheap.
	s := e.create(azureSpec("sizes"))
	tests := []struct {
		size     int64
		partSize int64
		parts    int
	}{
		{size: 600 * mib, partSize: 32 * mib, parts: 19},
		{size: luml.GiB, partSize: 32 * mib, parts: 32},
		{size: luml.GiB + 1, partSize: 64 * mib, parts: 17},
		{size: 5 * luml.GiB, partSize: 64 * mib, parts: 80},
		{size: 10 * luml.GiB, partSize: 128 * mib, parts: 80},
		{size: 100 * luml.GiB, partSize: 512 * mib, parts: 200},
		{size: 100*luml.GiB + 1, partSize: luml.GiB, parts: 101},
		{size: luml.MaxUploadSize, partSize: luml.GiB, parts: 5120},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.size), func(t *testing.T) {
			if got := luml.PartSize(tt.size); got != tt.partSize {
				t.Errorf("PartSize(%d) = %d, want %d", tt.size, got, tt.partSize)
			}
			up, err := e.client.MultipartUploadURLs(context.Background(), luml.MultipartRequest{
				BucketSecretID: s.ID, BucketLocation: "model.bin", Size: tt.size,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(up.Parts) != tt.parts {
				t.Fatalf("%d parts, want %d", len(up.Parts), tt.parts)
			}
			if got := up.Parts[0].PartSize; got != luml.PartSize(tt.size) {
				t.Errorf("the server's part size is %d, PartSize says %d", got, luml.PartSize(tt.size))
			}
			checkParts(t, up.Parts, tt.size, tt.partSize)
		})
	}
}

func TestMultipartUploadURLsFailures(t *testing.T) {
	e := newTestEnv(t)
	s3 := e.create(s3Spec("uploads"))
	member := e.clientWithRole(lumlfake.RoleMember)
	ctx := context.Background()

	t.Run("S3 without upload_id: a bare 500", func(t *testing.T) {
		_, err := e.client.MultipartUploadURLs(ctx, luml.MultipartRequest{
			BucketSecretID: s3.ID, BucketLocation: "model.bin", Size: 100 * mib,
		})
		apiErr := requireAPIError(t, err, http.StatusInternalServerError, "Internal Server Error")
		if want := "POST " + multipartPath + " answered 500 Internal Server Error"; err.Error() != want {
			t.Errorf("got %q, want %q", err, want)
		}
		if apiErr.Attempts != 1 || e.fake.CountRequests(http.MethodPost, multipartPath) != 1 {
			t.Errorf("%d attempts: a 500 is not retried", apiErr.Attempts)
		}
	})
	t.Run("missing secret", func(t *testing.T) {
		_, err := e.client.MultipartUploadURLs(ctx, luml.MultipartRequest{
			BucketSecretID: unknownID, BucketLocation: "model.bin", Size: 1, UploadID: ptr("u"),
		})
		requireAPIError(t, err, http.StatusNotFound, msgNotFound)
	})
	t.Run("plain member", func(t *testing.T) {
		_, err := member.MultipartUploadURLs(ctx, luml.MultipartRequest{
			BucketSecretID: s3.ID, BucketLocation: "model.bin", Size: 1, UploadID: ptr("u"),
		})
		requireAPIError(t, err, http.StatusForbidden, msgNoRights)
	})
}
