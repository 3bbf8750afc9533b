package lumlfake

import (
	"net/http"
	"strings"
	"time"
)

const (
	msgDuplicateSecret = "Bucket secret with the given bucket name and endpoint already exists."
	msgSecretInUse     = "Cannot delete bucket secret that is currently used by orbits"
)

// canUseSecrets reports whether the role grants the bucket_secret
// permissions; owners and admins have all of them, members none.
func canUseSecrets(r Role) bool {
	return r == RoleOwner || r == RoleAdmin
}

func formatTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

func formatTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

func orbitBase(o *orbitRow) *object {
	return obj("id", o.ID, "name", o.Name, "created_at", formatTime(o.CreatedAt), "updated_at", formatTimePtr(o.UpdatedAt))
}

// secretOut is BucketSecretOut. Create and PATCH answer with no orbits:
// the server builds those responses from a model without the relationship.
func (s *Server) secretOut(row *secretRow, withOrbits bool) *object {
	orbits := []*object{}
	if withOrbits {
		for _, o := range s.secretOrbits(row.ID) {
			orbits = append(orbits, orbitBase(o))
		}
	}
	if row.Type == BucketAzure {
		return obj(
			"id", row.ID,
			"type", string(row.Type),
			"endpoint", row.Endpoint,
			"bucket_name", row.BucketName,
			"organization_id", row.OrganizationID,
			"created_at", formatTime(row.CreatedAt),
			"updated_at", formatTimePtr(row.UpdatedAt),
			"orbits", orbits,
		)
	}
	return obj(
		"id", row.ID,
		"type", string(row.Type),
		"endpoint", row.Endpoint,
		"bucket_name", row.BucketName,
		"secure", row.Secure,
		"region", row.Region,
		"cert_check", row.CertCheck,
		"orbits", orbits,
		"organization_id", row.OrganizationID,
		"created_at", formatTime(row.CreatedAt),
		"updated_at", formatTimePtr(row.UpdatedAt),
	)
}

// orgSecret finds a secret of the organization; a foreign secret is as
// missing as an unknown one.
func (s *Server) orgSecret(orgID, secretID string) *secretRow {
	if row := s.st.secrets[secretID]; row != nil && row.OrganizationID == orgID {
		return row
	}
	return nil
}

// orgRoute answers a bucket-secret route of one organization in the server's order: the
// path and, through parseBody, the body are validated together (one 422 lists both), then
// under the lock the caller's rights are checked before fn runs.
func (s *Server) orgRoute(c *call, parseBody func(*validation), fn func(orgID string) response) response {
	var v validation
	ids := c.pathUUIDs(&v, "organization_id")
	if parseBody != nil {
		parseBody(&v)
	}
	if v.errs != nil {
		return validationError(v.errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !canUseSecrets(s.role(ids[0], c.user.ID)) {
		return forbidden()
	}
	return fn(ids[0])
}

// secretRoute is orgRoute for a route on one stored secret: fn runs on the row lookup finds.
func (s *Server) secretRoute(c *call, corruptOK bool, parseBody func(*validation), fn func(*secretRow) response) response {
	var secretID string
	parse := func(v *validation) {
		secretID = c.pathUUIDs(v, "secret_id")[0]
		if parseBody != nil {
			parseBody(v)
		}
	}
	return s.orgRoute(c, parse, func(orgID string) response {
		row, refusal := s.lookup(orgID, secretID, corruptOK)
		if row == nil {
			return refusal
		}
		return fn(row)
	})
}

func (s *Server) listSecrets(c *call) response {
	return s.orgRoute(c, nil, func(orgID string) response {
		out := []*object{}
		for _, row := range s.orgSecrets(orgID) {
			if !row.readable() {
				return internalError()
			}
			out = append(out, s.secretOut(row, true))
		}
		return jsonResponse(http.StatusOK, out)
	})
}

func (s *Server) createSecret(c *call) response {
	var in createBody
	parse := func(v *validation) { in = v.createBody(c.body) }
	return s.orgRoute(c, parse, func(orgID string) response { return s.insertSecret(orgID, in) })
}

func (s *Server) insertSecret(orgID string, in createBody) response {
	if s.conflicts(orgID, in.Endpoint, in.BucketName, "") {
		return detail(http.StatusConflict, msgDuplicateSecret)
	}
	row := &secretRow{
		StoredSecret: StoredSecret{
			ID:             newID(),
			OrganizationID: orgID,
			Type:           in.Type,
			Endpoint:       in.Endpoint,
			BucketName:     in.BucketName,
			CreatedAt:      s.now(),
		},
		seq: s.st.nextSeq(),
	}
	in.storeIn(&row.StoredSecret)
	s.st.secrets[row.ID] = row
	return jsonResponse(http.StatusOK, s.secretOut(row, false))
}

// lookup finds, under the caller's lock and after the rights check, a stored secret of the
// organization. A corrupt row (an S3 region of NULL) fails with a bare 500 unless the route
// still works on it, as DELETE does. A nil row comes with the response to answer.
func (s *Server) lookup(orgID, secretID string, corruptOK bool) (*secretRow, response) {
	row := s.orgSecret(orgID, secretID)
	switch {
	case row == nil:
		return nil, detail(http.StatusNotFound, msgSecretNotFound)
	case !corruptOK && !row.readable():
		return nil, internalError()
	}
	return row, response{}
}

func (s *Server) getSecret(c *call) response {
	return s.secretRoute(c, false, nil, func(row *secretRow) response {
		return jsonResponse(http.StatusOK, s.secretOut(row, true))
	})
}

// updateSecret is the PATCH. The server passes all fields of the body to the
// repository, so an omitted field is written as NULL just like an explicit
// null: a NULL endpoint or bucket_name violates NOT NULL (reported as the
// duplicate 409), and a NULL S3 region is stored and then fails the
// response validation (500, leaving the row unreadable).
func (s *Server) updateSecret(c *call) response {
	var in updateBody
	parse := func(v *validation) { in = v.updateBody(c.body) }
	return s.secretRoute(c, false, parse, func(row *secretRow) response { return s.patchSecret(row, in) })
}

func (s *Server) patchSecret(row *secretRow, in updateBody) response {
	if row.Type == BucketAzure {
		var refused []string
		for _, f := range s3OnlyFields {
			if in.Present[f] {
				refused = append(refused, "'"+f+"'")
			}
		}
		if refused != nil {
			return detail(http.StatusBadRequest, "Fields ["+strings.Join(refused, ", ")+"] cannot be set for Azure bucket secrets")
		}
	}
	if in.Endpoint == nil || in.BucketName == nil || s.conflicts(row.OrganizationID, *in.Endpoint, *in.BucketName, row.ID) {
		return detail(http.StatusConflict, msgDuplicateSecret)
	}
	next := row.StoredSecret
	next.Endpoint = *in.Endpoint
	next.BucketName = *in.BucketName
	in.storeIn(&next)
	if changed(&row.StoredSecret, &next) {
		now := s.now()
		next.UpdatedAt = &now
	}
	row.StoredSecret = next
	if !row.readable() {
		return internalError()
	}
	return jsonResponse(http.StatusOK, s.secretOut(row, false))
}

// changed reports whether the UPDATE would change the row, which is when
// updated_at moves. A non-empty credential is always a change: the server
// stores it Fernet-encrypted, and every encryption differs.
func changed(old, next *StoredSecret) bool {
	credential := func(a, b *string) bool {
		return !equalPtr(a, b) || (b != nil && *b != "")
	}
	return old.Endpoint != next.Endpoint ||
		old.BucketName != next.BucketName ||
		credential(old.AccessKey, next.AccessKey) ||
		credential(old.SecretKey, next.SecretKey) ||
		credential(old.SessionToken, next.SessionToken) ||
		!equalPtr(old.Region, next.Region) ||
		!equalPtr(old.Secure, next.Secure) ||
		!equalPtr(old.CertCheck, next.CertCheck)
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (s *Server) deleteSecret(c *call) response {
	return s.secretRoute(c, true, nil, func(row *secretRow) response {
		if len(s.secretOrbits(row.ID)) > 0 {
			return detail(http.StatusConflict, msgSecretInUse)
		}
		delete(s.st.secrets, row.ID)
		return noContent()
	})
}

// existingSecretURLs answers /{secret_id}/urls: test URLs for a stored
// secret overlaid with the fields present in the body. Nothing is saved.
func (s *Server) existingSecretURLs(c *call) response {
	var v validation
	ids := c.pathUUIDs(&v, "organization_id", "secret_id")
	in := v.urlsUpdateBody(c.body)
	if v.errs != nil {
		return validationError(v.errs)
	}
	cfg, resp, ok := s.overlaySecret(c.user.ID, ids[0], ids[1], in)
	if !ok {
		return resp
	}
	return s.objectURLs(cfg)
}

func (s *Server) overlaySecret(userID, orgID, secretID string, in urlsUpdateBody) (bucketConfig, response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !canUseSecrets(s.role(orgID, userID)) {
		return bucketConfig{}, forbidden(), false
	}
	if in.ID != secretID {
		return bucketConfig{}, detail(http.StatusBadRequest, "Secret id does not match the path"), false
	}
	row, refusal := s.lookup(orgID, secretID, false)
	switch {
	case row == nil:
		return bucketConfig{}, refusal, false
	case in.Type != row.Type:
		return bucketConfig{}, detail(http.StatusBadRequest, "Bucket type cannot be changed"), false
	}
	cfg := configOf(row.clone())
	overlay := func(key string, dst **string, val *string) {
		if in.Present[key] {
			*dst = val
		}
	}
	overlay("endpoint", &cfg.Endpoint, in.Endpoint)
	overlay("bucket_name", &cfg.BucketName, in.BucketName)
	overlay("access_key", &cfg.AccessKey, in.AccessKey)
	overlay("secret_key", &cfg.SecretKey, in.SecretKey)
	overlay("session_token", &cfg.SessionToken, in.SessionToken)
	overlay("region", &cfg.Region, in.Region)
	if in.Present["secure"] {
		cfg.Secure = in.Secure
	}
	return cfg, response{}, true
}

// testURLs answers /v1/bucket-secrets/urls for a configuration that is not
// saved; any authenticated user may call it.
func (s *Server) testURLs(c *call) response {
	var v validation
	in := v.createBody(c.body)
	if v.errs != nil {
		return validationError(v.errs)
	}
	sec := StoredSecret{Type: in.Type, Endpoint: in.Endpoint, BucketName: in.BucketName}
	in.storeIn(&sec)
	return s.objectURLs(configOf(sec))
}

// multipartUpload answers /v1/bucket-secrets/upload/multipart. Unlike the
// organization routes it looks the secret up (in any organization) before
// checking the caller's rights in the secret's organization.
func (s *Server) multipartUpload(c *call) response {
	var v validation
	in := v.multipartBody(c.body)
	if v.errs != nil {
		return validationError(v.errs)
	}
	cfg, resp, ok := s.multipartSecret(c.user.ID, in.BucketID)
	if !ok {
		return resp
	}
	if emptyS3Location(cfg, in) {
		return detail(http.StatusBadRequest, "Failed to generate URL: ")
	}
	return s.multipartURLs(cfg, in.Location, in.Size, in.UploadID)
}

// emptyS3Location reports an S3 upload to an empty bucket_location that gets as far as
// signing its parts: the server fails there with an exception whose text is empty.
func emptyS3Location(cfg bucketConfig, in multipartBody) bool {
	if cfg.Type != BucketS3 || in.Location != "" || in.UploadID == nil || in.Size <= 0 {
		return false
	}
	_, builds := newS3Signer(cfg)
	return builds
}

func (s *Server) multipartSecret(userID, secretID string) (bucketConfig, response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := s.st.secrets[secretID]
	switch {
	case row == nil:
		return bucketConfig{}, detail(http.StatusNotFound, msgSecretNotFound), false
	case !row.readable():
		return bucketConfig{}, internalError(), false
	case !canUseSecrets(s.role(row.OrganizationID, userID)):
		return bucketConfig{}, forbidden(), false
	}
	return configOf(row.clone()), response{}, true
}
