package luml

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// BucketType is the kind of storage a bucket secret points at.
type BucketType string

const (
	BucketTypeS3    BucketType = "s3"
	BucketTypeAzure BucketType = "azure"
)

// BucketTypes lists every type the API accepts.
var BucketTypes = []BucketType{BucketTypeS3, BucketTypeAzure}

// Orbit is an orbit that stores its models with a bucket secret.
type Orbit struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt *time.Time `json:"updated_at"`
}

// BucketSecret is a secret as the API returns it. Credentials are never returned. For an
// Azure secret Endpoint is the connection string, account key included, and Region, Secure
// and CertCheck are nil.
type BucketSecret struct {
	ID             string     `json:"id"`
	Type           BucketType `json:"type"`
	Endpoint       string     `json:"endpoint"`
	BucketName     string     `json:"bucket_name"`
	Secure         *bool      `json:"secure"`
	Region         *string    `json:"region"`
	CertCheck      *bool      `json:"cert_check"`
	Orbits         []Orbit    `json:"orbits"`
	OrganizationID string     `json:"organization_id"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      *time.Time `json:"updated_at"`
}

// SecretSpec is the desired state of a bucket secret: an S3Spec or an AzureSpec.
type SecretSpec interface {
	Type() BucketType
	createBody() any
	updateBody() any
	urlsBody(id string) any
	// created is the secret a create of this spec makes, as far as the API shows it: the
	// non-secret fields, the endpoint as the server stores it.
	created() BucketSecret
}

// Matches reports whether s is the secret the server matches spec against: the same endpoint
// as stored and the same bucket name, whatever the type. An organization holds at most one
// such secret, so creating spec where s exists is refused as a conflict.
func Matches(spec SecretSpec, s *BucketSecret) bool {
	want := spec.created()
	return s.Endpoint == want.Endpoint && s.BucketName == want.BucketName
}

// madeBy reports whether s carries exactly what a create of spec stores, apart from the
// credentials, which the API never shows.
func madeBy(spec SecretSpec, s *BucketSecret) bool {
	want := spec.created()
	return Matches(spec, s) && s.Type == want.Type && equalPtr(s.Region, want.Region) &&
		equalPtr(s.Secure, want.Secure) && equalPtr(s.CertCheck, want.CertCheck)
}

// S3Spec describes an S3-compatible bucket. Nil pointers are sent as null.
type S3Spec struct {
	Endpoint     string
	BucketName   string
	Region       string
	AccessKey    *string
	SecretKey    *string
	SessionToken *string
	Secure       *bool
	CertCheck    *bool
}

// AzureSpec describes an Azure Blob Storage container.
type AzureSpec struct {
	ConnectionString string
	ContainerName    string
}

type s3Body struct {
	Type         BucketType `json:"type,omitempty"`
	Endpoint     string     `json:"endpoint"`
	BucketName   string     `json:"bucket_name"`
	AccessKey    *string    `json:"access_key"`
	SecretKey    *string    `json:"secret_key"`
	SessionToken *string    `json:"session_token"`
	Secure       *bool      `json:"secure"`
	Region       string     `json:"region"`
	CertCheck    *bool      `json:"cert_check"`
}

type s3URLsBody struct {
	ID string `json:"id"`
	s3Body
}

type azureBody struct {
	Type       BucketType `json:"type,omitempty"`
	Endpoint   string     `json:"endpoint"`
	BucketName string     `json:"bucket_name"`
}

type azureURLsBody struct {
	ID string `json:"id"`
	azureBody
}

func (s S3Spec) Type() BucketType { return BucketTypeS3 }

func (s S3Spec) body() s3Body {
	return s3Body{
		Endpoint: s.Endpoint, BucketName: s.BucketName, Region: s.Region,
		AccessKey: s.AccessKey, SecretKey: s.SecretKey, SessionToken: s.SessionToken,
		Secure: s.Secure, CertCheck: s.CertCheck,
	}
}

func (s S3Spec) createBody() any {
	b := s.body()
	b.Type = BucketTypeS3
	return b
}

// updateBody carries every field: the server treats an omitted PATCH field as null.
func (s S3Spec) updateBody() any { return s.body() }

func (s S3Spec) urlsBody(id string) any {
	b := s.body()
	b.Type = BucketTypeS3
	return s3URLsBody{ID: id, s3Body: b}
}

// created strips the endpoint's scheme, as the server does for S3.
func (s S3Spec) created() BucketSecret {
	return BucketSecret{
		Type: BucketTypeS3, Endpoint: NormalizeEndpoint(s.Endpoint), BucketName: s.BucketName,
		Region: &s.Region, Secure: s.Secure, CertCheck: s.CertCheck,
	}
}

func (a AzureSpec) Type() BucketType { return BucketTypeAzure }

func (a AzureSpec) createBody() any {
	return azureBody{Type: BucketTypeAzure, Endpoint: a.ConnectionString, BucketName: a.ContainerName}
}

// updateBody sends exactly endpoint and bucket_name: any S3 field, even null, is a 400 for
// an Azure secret.
func (a AzureSpec) updateBody() any {
	return azureBody{Endpoint: a.ConnectionString, BucketName: a.ContainerName}
}

// urlsBody names the type: the endpoint defaults it to s3 and refuses the mismatch.
func (a AzureSpec) urlsBody(id string) any {
	return azureURLsBody{ID: id, azureBody: azureBody{
		Type: BucketTypeAzure, Endpoint: a.ConnectionString, BucketName: a.ContainerName,
	}}
}

// created keeps the connection string as it is: an Azure create, unlike an update, stores
// the endpoint unstripped.
func (a AzureSpec) created() BucketSecret {
	return BucketSecret{Type: BucketTypeAzure, Endpoint: a.ConnectionString, BucketName: a.ContainerName}
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// NormalizeEndpoint applies the server's rule: strip one leading "http://", then one
// leading "https://". Case-sensitive, nothing else.
func NormalizeEndpoint(endpoint string) string {
	endpoint = strings.TrimPrefix(endpoint, "http://")
	return strings.TrimPrefix(endpoint, "https://")
}

func secretsPath(orgID string) string {
	return "/v1/organizations/" + url.PathEscape(orgID) + "/bucket-secrets"
}

func secretPath(orgID, id string) string {
	return secretsPath(orgID) + "/" + url.PathEscape(id)
}

// ListBucketSecrets returns every secret of the organization.
func (c *Client) ListBucketSecrets(ctx context.Context, orgID string) ([]BucketSecret, error) {
	var out []BucketSecret
	if err := c.do(ctx, request{method: http.MethodGet, path: secretsPath(orgID), out: &out}); err != nil {
		return nil, err
	}
	if out == nil {
		out = []BucketSecret{}
	}
	return out, nil
}

// GetBucketSecret returns one secret; a missing one is an error matched by IsNotFound.
func (c *Client) GetBucketSecret(ctx context.Context, orgID, id string) (*BucketSecret, error) {
	var out BucketSecret
	if err := c.do(ctx, request{method: http.MethodGet, path: secretPath(orgID, id), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// createGrace bounds how long a create goes on after its context ends: first for the answer
// of an attempt already sent, then for the look at what it made. The answer carries the new
// secret's ID; without it the secret would be on the server and in no state.
const createGrace = 10 * time.Second

// CreateBucketSecret creates a secret. POST is not idempotent, so when an attempt's outcome
// was lost (a dropped connection, a 5xx, a cancellation while it was in flight) and the call
// then fails, a secret is adopted only if it is provably the one an earlier attempt created:
// the same non-secret fields, created after the first attempt was sent. A secret that
// existed before is never adopted; the failure, such as a conflict, is reported.
//
// A cancelled or timed-out call still waits up to createGrace for an attempt in flight, and
// up to createGrace more for that look, so that a secret made at the last moment is returned
// rather than orphaned.
func (c *Client) CreateBucketSecret(ctx context.Context, orgID string, spec SecretSpec) (*BucketSecret, error) {
	defer c.secretLists.drop(orgID) // lookups by name must see the change, whatever the outcome
	started := time.Now()
	var out BucketSecret
	done, err := c.send(ctx, request{
		method: http.MethodPost, path: secretsPath(orgID), body: spec.createBody(), out: &out, grace: createGrace,
	})
	if err == nil {
		return &out, nil
	}
	if !done.ambiguous {
		return nil, err
	}
	lookCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createGrace)
	defer cancel()
	secrets, listErr := c.ListBucketSecrets(lookCtx, orgID)
	if listErr != nil {
		return nil, err
	}
	// In the server's time, the first attempt started no earlier than this; a secret created
	// before it cannot be ours.
	notBefore := started.Add(done.serverOffset)
	for i := range secrets {
		s := &secrets[i]
		if madeBy(spec, s) && !s.CreatedAt.Before(notBefore) {
			c.logger.Debug(ctx, "Adopted the bucket secret created by an attempt whose answer was lost",
				map[string]any{"id": s.ID, "error": err.Error()})
			return s, nil
		}
	}
	return nil, err
}

// UpdateBucketSecret replaces the secret's fields with spec. The answer's orbits are always
// empty; read the secret again for them.
func (c *Client) UpdateBucketSecret(ctx context.Context, orgID, id string, spec SecretSpec) (*BucketSecret, error) {
	defer c.secretLists.drop(orgID) // lookups by name must see the change, whatever the outcome
	var out BucketSecret
	if err := c.do(ctx, request{method: http.MethodPatch, path: secretPath(orgID, id), body: spec.updateBody(), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteBucketSecret deletes a secret. A secret used by orbits is refused with a conflict.
func (c *Client) DeleteBucketSecret(ctx context.Context, orgID, id string) error {
	defer c.secretLists.drop(orgID) // lookups by name must see the change, whatever the outcome
	return c.do(ctx, request{method: http.MethodDelete, path: secretPath(orgID, id)})
}
