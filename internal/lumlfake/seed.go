package lumlfake

import "fmt"

// Seeding and inspection: tests and cmd/lumlfake read and change the data directly, as a
// database client would, bypassing the API and its checks.

// AddOrganization creates an organization.
func (s *Server) AddOrganization(name string) Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &orgRow{
		Organization: Organization{ID: newID(), Name: name},
		createdAt:    s.now(),
		seq:          s.st.nextSeq(),
	}
	s.st.orgs[o.ID] = o
	return o.Organization
}

// AddUser creates a user with a fresh API key.
func (s *Server) AddUser(email string) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &User{ID: newID(), Email: email, APIKey: newAPIKey()}
	s.st.users[u.ID] = u
	s.st.usersByKey[u.APIKey] = u
	return *u
}

// AddMembership gives a user a role in an organization, replacing any
// previous role. It panics on unknown IDs: that is a mistake in the test.
func (s *Server) AddMembership(userID, orgID string, role Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requireOrg(orgID)
	if s.st.users[userID] == nil {
		panic(fmt.Sprintf("lumlfake: unknown user %q", userID))
	}
	if s.st.roles[orgID] == nil {
		s.st.roles[orgID] = map[string]Role{}
	}
	s.st.roles[orgID][userID] = role
}

// AddOwnedOrganization creates an organization and a user who owns it: the usual seed.
func (s *Server) AddOwnedOrganization(name, ownerEmail string) (Organization, User) {
	org := s.AddOrganization(name)
	owner := s.AddUser(ownerEmail)
	s.AddMembership(owner.ID, org.ID, RoleOwner)
	return org, owner
}

// AddOrbit creates an orbit using a secret of the organization. The emulator has no orbit
// routes: orbits matter to it only as what keeps a secret in use. It panics on unknown IDs.
func (s *Server) AddOrbit(orgID, secretID, name string) Orbit {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requireOrg(orgID)
	if sec := s.st.secrets[secretID]; sec == nil || sec.OrganizationID != orgID {
		panic(fmt.Sprintf("lumlfake: no secret %q in organization %q", secretID, orgID))
	}
	o := &orbitRow{
		Orbit: Orbit{ID: newID(), Name: name, OrganizationID: orgID, BucketSecretID: secretID, CreatedAt: s.now()},
		seq:   s.st.nextSeq(),
	}
	s.st.orbits[o.ID] = o
	return o.Orbit
}

// Orbits returns an organization's orbits in creation order.
func (s *Server) Orbits(orgID string) []Orbit {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.orbitsWhere(func(o *orbitRow) bool { return o.OrganizationID == orgID })
	out := make([]Orbit, len(rows))
	for i, o := range rows {
		out[i] = o.Orbit
		out[i].UpdatedAt = clonePtr(o.UpdatedAt)
	}
	return out
}

// RemoveOrbit deletes an orbit, if it exists.
func (s *Server) RemoveOrbit(orbitID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.st.orbits, orbitID)
}

// Secret returns a copy of a stored secret, credentials included.
func (s *Server) Secret(id string) (StoredSecret, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := s.st.secrets[id]
	if row == nil {
		return StoredSecret{}, false
	}
	return row.clone(), true
}

// Secrets returns copies of an organization's secrets in creation order.
func (s *Server) Secrets(orgID string) []StoredSecret {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StoredSecret
	for _, row := range s.orgSecrets(orgID) {
		out = append(out, row.clone())
	}
	return out
}

// ModifySecret changes a secret behind the API's back. updated_at is set to
// now before fn runs, so fn may override it. It reports whether the secret
// exists.
func (s *Server) ModifySecret(id string, fn func(*StoredSecret)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := s.st.secrets[id]
	if row == nil {
		return false
	}
	sec := row.clone()
	now := s.now()
	sec.UpdatedAt = &now
	fn(&sec)
	sec.ID = id
	row.StoredSecret = sec
	return true
}

// DeleteSecret deletes a secret behind the API's back. As a direct database
// delete would, it cascades to the orbits using it.
func (s *Server) DeleteSecret(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.secrets[id] == nil {
		return false
	}
	delete(s.st.secrets, id)
	for oid, o := range s.st.orbits {
		if o.BucketSecretID == id {
			delete(s.st.orbits, oid)
		}
	}
	return true
}

// InsertSecret stores a secret behind the API's back, without validation,
// normalization or the uniqueness check. Empty ID, Type and CreatedAt get a
// new UUIDv7, "s3" and now. It panics on an unknown organization.
func (s *Server) InsertSecret(orgID string, sec StoredSecret) StoredSecret {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requireOrg(orgID)
	sec = (&secretRow{StoredSecret: sec}).clone()
	sec.OrganizationID = orgID
	if sec.ID == "" {
		sec.ID = newID()
	}
	if sec.Type == "" {
		sec.Type = BucketS3
	}
	if sec.CreatedAt.IsZero() {
		sec.CreatedAt = s.now()
	}
	s.st.secrets[sec.ID] = &secretRow{StoredSecret: sec, seq: s.st.nextSeq()}
	return sec
}
