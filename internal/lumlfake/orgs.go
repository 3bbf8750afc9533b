package lumlfake

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

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
			"permissions", rolePermissions(role),
		))
	}
	return jsonResponse(http.StatusOK, out)
}

func (s *Server) validateAPIKey(*call) response {
	return noContent()
}

// rolePermissions is what a role may do in an organization, as the organization list says it:
// resource -> actions, in the server's order. Bucket secrets are not among them.
func rolePermissions(role Role) *object {
	switch role {
	case RoleOwner:
		return obj(
			"organization", []any{"read", "update", "delete"},
			"organization_user", []any{"list", "read", "create", "update", "delete"},
			"organization_invite", []any{"create", "delete", "list", "read"},
			"billing", []any{"read", "update"},
			"orbit", []any{"create"},
		)
	case RoleAdmin:
		return obj(
			"organization", []any{"read", "update", "leave"},
			"organization_user", []any{"list", "read", "create", "update", "delete"},
			"organization_invite", []any{"create", "delete", "list", "read"},
			"orbit", []any{"create"},
		)
	}
	return obj("organization", []any{"leave"})
}
