package lumlfake

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Role is a user's role in an organization.
type Role string

const (
	RoleOwner  Role = "owner"
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// BucketType is the storage type of a bucket secret.
type BucketType string

const (
	BucketS3    BucketType = "s3"
	BucketAzure BucketType = "azure"
)

// Organization is a seeded organization.
type Organization struct {
	ID   string
	Name string
}

// User is a seeded user and its API key.
type User struct {
	ID     string
	Email  string
	APIKey string
}

// Orbit is an orbit; it keeps its bucket secret "in use".
type Orbit struct {
	ID             string
	Name           string
	OrganizationID string
	BucketSecretID string
	CreatedAt      time.Time
	UpdatedAt      *time.Time
}

// StoredSecret is a bucket_secrets row as the database holds it,
// credentials included. For Azure the endpoint is the connection string.
type StoredSecret struct {
	ID             string
	OrganizationID string
	Type           BucketType
	Endpoint       string
	BucketName     string
	AccessKey      *string
	SecretKey      *string
	SessionToken   *string
	Region         *string
	Secure         *bool
	CertCheck      *bool
	CreatedAt      time.Time
	UpdatedAt      *time.Time
}

type orgRow struct {
	Organization
	createdAt time.Time
	seq       uint64
}

type secretRow struct {
	StoredSecret
	seq uint64
}

type orbitRow struct {
	Orbit
	seq uint64
}

// state is everything the API stores. Every access holds Server.mu.
type state struct {
	seq        uint64
	orgs       map[string]*orgRow
	users      map[string]*User
	usersByKey map[string]*User
	roles      map[string]map[string]Role // organization ID -> user ID -> role
	secrets    map[string]*secretRow
	orbits     map[string]*orbitRow
}

func newState() state {
	return state{
		orgs:       map[string]*orgRow{},
		users:      map[string]*User{},
		usersByKey: map[string]*User{},
		roles:      map[string]map[string]Role{},
		secrets:    map[string]*secretRow{},
		orbits:     map[string]*orbitRow{},
	}
}

func (st *state) nextSeq() uint64 {
	st.seq++
	return st.seq
}

// now is the current time as the database stores it: UTC, microseconds.
func (s *Server) now() time.Time {
	return s.clock().UTC().Truncate(time.Microsecond)
}

// newID returns a lower-case UUIDv7, as the server's uuid.uuid7() default.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// newAPIKey returns "dfs_" + secrets.token_urlsafe(32).
func newAPIKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "dfs_" + base64.RawURLEncoding.EncodeToString(b)
}

// requireOrg panics on an unknown organization: seeding one is a mistake in the test.
func (s *Server) requireOrg(orgID string) {
	if s.st.orgs[orgID] == nil {
		panic(fmt.Sprintf("lumlfake: unknown organization %q", orgID))
	}
}

// clone copies the row so callers never share its pointers.
func (r *secretRow) clone() StoredSecret {
	c := r.StoredSecret
	c.AccessKey = clonePtr(c.AccessKey)
	c.SecretKey = clonePtr(c.SecretKey)
	c.SessionToken = clonePtr(c.SessionToken)
	c.Region = clonePtr(c.Region)
	c.Secure = clonePtr(c.Secure)
	c.CertCheck = clonePtr(c.CertCheck)
	c.UpdatedAt = clonePtr(c.UpdatedAt)
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// readable reports whether the API can still serialize the row. An S3 row
// whose region was nulled by a PATCH fails validation, which the server
// answers with a bare 500.
func (r *secretRow) readable() bool {
	switch r.Type {
	case BucketS3:
		return r.Region != nil
	case BucketAzure:
		return true
	}
	return false
}

func (s *Server) orgSecrets(orgID string) []*secretRow {
	var rows []*secretRow
	for _, r := range s.st.secrets {
		if r.OrganizationID == orgID {
			rows = append(rows, r)
		}
	}
	slices.SortFunc(rows, func(a, b *secretRow) int { return cmpSeq(a.seq, b.seq) })
	return rows
}

// orbitsWhere returns the orbits matching keep, in creation order.
func (s *Server) orbitsWhere(keep func(*orbitRow) bool) []*orbitRow {
	var rows []*orbitRow
	for _, o := range s.st.orbits {
		if keep(o) {
			rows = append(rows, o)
		}
	}
	slices.SortFunc(rows, func(a, b *orbitRow) int { return cmpSeq(a.seq, b.seq) })
	return rows
}

func (s *Server) secretOrbits(secretID string) []*orbitRow {
	return s.orbitsWhere(func(o *orbitRow) bool { return o.BucketSecretID == secretID })
}

func cmpSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// role is the user's role in the organization, "" for non-members and
// unknown organizations alike.
func (s *Server) role(orgID, userID string) Role {
	return s.st.roles[orgID][userID]
}

// conflicts reports whether another secret of the organization has the same
// endpoint and bucket name: the uq_bucket_endpoint constraint.
func (s *Server) conflicts(orgID, endpoint, bucket, exceptID string) bool {
	for _, r := range s.st.secrets {
		if r.OrganizationID == orgID && r.Endpoint == endpoint && r.BucketName == bucket && r.ID != exceptID {
			return true
		}
	}
	return false
}
