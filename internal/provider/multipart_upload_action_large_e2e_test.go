package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"github.com/minio/minio-go/v7"
)

// TestAccMultipartUploadAction_1GiB uploads a file of 1 GiB + 1 byte, 17 parts of 64 MiB (the
// last of one byte), to a real S3 server. The file is sparse but for a random first and last
// MiB, so that it costs little disk; the object's sha256 must equal the file's.
func TestAccMultipartUploadAction_1GiB(t *testing.T) {
	skipWithoutActions(t)
	s3 := startS3(t)
	env := newTestEnv(t)
	secret := env.Fake.InsertSecret(env.Org.ID, insertableS3Secret(s3.EndpointURL().Host))
	file := filepath.Join(t.TempDir(), "large.luml")
	const size = 1<<30 + 1
	sum := writeSparseFile(t, file, size)
	uploadID, err := s3.NewMultipartUpload(context.Background(), e2eBucket, "models/large.luml", minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	invocations := &actionRecorder{}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   terraform114,
		ProtoV6ProviderFactories: invocations.factories(),
		Steps: []resource.TestStep{{
			Config: uploadActionConfig(env, "large", secret.ID, "models/large.luml", file,
				fmt.Sprintf("filesha256(%q)", file), fmt.Sprintf("upload_id = %q", uploadID)),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStoredSHA256(t, s3, "models/large.luml", size, sum),
				func(*terraform.State) error {
					progress, _ := invocations.only(t)
					t.Logf("progress: %q", progress)
					return wantInOrder("progress", progress, e2eBucket+" (", "17 parts of up to 64.0 MiB",
						"1.0 GiB (1073741825 bytes) in 17 parts")
				},
			),
		}},
	})
}

// writeSparseFile makes a file of size bytes, random in its first and last MiB and a hole
// between, and returns its sha256.
func writeSparseFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	random := rand.NewChaCha8([32]byte{'b', 'i', 'g'})
	chunk := make([]byte, 1<<20)
	_, _ = random.Read(chunk)
	if _, err := f.WriteAt(chunk, 0); err != nil {
		t.Fatal(err)
	}
	_, _ = random.Read(chunk)
	if _, err := f.WriteAt(chunk, size-int64(len(chunk))); err != nil {
		t.Fatal(err)
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, io.NewSectionReader(f, 0, size)); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// skipWithoutActions skips the test, before it starts any server or writes any file, unless
// the CLI the harness runs has actions: Terraform 1.14 or later. OpenTofu has none yet.
func skipWithoutActions(t *testing.T) {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform is not on PATH; set TF_ACC_TERRAFORM_PATH")
		}
	}
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("%s version %q: %v", cli, v.Version, err)
	}
	switch {
	case strings.Contains(filepath.Base(cli), "tofu"):
		t.Skipf("SKIPPED: OpenTofu %s has no actions yet; action luml_multipart_upload needs Terraform 1.14 or "+
			"later (make testacc-latest TF_LATEST=...)", v.Version)
	case have.LessThan(tfversion.Version1_14_0):
		t.Skipf("SKIPPED: Terraform %s has no actions; action luml_multipart_upload needs Terraform 1.14 or "+
			"later (make testacc-latest TF_LATEST=...)", v.Version)
	}
}
