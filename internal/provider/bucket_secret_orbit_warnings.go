package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Plan-time warnings about the orbits that use a secret, from the list the refresh just read:
// no request of their own. Read records in the private state the run that read the orbits;
// ModifyPlan trusts them only when that is its own run, and says so when it is not
// (-refresh=false, or the apply of a saved plan).

// orbitsReadKey is the private-state key naming the run whose refresh read the orbits.
const orbitsReadKey = "orbits_read_in"

func (r *bucketSecretResource) recordOrbitsRead(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, orbitsReadKey, []byte(strconv.Quote(r.data.runID)))
}

// orbitsReadInThisRun reports whether the state's orbits come from this run's refresh.
func (r *bucketSecretResource) orbitsReadInThisRun(ctx context.Context, private privateStateReader, orbits types.List) (bool, diag.Diagnostics) {
	if r.data == nil || orbits.IsNull() || orbits.IsUnknown() {
		return false, nil
	}
	value, diags := private.GetKey(ctx, orbitsReadKey)
	return string(value) == strconv.Quote(r.data.runID), diags
}

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

// warnAboutOrbits warns that a plan affects the orbits using a secret. change says what the
// plan does: "destroy", "replacement", or the attributes an update changes.
func (r *bucketSecretResource) warnAboutOrbits(ctx context.Context, private privateStateReader,
	id string, orbits types.List, change string, deletes bool, diags *diag.Diagnostics,
) {
	fresh, readDiags := r.orbitsReadInThisRun(ctx, private, orbits)
	diags.Append(readDiags...)
	if !fresh {
		lastSeen := ""
		if names := orbitNames(orbits); len(names) > 0 {
			lastSeen = " At its last refresh it was used by " + strings.Join(names, ", ") + "."
		}
		consequence := "which orbits this change of " + change + " affects"
		if deletes {
			consequence = "whether LUML will refuse the " + change + ": it refuses to delete a secret that orbits use"
		}
		diags.AddWarning("Orbits of the bucket secret not checked",
			fmt.Sprintf("The orbits using bucket secret %s were not read in this run (a plan with -refresh=false, "+
				"or the apply of a saved plan), so the provider cannot tell %s.%s", id, consequence, lastSeen))
		return
	}
	names := orbitNames(orbits)
	if len(names) == 0 {
		return
	}
	used := fmt.Sprintf("Bucket secret %s is used by %s %s.", id, pluralOrbits(len(names)), strings.Join(names, ", "))
	if deletes {
		diags.AddWarning("Bucket secret in use by orbits", used+" LUML refuses to delete a bucket secret "+
			"while orbits use it, so the "+change+" will fail at apply until those orbits are moved to another "+
			"bucket secret or deleted in LUML.")
		return
	}
	diags.AddWarning("Update of a bucket secret in use by orbits", used+" This update changes "+change+
		": from the apply on, LUML reads and writes those orbits' models with the new settings; models already "+
		"stored through the old ones are not moved.")
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
