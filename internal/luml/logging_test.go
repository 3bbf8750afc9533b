package luml_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// Every call that carries a secret one way or the other, with distinctive values, and then
// not one captured log line may contain any of them.
func TestLogsNeverContainSecrets(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	_, host := objectStore(t)

	const (
		accessKey    = "AKIADISTINCTACCESS77"
		secretKey    = "distinct/Secret+Key/0123456789abcdefXYZ"
		sessionToken = "distinct-session-token-FwoGZXIvYXdzEJr"
		accountKey   = "distinct-azure-account-key-material"
	)
	encodedAccountKey := base64.StdEncoding.EncodeToString([]byte(accountKey))
	s3 := luml.S3Spec{
		Endpoint: host, BucketName: "logged", Region: "us-east-1", Secure: ptr(false),
		AccessKey: ptr(accessKey), SecretKey: ptr(secretKey), SessionToken: ptr(sessionToken),
	}
	azure := luml.AzureSpec{
		ConnectionString: "DefaultEndpointsProtocol=http;AccountName=logged;AccountKey=" + encodedAccountKey +
			";BlobEndpoint=http://" + host + "/logged",
		ContainerName: "logged",
	}
	secrets := map[string]string{
		"the API key":           e.owner.APIKey,
		"the access key":        accessKey,
		"the secret key":        secretKey,
		"the session token":     sessionToken,
		"the connection string": azure.ConnectionString,
		"the account key":       encodedAccountKey,
		"an S3 signature":       "X-Amz-Signature",
		"an Azure signature":    "sig=",
	}

	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// A retried create and a create whose answer is lost, adopted afterwards.
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault503, Methods: []string{http.MethodPost}})
	s3Secret, err := e.client.CreateBucketSecret(ctx, e.org.ID, s3)
	must("creating the S3 secret", err)
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.FaultDrop, Methods: []string{http.MethodPost}})
	azSecret, err := e.client.CreateBucketSecret(ctx, e.org.ID, azure)
	must("creating the Azure secret", err)

	_, err = e.client.ListBucketSecrets(ctx, e.org.ID)
	must("listing", err)
	_, err = e.client.GetBucketSecret(ctx, e.org.ID, azSecret.ID)
	must("reading the Azure secret", err)
	_, err = e.client.UpdateBucketSecret(ctx, e.org.ID, s3Secret.ID, s3)
	must("updating the S3 secret", err)
	_, err = e.client.UpdateBucketSecret(ctx, e.org.ID, azSecret.ID, azure)
	must("updating the Azure secret", err)
	for _, spec := range []luml.SecretSpec{s3, azure} {
		_, err = e.client.ConnectionTestURLs(ctx, spec)
		must("test URLs", err)
		must("checking a new configuration", e.client.CheckConnection(ctx, e.org.ID, "", spec))
	}
	_, err = e.client.ExistingSecretURLs(ctx, e.org.ID, azSecret.ID, azure)
	must("existing Azure URLs", err)
	must("checking the saved S3 secret", e.client.CheckConnection(ctx, e.org.ID, s3Secret.ID, s3))
	_, err = e.client.MultipartUploadURLs(ctx, luml.MultipartRequest{
		BucketSecretID: s3Secret.ID, BucketLocation: "m.bin", Size: 100 << 20, UploadID: ptr("upload-1"),
	})
	must("S3 multipart URLs", err)
	_, err = e.client.MultipartUploadURLs(ctx, luml.MultipartRequest{
		BucketSecretID: azSecret.ID, BucketLocation: "m.bin", Size: 100 << 20,
	})
	must("Azure multipart URLs", err)

	// 422 answers echo the whole body, credentials and connection string included.
	for _, body := range []string{
		`{"type":"s3","endpoint":"e","bucket_name":"b","access_key":"` + accessKey + `","secret_key":"` + secretKey + `"}`,
		`{"type":"gcs","endpoint":"` + azure.ConnectionString + `","bucket_name":"b","session_token":"` + sessionToken + `"}`,
	} {
		if err := e.client.RawCall(ctx, http.MethodPost, secretsPath(e.org.ID), body, nil); !hasStatus(err, http.StatusUnprocessableEntity) {
			t.Fatalf("an invalid create gave %v, want a 422", err)
		}
	}

	lines := e.logs.rendered()
	messages := e.logs.messages()
	for _, want := range []string{"LUML API request", "LUML API response", "LUML API request failed; it will be retried",
		"Adopted the bucket secret created by an attempt whose answer was lost"} {
		if !slices.Contains(messages, want) {
			t.Errorf("no %q line was logged", want)
		}
	}
	masked := 0
	for i, line := range lines {
		if strings.Contains(line, "***") {
			masked++
		}
		for what, secret := range secrets {
			if strings.Contains(line, secret) {
				// Never print the line: it holds the secret.
				t.Errorf("log line %d (%q) contains %s", i, messages[i], what)
			}
		}
	}
	if masked == 0 {
		t.Error("no line shows a masked value: the bodies were not logged at all")
	}
}

// Below the debug level, requests and answers are not logged, so their bodies are never
// masked: a 5 TiB multipart answer costs nothing to log that nobody reads.
func TestQuietLoggerGetsNoRequestLines(t *testing.T) {
	e := newTestEnv(t)
	e.logs.quiet = true
	e.fake.FailNext(1, lumlfake.Fault{Kind: lumlfake.Fault503})
	if _, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, s3Spec("quiet")); err != nil {
		t.Fatal(err)
	}
	for _, msg := range e.logs.messages() {
		switch msg {
		case "LUML API request", "Retrying LUML API request", "LUML API response":
			t.Errorf("%q was logged to a logger that keeps no debug lines", msg)
		}
	}
}
