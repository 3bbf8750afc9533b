package provider

import (
	"context"
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
		diags.AddError("Unable to create bucket secret", err.Error())
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

func updateErrorDetail(id string, err error) string {
	if luml.IsNotFound(err) {
		return fmt.Sprintf("Bucket secret %s no longer exists. Run terraform plan again: it will propose to create it.", id)
	}
	if luml.IsConflict(err) {
		return "Another bucket secret of the organization already has this endpoint and bucket name (the endpoint is " +
			"compared without http:// or https://). Choose another bucket_name or endpoint. Server said: " + err.Error()
	}
	return err.Error()
}
