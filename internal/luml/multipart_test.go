package luml_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
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

// luml.PartSize must give the parts the real server gave for every size it was asked about
// (the recorded multipart answers: 1 byte, 5 MiB, 1 GiB + 1, 5 TiB, 5 TiB + 1, 10 bytes and
// the sizes of no parts). The thresholds the corpus does not reach (5, 10 and 100 GiB) are
// checked where the provider's function meets the emulator's own, independent table
// (internal/provider, TestMultipartPartsFunctionMatchesTheURLs).
func TestPartSizeMatchesTheRecordedAnswers(t *testing.T) {
	checked := 0
	for _, st := range recordedSteps(t) {
		answer, _ := st.Answer.(map[string]any)
		parts, ok := answer["parts"].([]any)
		if st.Path != multipartPath || st.Status != http.StatusOK || !ok {
			continue
		}
		size, err := strconv.ParseInt(fmt.Sprint(st.Body["size"]), 10, 64)
		if err != nil {
			t.Fatalf("step %d: size %v: %v", st.Step, st.Body["size"], err)
		}
		count, first, last := recordedParts(t, parts)
		partSize := luml.PartSize(size)
		wantCount := int64(0)
		if size > 0 {
			wantCount = (size + partSize - 1) / partSize
		}
		if wantCount != count {
			t.Errorf("step %d %q: PartSize(%d) = %d makes %d parts; the server made %d", st.Step, st.Label, size, partSize, wantCount, count)
			continue
		}
		if count > 0 && (min(partSize, size) != first || size-(count-1)*partSize != last) {
			t.Errorf("step %d %q: PartSize(%d) = %d; the server's parts were %d bytes, the last %d", st.Step, st.Label, size, partSize, first, last)
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d recorded multipart answers with parts", checked)
	}
}

// recordedParts reads a recorded parts list: the corpus keeps parts 1, 2 and the last of a
// longer list, and "<N items>".
func recordedParts(t *testing.T, parts []any) (count, first, last int64) {
	t.Helper()
	size := func(p any) int64 {
		part, _ := p.(map[string]any)
		n, err := strconv.ParseInt(fmt.Sprint(part["part_size"]), 10, 64)
		if err != nil {
			t.Fatalf("a recorded part's part_size: %v", err)
		}
		return n
	}
	switch n := len(parts); {
	case n == 0:
		return 0, 0, 0
	case n == 5 && parts[2] == "...":
		if _, err := fmt.Sscanf(fmt.Sprint(parts[4]), "<%d items>", &count); err != nil {
			t.Fatalf("abbreviated parts end with %v", parts[4])
		}
		return count, size(parts[0]), size(parts[3])
	default:
		return int64(n), size(parts[0]), size(parts[n-1])
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
