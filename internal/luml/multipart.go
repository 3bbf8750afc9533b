package luml

import (
	"context"
	"net/http"

	"github.com/luml-ai/terraform-provider-luml/internal/partplan"
)

// Multipart limits.
const (
	GiB = int64(1) << 30
	TiB = int64(1) << 40
	// MaxUploadSize is the largest file LUML stores. The multipart endpoint does not check
	// it; the artifact upload does.
	MaxUploadSize = 5 * TiB
)

// PartSize is the part size the server picks for a file of size bytes.
func PartSize(size int64) int64 { return partplan.PartSize(size) }

// PartsCount is the number of parts the server plans for a file of size bytes.
func PartsCount(size int64) int64 { return partplan.Count(size) }

// MultipartRequest asks for the URLs of a multipart upload. UploadID is required for S3
// secrets: it comes from starting the upload on the bucket (CreateMultipartUpload).
type MultipartRequest struct {
	BucketSecretID string  `json:"bucket_id"`
	BucketLocation string  `json:"bucket_location"`
	Size           int64   `json:"size"`
	UploadID       *string `json:"upload_id"`
}

// UploadPart is one part of a multipart upload; EndByte is inclusive.
type UploadPart struct {
	PartNumber int64  `json:"part_number"`
	URL        string `json:"url"`
	StartByte  int64  `json:"start_byte"`
	EndByte    int64  `json:"end_byte"`
	PartSize   int64  `json:"part_size"`
}

// MultipartUpload holds the presigned URLs of a multipart upload. UploadID is nil for Azure.
type MultipartUpload struct {
	Type        BucketType   `json:"type"`
	UploadID    *string      `json:"upload_id"`
	Parts       []UploadPart `json:"parts"`
	CompleteURL string       `json:"complete_url"`
}

// MultipartUploadURLs asks for presigned part URLs. It changes nothing on the server or the
// bucket, so it is safe to call at every plan.
func (c *Client) MultipartUploadURLs(ctx context.Context, in MultipartRequest) (*MultipartUpload, error) {
	var out MultipartUpload
	err := c.do(ctx, request{method: http.MethodPost, path: "/v1/bucket-secrets/upload/multipart", body: in, out: &out})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
