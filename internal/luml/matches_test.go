package luml_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// Matches is the server's conflict rule: the real server refused a create with 409 exactly
// when the organization held a secret the spec matches. The recorded creates try the same
// endpoint with and without a scheme, another endpoint, empty names, and Azure connection
// strings with and without https://.
func TestMatchesTheRecordedConflicts(t *testing.T) {
	const createPath = "/v1/organizations/00000000-0000-7000-8000-0000000000aa/bucket-secrets"
	var held []*luml.BucketSecret
	creates := 0
	for _, st := range recordedSteps(t) {
		if st.Method != http.MethodPost || st.Path != createPath || (st.Status != http.StatusOK && st.Status != http.StatusConflict) {
			continue
		}
		creates++
		spec := recordedSpec(st.Body)
		var matched []string
		for _, s := range held {
			if luml.Matches(spec, s) {
				matched = append(matched, s.Endpoint+" "+s.BucketName)
			}
		}
		if conflict := st.Status == http.StatusConflict; conflict != (len(matched) > 0) {
			t.Errorf("step %d %q: the server answered %d; Matches found %q", st.Step, st.Label, st.Status, matched)
		}
		if st.Status != http.StatusOK {
			continue
		}
		created := &luml.BucketSecret{
			Type: luml.BucketType(str(st.Answer, "type")), Endpoint: unshapeURL(str(st.Answer, "endpoint")), BucketName: str(st.Answer, "bucket_name"),
		}
		if !luml.Matches(spec, created) {
			t.Errorf("step %d %q: the secret the server created (%s %s) does not match its spec", st.Step, st.Label, created.Endpoint, created.BucketName)
		}
		held = append(held, created)
	}
	if creates < 10 {
		t.Fatalf("only %d recorded creates", creates)
	}
}

// The cases the corpus does not record, from the backend's uniqueness rule (API.md, "Bucket
// secrets"): the stored endpoint and the bucket name, compared exactly, whatever the type.
func TestMatchesUnrecordedCases(t *testing.T) {
	az := azureSpec("shared")
	stored := func(typ luml.BucketType, endpoint, bucket string) *luml.BucketSecret {
		return &luml.BucketSecret{Type: typ, Endpoint: endpoint, BucketName: bucket}
	}
	upper := s3Spec("b")
	upper.Endpoint = "https://S3.eu-west-1.amazonaws.com"
	if luml.Matches(upper, stored(luml.BucketTypeS3, "s3.eu-west-1.amazonaws.com", "b")) {
		t.Error("endpoints that differ in letter case match")
	}
	s3OnAzure := luml.S3Spec{Endpoint: az.ConnectionString, BucketName: az.ContainerName, Region: "r"}
	if !luml.Matches(s3OnAzure, stored(luml.BucketTypeAzure, az.ConnectionString, az.ContainerName)) {
		t.Error("an S3 spec does not match an Azure secret of the same endpoint and bucket")
	}
}

// recordedSpec is the spec of a recorded create body.
func recordedSpec(body map[string]any) luml.SecretSpec {
	if str(body, "type") == string(luml.BucketTypeAzure) {
		return luml.AzureSpec{ConnectionString: str(body, "endpoint"), ContainerName: str(body, "bucket_name")}
	}
	return luml.S3Spec{Endpoint: str(body, "endpoint"), BucketName: str(body, "bucket_name"), Region: str(body, "region")}
}

// unshapeURL undoes the corpus's normalization of a string that starts with a scheme, which
// adds a "?" when there is no query: an Azure endpoint created with "https://".
func unshapeURL(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return strings.TrimSuffix(s, "?")
	}
	return s
}
