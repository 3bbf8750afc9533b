package clitest_test

import (
	"regexp"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/clitest"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// stateWarning is the summary of the warning of the luml_multipart_upload_urls data source.
var stateWarning = regexp.MustCompile(`Warning: Presigned upload URLs stored in the state`)

// TestMultipartDataSourceWarns checks that the CLI shows the data source's warning at every
// read (plan, apply, refresh), once per data source, and never for the ephemeral resource.
func TestMultipartDataSourceWarns(t *testing.T) {
	e := clitest.New(t)
	secret := e.Fake.InsertSecret(e.Org.ID, lumlfake.StoredSecret{
		Type: "s3", Endpoint: "s3.example.test", BucketName: "models", Region: ptr("eu-central-1"),
		AccessKey: ptr("AKIAEXAMPLE"), SecretKey: ptr("example-secret-key"),
	})
	e.WriteConfig(`
data "luml_multipart_upload_urls" "model" {
  bucket_secret_id = "` + secret.ID + `"
  bucket_location  = "models/model.luml"
  size             = 100 * 1024 * 1024
  upload_id        = "upload-1"
}

ephemeral "luml_multipart_upload_urls" "model" {
  bucket_secret_id = "` + secret.ID + `"
  bucket_location  = "models/model.luml"
  size             = 100 * 1024 * 1024
  upload_id        = "upload-1"
}
`)
	for _, args := range [][]string{
		{"plan", "-input=false", "-no-color"},
		{"apply", "-auto-approve", "-input=false", "-no-color"},
		{"refresh", "-input=false", "-no-color"},
	} {
		r := e.MustRun(args...)
		if n := len(stateWarning.FindAllString(r.Stdout+r.Stderr, -1)); n != 1 {
			t.Errorf("%s shows the warning %d times, want once:\n%s", args[0], n, e.Tail(r.Stdout+r.Stderr, 30))
		}
	}
}

func ptr[T any](v T) *T { return &v }
