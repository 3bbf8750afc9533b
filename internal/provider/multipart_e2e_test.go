package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const (
	versityGWEnv       = "LUML_VERSITYGW"
	versityGWAccessKey = "luml-e2e-access"
	versityGWSecretKey = "luml-e2e-secret-key-0123456789"
	versityGWRegion    = "us-east-1"
	// e2eBucket is the bucket name the examples look their bucket secret up by.
	e2eBucket    = "models"
	e2eObjectKey = "models/model.luml"
	// presignedMarker is in every SigV4 presigned URL.
	presignedMarker = "X-Amz-Signature"
)

// TestAccMultipartUpload_endToEnd uploads a file through the ephemeral resource's URLs to a
// real S3 server, the way users do: a local-exec provisioner running an upload tool.
func TestAccMultipartUpload_endToEnd(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	ctx := context.Background()
	s3 := startS3(t)
	env := newTestEnv(t)
	secret := insertS3Secret(env, s3, e2eBucket, versityGWSecretKey)

	t.Run("tampered URL refused", func(t *testing.T) {
		checkTamperedURLRefused(t, s3, env, secret.ID)
	})

	dir := t.TempDir()
	file, content := writeE2EFile(t, dir)
	tool := buildUploadTool(t, dir)
	uploadID, err := s3.NewMultipartUpload(ctx, e2eBucket, e2eObjectKey, minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}

	noURLs := noPresignedURLInPlan{}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   multipartEphemeralVersions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + fmt.Sprintf(`
ephemeral "luml_multipart_upload_urls" "file" {
  bucket_secret_id = %q
  bucket_location  = %q
  size             = %d
  upload_id        = %q
}

resource "terraform_data" "upload" {
  triggers_replace = [%[4]q]

  provisioner "local-exec" {
    command = "'%s' '%s'"
    environment = {
      MULTIPART_UPLOAD = jsonencode(ephemeral.luml_multipart_upload_urls.file)
    }
  }
}
`, secret.ID, e2eObjectKey, len(content), uploadID, tool, file),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{noURLs},
				PostApplyPostRefresh: []plancheck.PlanCheck{noURLs},
			},
			ConfigStateChecks: []statecheck.StateCheck{noPresignedURLInState{}},
		}},
	})
	checkStoredObject(t, s3, content)
}

// startS3 runs versitygw and creates the test bucket.
// insertS3Secret saves in LUML, as made outside Terraform, a secret of this bucket on the S3
// server with the server's access key and this secret key.
func insertS3Secret(env *testEnv, s3 *minio.Core, bucket, secretKey string) lumlfake.StoredSecret {
	secure := false
	return env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type:       "s3",
		Endpoint:   s3.EndpointURL().Host,
		BucketName: bucket,
		Region:     ptr(versityGWRegion),
		AccessKey:  ptr(versityGWAccessKey),
		SecretKey:  &secretKey,
		Secure:     &secure,
	})
}

func startS3(t *testing.T) *minio.Core {
	t.Helper()
	s3, err := minio.NewCore(startVersityGW(t), &minio.Options{
		Creds:  credentials.NewStaticV4(versityGWAccessKey, versityGWSecretKey, ""),
		Region: versityGWRegion,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.MakeBucket(context.Background(), e2eBucket, minio.MakeBucketOptions{Region: versityGWRegion}); err != nil {
		t.Fatal(err)
	}
	return s3
}

// writeE2EFile writes multipartTestSize deterministic pseudo-random bytes: three parts.
func writeE2EFile(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	file := filepath.Join(dir, "model.luml")
	content := make([]byte, multipartTestSize)
	_, _ = rand.NewChaCha8([32]byte{'l', 'u', 'm', 'l'}).Read(content) // never fails
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return file, content
}

// checkStoredObject compares the uploaded object with the file's content.
func checkStoredObject(t *testing.T, s3 *minio.Core, content []byte) {
	t.Helper()
	stored, err := s3.Client.GetObject(context.Background(), e2eBucket, e2eObjectKey, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer stored.Close()
	got, err := io.ReadAll(stored)
	if err != nil {
		t.Fatalf("reading the uploaded object: %v", err)
	}
	if !bytes.Equal(got, content) {
		t.Fatalf("the stored object (%d bytes) differs from the file (%d bytes) from byte %d on",
			len(got), len(content), firstDifference(got, content))
	}
}

// startVersityGW runs versitygw on a free loopback port with a posix root in a temporary
// directory, until the test ends. It returns the host:port to reach it at.
func startVersityGW(t *testing.T) string {
	t.Helper()
	bin := os.Getenv(versityGWEnv)
	if bin == "" {
		t.Fatalf("%s is not set: the end-to-end test needs the versitygw v1.8.0 binary. `make test` builds "+
			"it into .bin/; or run `go install github.com/versity/versitygw/cmd/versitygw@v1.8.0` and set %s "+
			"to its path.", versityGWEnv, versityGWEnv)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s=%s: %v. Build it with `make tools`.", versityGWEnv, bin, err)
	}
	root := t.TempDir()
	endpoint := freeLoopbackAddress(t)

	cmd := exec.Command(bin, "--access", versityGWAccessKey, "--secret", versityGWSecretKey,
		"--port", endpoint, "posix", root)
	startService(t, "versitygw", cmd, "http://"+endpoint+"/", 30*time.Second)
	return endpoint
}

// buildUploadTool builds internal/tools/multipartupload into dir.
func buildUploadTool(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "multipartupload")
	out, err := exec.Command("go", "build", "-o", bin, "../tools/multipartupload").CombinedOutput()
	if err != nil {
		t.Fatalf("building the upload tool: %v\n%s", err, out)
	}
	return bin
}

// checkTamperedURLRefused asks for the URLs of a second upload, and checks that versitygw
// takes a part at its URL but refuses it once the signature is altered.
func checkTamperedURLRefused(t *testing.T, s3 *minio.Core, env *testEnv, secretID string) {
	ctx := context.Background()
	uploadID, err := s3.NewMultipartUpload(ctx, e2eBucket, "tampered", minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s3.AbortMultipartUpload(ctx, e2eBucket, "tampered", uploadID); err != nil {
			t.Errorf("aborting the upload: %v", err)
		}
	}()
	upload, err := newMultipartTestClient(t, env.URL, env.APIKey).MultipartUploadURLs(ctx, luml.MultipartRequest{
		BucketSecretID: secretID, BucketLocation: "tampered", Size: 10, UploadID: &uploadID,
	})
	if err != nil {
		t.Fatal(err)
	}
	partURL := upload.Parts[0].URL
	signatureAt := strings.Index(partURL, presignedMarker+"=")
	if signatureAt < 0 {
		t.Fatal("the part URL has no signature")
	}
	// Change the signature's first hex digit.
	digitAt := signatureAt + len(presignedMarker) + 1
	changed := byte('0')
	if partURL[digitAt] == '0' {
		changed = '1'
	}
	tampered := partURL[:digitAt] + string(changed) + partURL[digitAt+1:]

	for _, c := range []struct {
		name, url  string
		wantStatus int
	}{
		{"tampered", tampered, http.StatusForbidden},
		{"genuine", partURL, http.StatusOK},
	} {
		checkPUTStatus(ctx, t, c.name, c.url, "0123456789", c.wantStatus)
	}
}

// noPresignedURLInState fails when any attribute of any resource in the state holds a
// presigned URL. It names the resource, never the URL.
type noPresignedURLInState struct{}

func (noPresignedURLInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		return
	}
	modules := []*tfjson.StateModule{req.State.Values.RootModule}
	for len(modules) > 0 {
		m := modules[0]
		modules = modules[1:]
		if m == nil {
			continue
		}
		for _, r := range m.Resources {
			raw, err := json.Marshal(r.AttributeValues)
			if err != nil {
				resp.Error = err
				return
			}
			if bytes.Contains(raw, []byte(presignedMarker)) {
				resp.Error = fmt.Errorf("the state of %s holds a presigned URL", r.Address)
				return
			}
		}
		modules = append(modules, m.ChildModules...)
	}
}

// noPresignedURLInPlan fails when a plan holds a presigned URL anywhere.
type noPresignedURLInPlan struct{}

func (noPresignedURLInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	raw, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if bytes.Contains(raw, []byte(presignedMarker)) {
		resp.Error = fmt.Errorf("the plan holds a presigned URL")
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
