package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/minio/minio-go/v7"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// uploadActionConfig is a terraform_data whose input is the file's hash, which invokes
// action luml_multipart_upload.<name> after it is created or changed: an apply uploads the
// file exactly when it changed.
func uploadActionConfig(env *testEnv, name, secretID, location, source, input, extra string) string {
	return env.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "%[1]s" {
  input = %[5]s

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.luml_multipart_upload.%[1]s]
    }
  }
}

action "luml_multipart_upload" "%[1]s" {
  config {
    bucket_secret_id = %[2]q
    bucket_location  = %[3]q
    source           = %[4]q
    %[6]s
  }
}
`, name, secretID, location, source, input, extra)
}

// writeRandomFile writes size pseudo-random bytes to path and returns their sha256, without
// holding the file in memory.
func writeRandomFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum := sha256.New()
	src := io.LimitReader(rand.NewChaCha8([32]byte{'a', 'c', 't'}), size)
	if _, err := io.Copy(io.MultiWriter(f, sum), src); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// storedSHA256 streams the object from the S3 server and returns its size and sha256.
func storedSHA256(t *testing.T, s3 *minio.Core, key string) (int64, string) {
	t.Helper()
	obj, err := s3.Client.GetObject(context.Background(), e2eBucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	sum := sha256.New()
	n, err := io.Copy(sum, obj)
	if err != nil {
		t.Fatalf("reading object %s: %v", key, err)
	}
	return n, hex.EncodeToString(sum.Sum(nil))
}

func checkStoredSHA256(t *testing.T, s3 *minio.Core, key string, size int64, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n, got := storedSHA256(t, s3, key)
		if n != size || got != want {
			return fmt.Errorf("object %s: %d bytes, sha256 %s; the file: %d bytes, sha256 %s", key, n, got, size, want)
		}
		t.Logf("object %s: %d bytes, sha256 %s, equal to the file's", key, n, got)
		return nil
	}
}

// faultProxy stands between the provider and the S3 server: the secret's endpoint is the
// proxy, and it keeps the Host header, so the signatures still hold. It fails the part PUTs
// it is told to, and can run a hook when a part arrives.
type faultProxy struct {
	host string
	mu   sync.Mutex
	// fail gives, for a part's attempt (from 1), 0 to pass it on, a status to answer instead,
	// or dropAnswer to pass it on and close the connection without answering.
	fail     func(part, attempt int) int
	onPart   func(part int)
	attempts map[string]int
	injected int
}

const dropAnswer = -1

func startFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	to, err := url.Parse("http://" + target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{attempts: map[string]int{}}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(to)
		r.Out.Host = r.In.Host
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		partNumber, err := strconv.Atoi(r.URL.Query().Get("partNumber"))
		if r.Method != http.MethodPut || err != nil {
			proxy.ServeHTTP(w, r)
			return
		}
		p.mu.Lock()
		key := r.URL.Query().Get("uploadId") + "/" + strconv.Itoa(partNumber)
		p.attempts[key]++
		attempt := p.attempts[key]
		fail, onPart := p.fail, p.onPart
		p.mu.Unlock()
		if onPart != nil {
			onPart(partNumber)
		}
		action := 0
		if fail != nil {
			action = fail(partNumber, attempt)
		}
		if action != 0 {
			p.mu.Lock()
			p.injected++
			p.mu.Unlock()
		}
		switch {
		case action > 0:
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(action)
		case action == dropAnswer:
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	p.host = srv.Listener.Addr().String()
	return p
}

func (p *faultProxy) set(fail func(part, attempt int) int, onPart func(part int)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail, p.onPart, p.injected = fail, onPart, 0
}

func (p *faultProxy) injectedFaults() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.injected
}

// TestAccMultipartUploadAction uploads a file of three parts to a real S3 server through the
// action, invoked by a terraform_data whose input is the file's hash, while the server fails
// some part PUTs (503s and dropped answers); then the failures: a wrong upload_id, a missing
// file, a file that changes during the upload.
func TestAccMultipartUploadAction(t *testing.T) {
	skipWithoutActions(t)
	ctx := context.Background()
	s3 := startS3(t)
	proxy := startFaultProxy(t, s3.EndpointURL().Host)
	env := newTestEnv(t)
	secret := env.Fake.InsertSecret(env.Org.ID, insertableS3Secret(proxy.host))
	dir := t.TempDir()
	file := filepath.Join(dir, "model.luml")
	const size = 70<<20 + 5
	sum := writeRandomFile(t, file, size)
	small := filepath.Join(dir, "small.luml")
	writeRandomFile(t, small, 5)
	uploadIDs := make([]string, 4)
	for i := range uploadIDs {
		id, err := s3.NewMultipartUpload(ctx, e2eBucket, e2eObjectKey, minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		uploadIDs[i] = id
	}
	invocations := &actionRecorder{}
	noURLs := noPresignedURLInPlan{}
	hash := fmt.Sprintf("filesha256(%q)", file)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   terraform114,
		ProtoV6ProviderFactories: invocations.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					proxy.set(func(part, attempt int) int {
						switch {
						case part == 2 && attempt == 1:
							return http.StatusServiceUnavailable
						case part == 3 && attempt <= 2:
							return dropAnswer
						}
						return 0
					}, nil)
				},
				Config: uploadActionConfig(env, "model", secret.ID, e2eObjectKey, file, hash,
					fmt.Sprintf("upload_id = %q", uploadIDs[0])),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{noURLs}},
				ConfigStateChecks: []statecheck.StateCheck{noPresignedURLInState{}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStoredSHA256(t, s3, e2eObjectKey, size, sum),
					func(*terraform.State) error {
						if n := proxy.injectedFaults(); n != 3 {
							return fmt.Errorf("%d faults injected, want 3", n)
						}
						progress, diags := invocations.only(t)
						t.Logf("progress: %q", progress)
						if err := noneContains(slices.Concat(progress, diags), urlParts); err != nil {
							return err
						}
						if last := progress[len(progress)-1]; !strings.Contains(last, "3 part requests retried") {
							return fmt.Errorf("the last line does not count the 3 retries: %q", last)
						}
						return wantInOrder("progress", progress, e2eBucket+" (", "3 parts of up to 32.0 MiB, 4 at a time",
							"uploaded "+file+" to "+e2eObjectKey+": 70.0 MiB (73400325 bytes) in 3 parts in")
					},
				),
			},
			{
				PreConfig: func() {
					invocations.reset()
					proxy.set(nil, nil)
				},
				// A one-part file of a few bytes: versitygw answers a PUT to an unknown upload
				// before it reads the body and resets the connection, so a part larger than the
				// socket buffers mostly fails as a reset connection instead (the hint of a
				// failed connection names upload_id for that).
				Config: uploadActionConfig(env, "wrong_id", secret.ID, e2eObjectKey, small, fmt.Sprintf("filesha256(%q)", small),
					`upload_id = "not-an-upload"`),
				ExpectError: multipartErrorText(`Upload of part \d failed.*step "part".*answered 404 Not Found` +
					` \(NoSuchUpload\).*upload_id is not a multipart upload in progress for this bucket_location`),
			},
			{
				Config: uploadActionConfig(env, "missing", secret.ID, e2eObjectKey, filepath.Join(dir, "missing.luml"),
					`"v1"`, fmt.Sprintf("upload_id = %q", uploadIDs[1])),
				ExpectError: multipartErrorText(`Unable to read the file to upload.*missing.luml: no such file`),
			},
			{
				PreConfig: func() {
					var once sync.Once
					proxy.set(nil, func(int) {
						once.Do(func() {
							later := time.Now().Add(time.Hour)
							_ = os.Chtimes(file, later, later)
						})
					})
				},
				Config: uploadActionConfig(env, "changing", secret.ID, e2eObjectKey, file, `"v2"`,
					fmt.Sprintf("upload_id = %q", uploadIDs[2])),
				ExpectError: multipartErrorText(`File changed during the upload.*The file changed during the upload` +
					`.*Nothing was completed. The S3 multipart upload ` + uploadIDs[2] + ` stays incomplete`),
			},
		},
	})
	// The failed uploads completed nothing: the object is still the first one.
	if n, got := storedSHA256(t, s3, e2eObjectKey); n != size || got != sum {
		t.Errorf("the object changed after the failed uploads: %d bytes, sha256 %s", n, got)
	}
	for _, id := range uploadIDs[1:] {
		_ = s3.AbortMultipartUpload(ctx, e2eBucket, e2eObjectKey, id)
	}
}

// insertableS3Secret is a secret of the test bucket on the S3 server reached at host.
func insertableS3Secret(host string) lumlfake.StoredSecret {
	secure := false
	return lumlfake.StoredSecret{
		Type: "s3", Endpoint: host, BucketName: e2eBucket, Region: ptr(versityGWRegion),
		AccessKey: ptr(versityGWAccessKey), SecretKey: ptr(versityGWSecretKey), Secure: &secure,
	}
}

// urlParts are pieces of a presigned URL that no progress line or diagnostic may show.
var urlParts = []string{"X-Amz-", "uploadId=", "partNumber=", "sig=", "blockid=", "?"}
