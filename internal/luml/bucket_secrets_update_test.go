package luml_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

// The server writes every PATCH field, sent or not: one left out becomes null, which the real
// server answers with a 409 or a 500 and a corrupt row (API.md, "PATCH is not a merge";
// TestConformance replays it). So the client sends every field.
func TestUpdateBucketSecretS3SendsEveryField(t *testing.T) {
	e := newTestEnv(t)
	created := e.create(s3Spec("before"))
	e.fake.AddOrbit(e.org.ID, created.ID, "models")

	next := luml.S3Spec{
		Endpoint: "https://minio.example.com", BucketName: "after", Region: "eu-central-1",
		AccessKey: ptr("new-access"), SecretKey: ptr("new-secret"), CertCheck: ptr(false),
	}
	got, err := e.client.UpdateBucketSecret(context.Background(), e.org.ID, created.ID, next)
	if err != nil {
		t.Fatal(err)
	}
	if got.Endpoint != "minio.example.com" || got.BucketName != "after" || deref(got.Region) != "eu-central-1" ||
		got.Secure != nil || !equalPtr(got.CertCheck, ptr(false)) {
		t.Errorf("got %q %q %q secure %v cert_check %v, want the new values with the endpoint stripped",
			got.Endpoint, got.BucketName, deref(got.Region), deref(got.Secure), deref(got.CertCheck))
	}
	if got.Orbits == nil || len(got.Orbits) != 0 || got.UpdatedAt == nil {
		t.Errorf("orbits %v and updated_at %v: a PATCH answers [] and a time", got.Orbits, got.UpdatedAt)
	}

	r := e.lastRequest(http.MethodPatch, secretPath(e.org.ID, created.ID))
	if keys := bodyKeys(t, r); !slices.Equal(keys, strings.Fields(s3UpdateFields)) {
		t.Errorf("the PATCH body has %v, want every field: %s", keys, s3UpdateFields)
	}
	row := e.stored(created.ID)
	if !equalPtr(row.AccessKey, next.AccessKey) || !equalPtr(row.SecretKey, next.SecretKey) || row.SessionToken != nil {
		t.Error("the stored credentials are not those sent (a session token left out must be cleared)")
	}
}

func TestUpdateBucketSecretAzureSendsOnlyEndpointAndBucketName(t *testing.T) {
	e := newTestEnv(t)
	created := e.create(azureSpec("before"))
	next := luml.AzureSpec{
		ConnectionString: azureConnectionString("otheraccount", "another-account-key", ""),
		ContainerName:    "after",
	}
	got, err := e.client.UpdateBucketSecret(context.Background(), e.org.ID, created.ID, next)
	if err != nil {
		t.Fatal(err)
	}
	if got.BucketName != "after" || got.Endpoint != next.ConnectionString || got.Type != luml.BucketTypeAzure {
		t.Errorf("got type %q and container %q (or another connection string), want the new Azure values", got.Type, got.BucketName)
	}
	r := e.lastRequest(http.MethodPatch, secretPath(e.org.ID, created.ID))
	if keys := bodyKeys(t, r); !slices.Equal(keys, []string{"bucket_name", "endpoint"}) {
		t.Errorf("the PATCH body has %v, want exactly bucket_name and endpoint", keys)
	}
}

func TestUpdateBucketSecretFailures(t *testing.T) {
	e := newTestEnv(t)
	other := e.fake.AddOrganization("Other")
	foreign := e.fake.InsertSecret(other.ID, lumlfake.StoredSecret{Endpoint: "e", BucketName: "b", Region: ptr("r")})
	taken := e.create(s3Spec("taken"))
	mine := e.create(s3Spec("mine"))

	tests := []struct {
		name       string
		id         string
		spec       luml.SecretSpec
		wantStatus int
		wantDetail string
	}{
		{name: "missing", id: unknownID, spec: s3Spec("x"), wantStatus: http.StatusNotFound, wantDetail: msgNotFound},
		{name: "of another organization", id: foreign.ID, spec: s3Spec("x"), wantStatus: http.StatusNotFound, wantDetail: msgNotFound},
		{name: "onto another secret's pair", id: mine.ID, spec: s3Spec(taken.BucketName), wantStatus: http.StatusConflict, wantDetail: msgDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client.UpdateBucketSecret(context.Background(), e.org.ID, tt.id, tt.spec)
			requireAPIError(t, err, tt.wantStatus, tt.wantDetail)
		})
	}
	if row := e.stored(foreign.ID); row.BucketName != "b" {
		t.Errorf("the foreign secret's bucket became %q", row.BucketName)
	}
}
