package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"github.com/minio/minio-go/v7"

	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// TestAccMultipartUpload_examples applies the documented S3 examples, whose local-exec uploads
// with bash, curl and jq, against a real S3 server.
func TestAccMultipartUpload_examples(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	skipWithoutExampleCommands(t)
	s3 := startS3(t)
	file, content := writeE2EFile(t, t.TempDir())
	examples := []struct {
		name, path string
		versions   []tfversion.TerraformVersionCheck
	}{
		{"ephemeral", "../../examples/ephemeral-resources/luml_multipart_upload_urls/ephemeral-resource.tf", multipartEphemeralVersions},
		{"data source", "../../examples/data-sources/luml_multipart_upload_urls/data-source.tf", nil},
	}
	for _, example := range examples {
		t.Run(example.name, func(t *testing.T) {
			hcl, err := os.ReadFile(example.path)
			if err != nil {
				t.Fatal(err)
			}
			// The examples share the object key: start without the previous example's object.
			ctx := context.Background()
			if err := s3.RemoveObject(ctx, e2eBucket, e2eObjectKey, minio.RemoveObjectOptions{}); err != nil {
				t.Fatal(err)
			}
			uploadID, err := s3.NewMultipartUpload(ctx, e2eBucket, e2eObjectKey, minio.PutObjectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			env := newTestEnv(t)
			// The examples find their bucket secret by its bucket name.
			insertS3Secret(env, s3, e2eBucket, versityGWSecretKey)
			resource.Test(t, resource.TestCase{
				TerraformVersionChecks:   example.versions,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.providerConfig() + string(hcl),
					ConfigVariables: config.Variables{
						"upload_id": config.StringVariable(uploadID),
						"file":      config.StringVariable(file),
						"file_size": config.IntegerVariable(len(content)),
					},
				}},
			})
			checkStoredObject(t, s3, content)
		})
	}
}

// skipWithoutExampleCommands skips a test of the examples when a command their upload
// scripts run is missing.
func skipWithoutExampleCommands(t *testing.T) {
	t.Helper()
	for _, command := range []string{"bash", "curl", "jq", "head", "tail", "base64"} {
		if _, err := exec.LookPath(command); err != nil {
			t.Skipf("the examples' upload script needs %s", command)
		}
	}
}

// TestAccMultipartUpload_azureExample applies the documented Azure example against a blob
// service that keeps blocks and commits block lists as Azure does (Put Block, Put Block
// List), and compares the committed blob with the file.
func TestAccMultipartUpload_azureExample(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1", resource.EnvTfAcc)
	}
	skipWithoutExampleCommands(t)
	hcl, err := os.ReadFile("../../examples/ephemeral-resources/luml_multipart_upload_urls/azure.tf")
	if err != nil {
		t.Fatal(err)
	}
	blobs := newFakeBlobService(t)
	file, content := writeE2EFile(t, t.TempDir())
	env := newTestEnv(t)
	env.Fake.InsertSecret(env.Org.ID, lumlfake.StoredSecret{
		Type: "azure",
		Endpoint: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=" +
			blobs.url + "/devstoreaccount1;",
		BucketName: e2eBucket,
	})

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   multipartEphemeralVersions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + string(hcl),
			ConfigVariables: config.Variables{
				"file":      config.StringVariable(file),
				"file_size": config.IntegerVariable(len(content)),
			},
		}},
	})
	got, ok := blobs.blob("/devstoreaccount1/" + e2eBucket + "/" + e2eObjectKey)
	if !ok {
		t.Fatal("no blob was committed")
	}
	if !bytes.Equal(got, content) {
		t.Fatalf("the committed blob (%d bytes) differs from the file (%d bytes) from byte %d on",
			len(got), len(content), firstDifference(got, content))
	}
}

// fakeBlobService keeps uncommitted blocks per blob, and commits the blocks a block list
// names, in its order. Requests without a SAS signature are refused.
type fakeBlobService struct {
	url string

	mu        sync.Mutex
	blocks    map[string]map[string][]byte // blob path -> block ID -> bytes
	committed map[string][]byte
}

func newFakeBlobService(t *testing.T) *fakeBlobService {
	t.Helper()
	s := &fakeBlobService{blocks: map[string]map[string][]byte{}, committed: map[string][]byte{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *fakeBlobService) blob(path string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.committed[path]
	return b, ok
}

func (s *fakeBlobService) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	body, err := io.ReadAll(r.Body)
	if err != nil || r.Method != http.MethodPut || q.Get("sig") == "" || q.Get("sp") != "cw" {
		http.Error(w, "not a signed PUT", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch q.Get("comp") {
	case "block":
		id := q.Get("blockid")
		if _, err := base64.StdEncoding.DecodeString(id); err != nil || id == "" {
			http.Error(w, "InvalidQueryParameterValue", http.StatusBadRequest)
			return
		}
		if s.blocks[r.URL.Path] == nil {
			s.blocks[r.URL.Path] = map[string][]byte{}
		}
		s.blocks[r.URL.Path][id] = body
	case "blocklist":
		var list struct {
			XMLName xml.Name `xml:"BlockList"`
			Latest  []string `xml:"Latest"`
		}
		if err := xml.Unmarshal(body, &list); err != nil {
			http.Error(w, "InvalidXmlDocument", http.StatusBadRequest)
			return
		}
		var blob []byte
		for _, id := range list.Latest {
			block, ok := s.blocks[r.URL.Path][strings.TrimSpace(id)]
			if !ok {
				http.Error(w, fmt.Sprintf("InvalidBlockList: no block %q", id), http.StatusBadRequest)
				return
			}
			blob = append(blob, block...)
		}
		s.committed[r.URL.Path] = blob
		delete(s.blocks, r.URL.Path)
	default:
		http.Error(w, "unsupported operation", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusCreated)
}
