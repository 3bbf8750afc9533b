package lumlfake

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

// orgPermissions is OrganizationSwitcher.permissions for a role, keys in
// the server's order.
func orgPermissions(r Role) *object {
	users := []string{"list", "read", "create", "update", "delete"}
	invites := []string{"create", "delete", "list", "read"}
	switch r {
	case RoleOwner:
		return obj(
			"organization", []string{"read", "update", "delete"},
			"organization_user", users,
			"organization_invite", invites,
			"billing", []string{"read", "update"},
			"orbit", []string{"create"},
		)
	case RoleAdmin:
		return obj(
			"organization", []string{"read", "update", "leave"},
			"organization_user", users,
			"organization_invite", invites,
			"orbit", []string{"create"},
		)
	case RoleMember:
		return obj("organization", []string{"leave"})
	}
	return nil
}

// orbitPermissions is Orbit.permissions: from the organization role for
// owners and admins, else from the role in the orbit.
func orbitPermissions(orgRole Role, orbitRole string) *object {
	crud := []string{"list", "read", "create", "update", "delete"}
	if orgRole == RoleOwner || orgRole == RoleAdmin {
		orbit := []string{"create", "update", "delete", "list", "read"}
		if orgRole == RoleAdmin {
			orbit = []string{"create", "update", "list", "read"}
		}
		return obj(
			"orbit", orbit,
			"orbit_user", []string{"list", "create", "update", "delete", "read"},
			"artifact", append(slices.Clone(crud), "deploy"),
			"collection", append(slices.Clone(crud), "deploy"),
			"satellite", []string{"create", "list", "read", "update", "delete"},
			"orbit_secret", crud,
			"deployment", crud,
		)
	}
	switch orbitRole {
	case "admin":
		return obj(
			"orbit", []string{"create", "update", "delete", "list", "read"},
			"orbit_user", []string{"list", "create", "update", "delete", "read"},
			"artifact", append(slices.Clone(crud), "deploy"),
			"collection", crud,
			"satellite", []string{"create", "list", "read", "update", "delete"},
			"orbit_secret", crud,
			"deployment", crud,
		)
	case "member":
		return obj(
			"orbit", []string{"list", "read"},
			"artifact", []string{"list", "read", "create", "update"},
			"collection", []string{"list", "read", "create", "update"},
			"satellite", []string{"create", "list", "read"},
			"orbit_secret", []string{"list", "create"},
			"deployment", []string{"list", "read", "create", "update"},
		)
	}
	return obj()
}

func (s *Server) listMyOrganizations(c *call) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	var orgs []*orgRow
	for id, members := range s.st.roles {
		if _, ok := members[c.user.ID]; ok {
			orgs = append(orgs, s.st.orgs[id])
		}
	}
	slices.SortFunc(orgs, func(a, b *orgRow) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), cmpSeq(a.seq, b.seq))
	})
	out := []*object{}
	for _, o := range orgs {
		role := s.role(o.ID, c.user.ID)
		out = append(out, obj(
			"id", o.ID,
			"name", o.Name,
			"logo", nil,
			"created_at", formatTime(o.createdAt),
			"updated_at", nil,
			"role", string(role),
			"permissions", orgPermissions(role),
		))
	}
	return jsonResponse(http.StatusOK, out)
}

func (s *Server) validateAPIKey(*call) response {
	return noContent()
}

func orbitOut(o *orbitRow, role any, permissions *object) *object {
	return obj(
		"id", o.ID,
		"name", o.Name,
		"organization_id", o.OrganizationID,
		"bucket_secret_id", o.BucketSecretID,
		"total_members", len(o.members),
		"total_collections", 0,
		"total_satellites", 0,
		"total_artifacts", 0,
		"role", role,
		"created_at", formatTime(o.CreatedAt),
		"updated_at", formatTimePtr(o.UpdatedAt),
		"permissions", permissions,
	)
}

func (o *orbitRow) memberRole(userID string) string {
	for _, m := range o.members {
		if m.userID == userID {
			return m.role
		}
	}
	return ""
}

// listOrbits shows owners and admins every orbit of the organization and
// members the orbits they belong to.
func (s *Server) listOrbits(c *call) response {
	var v validation
	ids := c.pathUUIDs(&v, "organization_id")
	if v.errs != nil {
		return validationError(v.errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	role := s.role(ids[0], c.user.ID)
	if role == "" {
		return forbidden()
	}
	orbits := s.orbitsWhere(func(o *orbitRow) bool {
		return o.OrganizationID == ids[0] && (canUseSecrets(role) || o.memberRole(c.user.ID) != "")
	})
	out := []*object{}
	for _, o := range orbits {
		if canUseSecrets(role) {
			out = append(out, orbitOut(o, nil, orbitPermissions(role, "")))
		} else {
			orbitRole := o.memberRole(c.user.ID)
			out = append(out, orbitOut(o, orbitRole, orbitPermissions(role, orbitRole)))
		}
	}
	return jsonResponse(http.StatusOK, out)
}

// createOrbit follows create_organization_orbit: permission, orbit limit,
// bucket secret of the organization, member checks; the creator joins as
// orbit admin.
func (s *Server) createOrbit(c *call) response {
	var v validation
	ids := c.pathUUIDs(&v, "organization_id")
	in := v.orbitCreateBody(c.body)
	if v.errs != nil {
		return validationError(v.errs)
	}
	orgID := ids[0]
	s.mu.Lock()
	defer s.mu.Unlock()
	role := s.role(orgID, c.user.ID)
	if !canUseSecrets(role) {
		return forbidden()
	}
	total := len(s.orbitsWhere(func(o *orbitRow) bool { return o.OrganizationID == orgID }))
	if total >= s.st.orgs[orgID].orbitsLimit {
		return detail(http.StatusConflict, "Organization reached maximum number of orbits")
	}
	switch sec := s.orgSecret(orgID, in.SecretID); {
	case sec == nil:
		return detail(http.StatusNotFound, "Bucket secret not found")
	case !sec.readable():
		return internalError()
	}
	if resp, ok := s.checkOrbitMembers(orgID, c.user.ID, in.Members); !ok {
		return resp
	}
	members := make([]orbitMember, 0, len(in.Members)+1)
	for _, m := range in.Members {
		members = append(members, orbitMember{userID: m.UserID, role: m.Role})
	}
	members = append(members, orbitMember{userID: c.user.ID, role: "admin"})
	o := s.insertOrbit(orgID, in.SecretID, in.Name, members)

	out := orbitOut(o, nil, orbitPermissions(role, ""))
	memberOut := []*object{}
	for _, m := range o.members {
		u := s.st.users[m.userID]
		memberOut = append(memberOut, obj(
			"id", m.id,
			"orbit_id", o.ID,
			"role", m.role,
			"user", obj("id", u.ID, "email", u.Email, "full_name", nil, "disabled", false, "photo", nil, "has_api_key", true),
			"created_at", formatTime(m.createdAt),
			"updated_at", nil,
		))
	}
	out.set("members", memberOut)
	out.set("collections_tags", nil)
	return jsonResponse(http.StatusOK, out)
}

func (s *Server) checkOrbitMembers(orgID, userID string, members []orbitMemberIn) (response, bool) {
	seen := map[string]bool{}
	for _, m := range members {
		if seen[m.UserID] {
			return detail(http.StatusBadRequest, "Orbit members should contain only unique values."), false
		}
		seen[m.UserID] = true
	}
	if seen[userID] {
		return detail(http.StatusBadRequest, "You can not add yourself to orbit."), false
	}
	var strangers []string
	for id := range seen {
		if s.role(orgID, id) == "" {
			strangers = append(strangers, "UUID('"+id+"')")
		}
	}
	if strangers != nil {
		slices.Sort(strangers)
		return detail(http.StatusBadRequest, "Users {"+strings.Join(strangers, ", ")+"} are not in the organization."), false
	}
	return response{}, true
}
