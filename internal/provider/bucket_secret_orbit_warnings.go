package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Plan-time warnings about the orbits that use a secret, from the list its last refresh read
// (in this plan, unless -refresh=false): no request of their own, and no record of when that
// refresh ran, which would change the state on every run.

// repointedAttributes names what an update changes of where and how LUML reaches the bucket.
func repointedAttributes(plan, state bucketSecretResourceModel) []string {
	var changed []string
	pairs := []struct {
		name           string
		planned, prior types.String
	}{
		{"endpoint", plan.Endpoint, state.Endpoint},
		{"connection_string", plan.ConnectionString, state.ConnectionString},
		{"bucket_name", plan.BucketName, state.BucketName},
		{"region", plan.Region, state.Region},
		{"access_key", plan.AccessKey, state.AccessKey},
		{"secret_key", plan.SecretKey, state.SecretKey},
		{"session_token", plan.SessionToken, state.SessionToken},
	}
	for _, p := range pairs {
		if !p.planned.Equal(p.prior) {
			changed = append(changed, p.name)
		}
	}
	if !plan.CredentialsWOVersion.Equal(state.CredentialsWOVersion) {
		changed = append(changed, "credentials_wo_version (the write-only credentials)")
	}
	return changed
}

// usedBy says which orbits used a secret at its last refresh, or "" when none did.
func usedBy(id string, orbits []string) string {
	if len(orbits) == 0 {
		return ""
	}
	return fmt.Sprintf("At its last refresh, bucket secret %s was used by %s %s.", id, pluralOrbits(len(orbits)),
		strings.Join(orbits, ", "))
}

// warnAboutDestroy warns that LUML will refuse to delete a secret that orbits use.
func warnAboutDestroy(id string, orbits []string, diags *diag.Diagnostics) {
	if used := usedBy(id, orbits); used != "" {
		diags.AddWarning("Bucket secret in use by orbits", used+" LUML refuses to delete a bucket secret while "+
			"orbits use it, so the destroy will fail at apply until those orbits are moved to another bucket "+
			"secret or deleted in LUML.")
	}
}

// refuseReplacementInUse refuses to replace a secret that orbits use: the replacement would
// fail at apply, when LUML refuses the delete. It is an error because the plan of a
// replacement's new object can only report errors.
func refuseReplacementInUse(replaced replacedSecret, diags *diag.Diagnostics) {
	if used := usedBy(replaced.ID, replaced.Orbits); used != "" {
		diags.AddError("Replacement of a bucket secret in use by orbits", used+" This plan replaces it (-replace, "+
			"or a change of type or organization_id), which deletes it first, and LUML refuses to delete a bucket "+
			"secret while orbits use it: the apply would fail. Move those orbits to another bucket secret or delete "+
			"them in LUML, refresh, and plan again; or change the secret in place instead.")
	}
}

// warnAboutRepointing warns that an update changes how the orbits using a secret reach their
// models. change names the attributes.
func warnAboutRepointing(id string, orbits []string, change string, diags *diag.Diagnostics) {
	if used := usedBy(id, orbits); used != "" {
		diags.AddWarning("Update of a bucket secret in use by orbits", used+" This update changes "+change+
			": from the apply on, LUML reads and writes those orbits' models with the new settings; models already "+
			"stored through the old ones are not moved.")
	}
}

// orbitNames lists orbits as `"name" (id)`.
func orbitNames(orbits types.List) []string {
	if orbits.IsNull() || orbits.IsUnknown() {
		return nil
	}
	var names []string
	for _, element := range orbits.Elements() {
		orbit, ok := element.(types.Object)
		if !ok {
			continue
		}
		attrs := orbit.Attributes()
		name, _ := attrs["name"].(types.String)
		orbitID, _ := attrs["id"].(types.String)
		names = append(names, fmt.Sprintf("%q (%s)", name.ValueString(), orbitID.ValueString()))
	}
	return names
}

func pluralOrbits(n int) string {
	if n == 1 {
		return "the orbit"
	}
	return "the orbits"
}

// replacedSecretKey is the planned private state's note on the secret a plan may replace:
// the plan of a replacement's new object sees no prior state, only the prior plan's private
// state. Create and Update drop it.
const replacedSecretKey = "replaces"

type replacedSecret struct {
	ID     string   `json:"id"`
	Type   string   `json:"type"`
	Orbits []string `json:"orbits,omitempty"`
}

func noteReplacedSecret(ctx context.Context, private privateStateWriter, id, bucketType string, orbits types.List) diag.Diagnostics {
	value, _ := json.Marshal(replacedSecret{ID: id, Type: bucketType, Orbits: orbitNames(orbits)})
	return private.SetKey(ctx, replacedSecretKey, value)
}

// readReplacedSecret returns the secret this plan of a new object replaces, if any.
func readReplacedSecret(ctx context.Context, private privateStateReader) (*replacedSecret, diag.Diagnostics) {
	value, diags := private.GetKey(ctx, replacedSecretKey)
	if len(value) == 0 || diags.HasError() {
		return nil, diags
	}
	var replaced replacedSecret
	if err := json.Unmarshal(value, &replaced); err != nil {
		return nil, diags
	}
	return &replaced, diags
}
