package luml

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Role is a member's role in an organization.
type Role string

const (
	RoleOwner  Role = "owner"
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// CanManageBucketSecrets reports whether the role may list, read and change bucket secrets.
// Plain members may not even list them.
func (r Role) CanManageBucketSecrets() bool { return r == RoleOwner || r == RoleAdmin }

// Organization is an organization the API key's user belongs to.
type Organization struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
}

func (o Organization) String() string { return fmt.Sprintf("%q (%s)", o.Name, o.ID) }

// ListOrganizations returns the organizations of the key's user, sorted by name. The list is
// fetched once per Client: it does not change during a Terraform run.
func (c *Client) ListOrganizations(ctx context.Context) ([]Organization, error) {
	c.orgMu.Lock()
	defer c.orgMu.Unlock()
	if c.orgList != nil {
		return slices.Clone(c.orgList), nil
	}
	var orgs []Organization
	if err := c.do(ctx, request{method: http.MethodGet, path: "/v1/users/me/organizations", out: &orgs}); err != nil {
		return nil, err
	}
	if orgs == nil {
		orgs = []Organization{}
	}
	c.orgList = orgs
	return slices.Clone(orgs), nil
}

// OrganizationError explains why an organization could not be chosen.
type OrganizationError struct {
	Value     string         // what was asked for; empty when nothing was
	Matches   []Organization // several organizations of that name
	Available []Organization
}

func (e *OrganizationError) Error() string {
	switch {
	case len(e.Matches) > 1:
		return fmt.Sprintf("%d organizations are named %q: %s. Set organization to the ID of the one to use",
			len(e.Matches), e.Value, listOrganizations(e.Matches))
	case len(e.Available) == 0:
		return "the API key's user belongs to no organization"
	case e.Value == "":
		return fmt.Sprintf("the API key's user belongs to %d organizations: %s. Set organization to the name or ID of the one to use",
			len(e.Available), listOrganizations(e.Available))
	default:
		return fmt.Sprintf("no organization %q among the API key's organizations: %s",
			e.Value, listOrganizations(e.Available))
	}
}

func listOrganizations(orgs []Organization) string {
	parts := make([]string, len(orgs))
	for i, o := range orgs {
		parts[i] = o.String()
	}
	return strings.Join(parts, ", ")
}

// ResolveOrganization picks an organization by ID (any letter case) or exact name. With an
// empty value it picks the key's only organization.
func (c *Client) ResolveOrganization(ctx context.Context, value string) (Organization, error) {
	orgs, err := c.ListOrganizations(ctx)
	if err != nil {
		return Organization{}, err
	}
	return resolveOrganization(orgs, value)
}

func resolveOrganization(orgs []Organization, value string) (Organization, error) {
	if value == "" {
		if len(orgs) == 1 {
			return orgs[0], nil
		}
		return Organization{}, &OrganizationError{Available: orgs}
	}
	if id, err := uuid.Parse(value); err == nil {
		for _, o := range orgs {
			if strings.EqualFold(o.ID, id.String()) {
				return o, nil
			}
		}
		return Organization{}, &OrganizationError{Value: value, Available: orgs}
	}
	var matches []Organization
	for _, o := range orgs {
		if o.Name == value {
			matches = append(matches, o)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return Organization{}, &OrganizationError{Value: value, Available: orgs}
	default:
		return Organization{}, &OrganizationError{Value: value, Matches: matches, Available: orgs}
	}
}
