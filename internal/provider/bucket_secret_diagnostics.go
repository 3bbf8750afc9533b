package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/luml-ai/terraform-provider-luml/internal/luml"
)

// inUseDetail names the orbits that keep a secret from being deleted.
func (r *bucketSecretResource) inUseDetail(ctx context.Context, orgID, id string) string {
	what := "one or more orbits"
	if secret, err := r.data.client.GetBucketSecret(ctx, orgID, id); err == nil && len(secret.Orbits) > 0 {
		names := make([]string, len(secret.Orbits))
		for i, o := range secret.Orbits {
			names[i] = fmt.Sprintf("%q (%s)", o.Name, o.ID)
		}
		what = "the orbit"
		if len(names) > 1 {
			what += "s"
		}
		what += " " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("Bucket secret %s is used by %s, so LUML refuses to delete it; it stays in the state. "+
		"Point those orbits at another bucket secret or delete them in LUML, then run the destroy again.", id, what)
}

// describeSecrets lists secrets by ID and endpoint for an error message. An Azure endpoint
// is a connection string with the account key in it: only its type is shown.
func describeSecrets(secrets []luml.BucketSecret) string {
	parts := make([]string, len(secrets))
	for i, s := range secrets {
		where := "endpoint " + s.Endpoint
		if s.Type == luml.BucketTypeAzure {
			where = "Azure"
		}
		parts[i] = fmt.Sprintf("%s (%s)", s.ID, where)
	}
	return strings.Join(parts, ", ")
}

func (r *bucketSecretResource) addCreateError(ctx context.Context, diags *diag.Diagnostics, orgID string, spec luml.SecretSpec, err error) {
	if !luml.IsConflict(err) {
		diags.AddError("Unable to create bucket secret", r.errorDetail(ctx, orgID, err))
		return
	}
	detail := "A bucket secret with this endpoint and bucket name already exists in organization " + orgID +
		" (the endpoint is compared without http:// or https://)."
	if secrets, listErr := r.data.client.ListBucketSecrets(ctx, orgID); listErr == nil {
		for _, s := range secrets {
			if specConflictsWith(spec, &s) {
				detail += fmt.Sprintf(" Its ID is %s: to manage it here, import it (terraform import <address> %s, "+
					"or an import block), or change bucket_name or endpoint.", s.ID, s.ID)
				break
			}
		}
	}
	diags.AddError("Bucket secret already exists", detail)
}

func specConflictsWith(spec luml.SecretSpec, s *luml.BucketSecret) bool {
	switch sp := spec.(type) {
	case luml.S3Spec:
		return s.Endpoint == luml.NormalizeEndpoint(sp.Endpoint) && s.BucketName == sp.BucketName
	case luml.AzureSpec:
		return s.Endpoint == sp.ConnectionString && s.BucketName == sp.ContainerName
	}
	return false
}

func (r *bucketSecretResource) updateErrorDetail(ctx context.Context, orgID, id string, err error) string {
	if luml.IsNotFound(err) {
		return fmt.Sprintf("Bucket secret %s no longer exists. Run terraform plan again: it will propose to create it.", id)
	}
	if luml.IsConflict(err) {
		return "Another bucket secret of the organization already has this endpoint and bucket name (the endpoint is " +
			"compared without http:// or https://). Choose another bucket_name or endpoint. Server said: " + err.Error()
	}
	return r.errorDetail(ctx, orgID, err)
}

// errorDetail explains a failed call on a secret of organization orgID: for a 403 it says
// why LUML refused and what the API key's user needs; otherwise it is the error's own text.
func (r *bucketSecretResource) errorDetail(ctx context.Context, orgID string, err error) string {
	if !luml.IsForbidden(err) {
		return err.Error()
	}
	answer := "403 Forbidden"
	var apiErr *luml.Error
	if errors.As(err, &apiErr) && apiErr.Detail != "" && apiErr.Detail != "Forbidden" {
		answer += " (" + strings.TrimSuffix(apiErr.Detail, ".") + ")"
	}
	need := "Only owners and admins of an organization may read or change its bucket secrets"
	// LUML answers the same to a plain member, to a stranger and about a deleted organization:
	// the key's own organizations tell which it is.
	orgs, listErr := r.data.client.ListOrganizations(ctx)
	if listErr != nil {
		return fmt.Sprintf("LUML answered %s. %s: the API key's user must be an owner or admin of "+
			"organization %s, and the organization must still exist.", answer, need, orgID)
	}
	for _, org := range orgs {
		if !strings.EqualFold(org.ID, orgID) {
			continue
		}
		if org.Role.CanManageBucketSecrets() {
			return fmt.Sprintf("LUML answered %s although the API key's user is an %s of organization "+
				"%s; the role may have changed meanwhile. Run the command again.", answer, org.Role, org)
		}
		return fmt.Sprintf("LUML answered %s: the API key's user is a %s of organization %s. %s: ask "+
			"an owner to make the user an admin, or use the API key of an owner or admin.", answer, org.Role, org, need)
	}
	return fmt.Sprintf("LUML answered %s: the API key's user is not a member of organization %s, "+
		"or the organization no longer exists. %s: ask an owner to add the user as an admin, or use the API key "+
		"of an owner or admin. If the organization was deleted, its bucket secrets went with it: remove this "+
		"resource from the state (terraform state rm).", answer, orgID, need)
}
