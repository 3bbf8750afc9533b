package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 70<<20 + 5: "70.0 MiB", 1<<30 + 1: "1.0 GiB",
		5 << 40: "5.0 TiB", 1 << 50: "1.0 PiB",
	} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
	if got := throughput(64<<20, 2*time.Second); got != "32.0 MiB/s" {
		t.Errorf("throughput = %q, want 32.0 MiB/s", got)
	}
	if got := throughput(1, 0); got != "-" {
		t.Errorf("throughput over no time = %q, want -", got)
	}
}

// A part PUT whose connection failed may have gone to an upload that is not in progress: some
// S3 servers reset the connection rather than answer NoSuchUpload, so the S3 hint names
// upload_id; Azure has no upload_id.
func TestStorageHintOfAFailedConnection(t *testing.T) {
	if hint := storageHint(luml.BucketTypeS3, 0); !strings.Contains(hint, "upload_id") || !strings.Contains(hint, "max_retries") {
		t.Errorf("S3 hint %q names neither upload_id nor max_retries", hint)
	}
	if hint := storageHint(luml.BucketTypeAzure, 0); strings.Contains(hint, "upload_id") {
		t.Errorf("Azure hint %q names upload_id", hint)
	}
}
