package luml_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
	"github.com/luml-ai/terraform-provider-luml/internal/lumlfake"
)

const (
	msgDuplicate   = "Bucket secret with the given bucket name and endpoint already exists."
	msgNotFound    = "Secret not found"
	msgInUse       = "Cannot delete bucket secret that is currently used by orbits"
	msgNoRights    = "Not enough rights"
	s3UpdateFields = "access_key bucket_name cert_check endpoint region secret_key secure session_token"
)

func TestCreateBucketSecret(t *testing.T) {
	full := s3Spec("full")
	full.SessionToken = ptr("session-token")
	full.Secure = ptr(false)
	minimal := luml.S3Spec{Endpoint: "minio.internal:9000", BucketName: "minimal", Region: "us-east-1"}
	azure := azureSpec("container")

	tests := []struct {
		name         string
		spec         luml.SecretSpec
		wantEndpoint string
		wantRegion   *string
		wantSecure   *bool
		wantCert     *bool
		wantCreds    [3]*string // access, secret, session as stored
	}{
		{
			name: "S3 with every field", spec: full,
			wantEndpoint: "s3.eu-west-1.amazonaws.com", // https:// is stripped
			wantRegion:   ptr("eu-west-1"), wantSecure: ptr(false), wantCert: ptr(true),
			wantCreds: [3]*string{full.AccessKey, full.SecretKey, full.SessionToken},
		},
		{
			name: "S3 without credentials or flags", spec: minimal,
			wantEndpoint: "minio.internal:9000", wantRegion: ptr("us-east-1"),
		},
		{
			name: "Azure", spec: azure,
			wantEndpoint: azure.ConnectionString, // never stripped, returned as is
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			got := e.create(tt.spec)

			if got.ID == "" || got.OrganizationID != e.org.ID || got.CreatedAt.IsZero() {
				t.Errorf("id %q, organization %q, created %v: want an ID, %s and a creation time",
					got.ID, got.OrganizationID, got.CreatedAt, e.org.ID)
			}
			if got.Type != tt.spec.Type() {
				t.Errorf("type %q, want %q", got.Type, tt.spec.Type())
			}
			if got.Endpoint != tt.wantEndpoint {
				t.Error("the endpoint returned is not the one expected") // it may be a connection string
			}
			if !equalPtr(got.Region, tt.wantRegion) || !equalPtr(got.Secure, tt.wantSecure) || !equalPtr(got.CertCheck, tt.wantCert) {
				t.Errorf("region %v, secure %v, cert_check %v: want %v, %v, %v",
					deref(got.Region), deref(got.Secure), deref(got.CertCheck),
					deref(tt.wantRegion), deref(tt.wantSecure), deref(tt.wantCert))
			}
			if got.Orbits == nil || len(got.Orbits) != 0 || got.UpdatedAt != nil {
				t.Errorf("orbits %v, updated_at %v: want [] and null", got.Orbits, got.UpdatedAt)
			}

			row := e.stored(got.ID)
			for i, have := range []*string{row.AccessKey, row.SecretKey, row.SessionToken} {
				if !equalPtr(have, tt.wantCreds[i]) {
					t.Errorf("stored credential %d is not the one sent", i)
				}
			}
			if r := e.lastRequest(http.MethodPost, secretsPath(e.org.ID)); r.Status != http.StatusOK {
				t.Errorf("the emulator answered %d, want 200", r.Status)
			}
		})
	}
}

func TestCreateBucketSecretConflicts(t *testing.T) {
	tests := []struct {
		name   string
		first  luml.SecretSpec
		second luml.SecretSpec
	}{
		{name: "same endpoint and bucket", first: s3Spec("b"), second: s3Spec("b")},
		{
			name:   "https:// endpoint against the bare one",
			first:  luml.S3Spec{Endpoint: "s3.example.com", BucketName: "b", Region: "r1"},
			second: luml.S3Spec{Endpoint: "https://s3.example.com", BucketName: "b", Region: "r2"},
		},
		{
			name:   "Azure against S3 with the same pair",
			first:  luml.S3Spec{Endpoint: azureSpec("c").ConnectionString, BucketName: "c", Region: "r"},
			second: azureSpec("c"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			first := e.create(tt.first)
			_, err := e.client.CreateBucketSecret(context.Background(), e.org.ID, tt.second)
			requireAPIError(t, err, http.StatusConflict, msgDuplicate)
			if !luml.IsConflict(err) {
				t.Errorf("IsConflict(%v) is false", err)
			}
			if ids := storedIDs(e); !slices.Equal(ids, []string{first.ID}) {
				t.Errorf("secrets %v after the conflict, want only %s", ids, first.ID)
			}
			// A plain conflict is not ambiguous: the client does not look for a secret to adopt.
			if n := e.fake.CountRequests(http.MethodGet, secretsPath(e.org.ID)); n != 0 {
				t.Errorf("%d GET requests after a plain conflict, want none", n)
			}
		})
	}
}

func TestTheSamePairMayExistInTwoOrganizations(t *testing.T) {
	e := newTestEnv(t)
	other := e.fake.AddOrganization("Other")
	e.fake.AddMembership(e.owner.ID, other.ID, lumlfake.RoleOwner)
	e.create(s3Spec("shared"))
	if _, err := e.client.CreateBucketSecret(context.Background(), other.ID, s3Spec("shared")); err != nil {
		t.Errorf("the same endpoint and bucket in another organization: %v", err)
	}
}

func storedIDs(e *testEnv) []string {
	var ids []string
	for _, s := range e.fake.Secrets(e.org.ID) {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestListBucketSecrets(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()

	empty, err := e.client.ListBucketSecrets(ctx, e.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if empty == nil || len(empty) != 0 {
		t.Errorf("got %v for an organization without secrets, want an empty list", empty)
	}

	s3 := e.create(s3Spec("listed"))
	az := e.create(azureSpec("listed"))
	orbit := e.fake.AddOrbit(e.org.ID, s3.ID, "models")
	other := e.fake.AddOrganization("Other")
	e.fake.InsertSecret(other.ID, lumlfake.StoredSecret{Endpoint: "elsewhere", BucketName: "x", Region: ptr("r")})

	list, err := e.client.ListBucketSecrets(ctx, e.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]luml.BucketSecret{}
	for _, s := range list {
		byID[s.ID] = s
	}
	if len(list) != 2 || len(byID) != 2 {
		t.Fatalf("%d secrets listed, want the organization's 2", len(list))
	}
	if got := byID[s3.ID]; got.Type != luml.BucketTypeS3 || len(got.Orbits) != 1 || got.Orbits[0].ID != orbit.ID {
		t.Errorf("the S3 secret is listed as type %q with orbits %v, want s3 used by %s", got.Type, got.Orbits, orbit.ID)
	}
	if got := byID[az.ID]; got.Type != luml.BucketTypeAzure || got.Region != nil || got.Secure != nil || got.CertCheck != nil {
		t.Errorf("the Azure secret is listed as type %q with region %v, secure %v, cert_check %v; want azure and none",
			got.Type, got.Region, got.Secure, got.CertCheck)
	}
}

func TestGetBucketSecret(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	created := e.create(s3Spec("got"))
	orbit := e.fake.AddOrbit(e.org.ID, created.ID, "models")

	got, err := e.client.GetBucketSecret(ctx, e.org.ID, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != created.ID || got.BucketName != "got" || deref(got.Region) != "eu-west-1" {
		t.Errorf("got %s %q in %q, want %s \"got\" in eu-west-1", got.ID, got.BucketName, deref(got.Region), created.ID)
	}
	if len(got.Orbits) != 1 || got.Orbits[0].ID != orbit.ID || got.Orbits[0].Name != "models" {
		t.Errorf("orbits %v, want the orbit %s (GET shows the orbits, create does not)", got.Orbits, orbit.ID)
	}
}

func TestGetBucketSecretFailures(t *testing.T) {
	e := newTestEnv(t)
	other := e.fake.AddOrganization("Other")
	foreign := e.fake.InsertSecret(other.ID, lumlfake.StoredSecret{Endpoint: "e", BucketName: "b", Region: ptr("r")})

	tests := []struct {
		name       string
		id         string
		wantStatus int
		wantDetail string
	}{
		{name: "missing", id: unknownID, wantStatus: http.StatusNotFound, wantDetail: msgNotFound},
		{name: "of another organization", id: foreign.ID, wantStatus: http.StatusNotFound, wantDetail: msgNotFound},
		{name: "not a UUID", id: "not-a-uuid", wantStatus: http.StatusUnprocessableEntity, wantDetail: "secret_id: Input should be a valid UUID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client.GetBucketSecret(context.Background(), e.org.ID, tt.id)
			requireAPIError(t, err, tt.wantStatus, tt.wantDetail)
		})
	}

	_, err := e.client.GetBucketSecret(context.Background(), e.org.ID, "not-a-uuid")
	apiErr := requireAPIError(t, err, http.StatusUnprocessableEntity, "")
	if len(apiErr.Validation) != 1 || apiErr.Validation[0].Type != "uuid_parsing" ||
		!slices.Equal(apiErr.Validation[0].Location, []any{"path", "secret_id"}) {
		t.Errorf("validation issues %+v, want one uuid_parsing at path.secret_id", apiErr.Validation)
	}
}

func TestDeleteBucketSecret(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	other := e.fake.AddOrganization("Other")
	foreign := e.fake.InsertSecret(other.ID, lumlfake.StoredSecret{Endpoint: "e", BucketName: "b", Region: ptr("r")})
	s := e.create(s3Spec("deleted"))

	if err := e.client.DeleteBucketSecret(ctx, e.org.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	if r := e.lastRequest(http.MethodDelete, secretPath(e.org.ID, s.ID)); r.Status != http.StatusNoContent {
		t.Errorf("the emulator answered %d, want 204", r.Status)
	}
	if _, ok := e.fake.Secret(s.ID); ok {
		t.Error("the secret is still stored")
	}

	for name, id := range map[string]string{"already deleted": s.ID, "of another organization": foreign.ID} {
		t.Run(name, func(t *testing.T) {
			err := e.client.DeleteBucketSecret(ctx, e.org.ID, id)
			requireAPIError(t, err, http.StatusNotFound, msgNotFound)
			if !luml.IsNotFound(err) {
				t.Errorf("IsNotFound(%v) is false", err)
			}
		})
	}
	if _, ok := e.fake.Secret(foreign.ID); !ok {
		t.Error("the foreign secret was deleted")
	}
}

func TestDeleteBucketSecretInUse(t *testing.T) {
	e := newTestEnv(t)
	s := e.create(s3Spec("used"))
	e.fake.AddOrbit(e.org.ID, s.ID, "models")
	err := e.client.DeleteBucketSecret(context.Background(), e.org.ID, s.ID)
	requireAPIError(t, err, http.StatusConflict, msgInUse)
	if _, ok := e.fake.Secret(s.ID); !ok {
		t.Error("the secret in use was deleted")
	}
}

// bucketSecretCalls exercises every organization-scoped call on the secret id.
var bucketSecretCalls = []struct {
	name string
	call func(c *luml.Client, orgID, id string) error
}{
	{"list", func(c *luml.Client, orgID, _ string) error {
		_, err := c.ListBucketSecrets(context.Background(), orgID)
		return err
	}},
	{"get", func(c *luml.Client, orgID, id string) error {
		_, err := c.GetBucketSecret(context.Background(), orgID, id)
		return err
	}},
	{"create", func(c *luml.Client, orgID, _ string) error {
		_, err := c.CreateBucketSecret(context.Background(), orgID, s3Spec("new"))
		return err
	}},
	{"update", func(c *luml.Client, orgID, id string) error {
		_, err := c.UpdateBucketSecret(context.Background(), orgID, id, s3Spec("x"))
		return err
	}},
	{"delete", func(c *luml.Client, orgID, id string) error {
		return c.DeleteBucketSecret(context.Background(), orgID, id)
	}},
	{"existing secret URLs", func(c *luml.Client, orgID, id string) error {
		_, err := c.ExistingSecretURLs(context.Background(), orgID, id, s3Spec("x"))
		return err
	}},
}

func TestBucketSecretCallsNeedOwnerOrAdmin(t *testing.T) {
	e := newTestEnv(t)
	s := e.create(s3Spec("guarded"))
	member := e.clientWithRole(lumlfake.RoleMember)

	for _, c := range bucketSecretCalls {
		t.Run("member/"+c.name, func(t *testing.T) {
			err := c.call(member, e.org.ID, s.ID)
			requireAPIError(t, err, http.StatusForbidden, msgNoRights)
			if !luml.IsForbidden(err) {
				t.Errorf("IsForbidden(%v) is false", err)
			}
		})
		// An organization that does not exist is a 403 too, never a 404.
		t.Run("unknown organization/"+c.name, func(t *testing.T) {
			err := c.call(e.client, unknownID, s.ID)
			requireAPIError(t, err, http.StatusForbidden, msgNoRights)
		})
	}
	if _, ok := e.fake.Secret(s.ID); !ok {
		t.Error("a refused call deleted the secret")
	}

	admin := e.clientWithRole(lumlfake.RoleAdmin)
	if _, err := admin.GetBucketSecret(context.Background(), e.org.ID, s.ID); err != nil {
		t.Errorf("an admin reading the secret: %v", err)
	}
}

func TestCreateValidationErrors(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name       string
		body       string
		wantDetail string
		wantType   string
		wantLoc    []any
	}{
		{
			name:       "without type",
			body:       `{"endpoint":"s3.example.com","bucket_name":"b","region":"eu"}`,
			wantDetail: "request body: Unable to extract tag using discriminator 'type'",
			wantType:   "union_tag_not_found", wantLoc: []any{"body"},
		},
		{
			name:       "S3 without region",
			body:       `{"type":"s3","endpoint":"s3.example.com","bucket_name":"b"}`,
			wantDetail: "region: Field required",
			wantType:   "missing", wantLoc: []any{"body", "s3", "region"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.client.RawCall(context.Background(), http.MethodPost, secretsPath(e.org.ID), tt.body, nil)
			apiErr := requireAPIError(t, err, http.StatusUnprocessableEntity, tt.wantDetail)
			if apiErr.Detail != tt.wantDetail {
				t.Errorf("detail %q, want exactly %q", apiErr.Detail, tt.wantDetail)
			}
			if len(apiErr.Validation) != 1 || apiErr.Validation[0].Type != tt.wantType ||
				!slices.Equal(apiErr.Validation[0].Location, tt.wantLoc) {
				t.Errorf("validation issues %+v, want one %s at %v", apiErr.Validation, tt.wantType, tt.wantLoc)
			}
		})
	}
	if n := len(e.fake.Secrets(e.org.ID)); n != 0 {
		t.Errorf("%d secrets stored by invalid creates", n)
	}
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// deref renders a pointer for a message: its value, or "null".
func deref[T any](p *T) any {
	if p == nil {
		return "null"
	}
	return *p
}
