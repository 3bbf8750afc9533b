# Rules for reviewing a Terraform or OpenTofu plan that manages LUML bucket secrets.
#
# Input: the JSON plan, `terraform show -json PLANFILE` (or `tofu show -json PLANFILE`).
# Decision: `deny`, a set of messages, each naming the resource address and what to change.
# An empty set means the plan passes.
package luml.plan

# Credential attributes that the plan and the state store, each with its write-only twin.
stored_credentials := {
	"access_key": "access_key_wo",
	"secret_key": "secret_key_wo",
	"session_token": "session_token_wo",
	"connection_string": "connection_string_wo",
}

secret_changes contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
	rc.type == "luml_bucket_secret"
}

# Bucket secrets that exist after the apply: created, updated, replaced or left as they are.
kept_secrets contains rc if {
	some rc in secret_changes
	rc.change.after != null
}

# An attribute has a value when the plan holds one, or when its value is known only at apply.
has_value(change, attr) if change.after[attr] != null

has_value(change, attr) if change.after_unknown[attr] == true

deny contains msg if {
	some rc in kept_secrets
	attrs := sort({attr | some attr, _ in stored_credentials; has_value(rc.change, attr)})
	count(attrs) > 0
	twins := [stored_credentials[attr] | some attr in attrs]
	msg := sprintf(
		"%s: %s would be stored in the plan and the state; use %s with credentials_wo_version instead",
		[rc.address, concat(", ", attrs), concat(", ", twins)],
	)
}

deny contains msg if {
	some rc in kept_secrets
	not any_stored_credential(rc.change)
	not has_value(rc.change, "credentials_wo_version")
	msg := sprintf(
		"%s: credentials_wo_version is not set: give the credentials write-only (access_key_wo and secret_key_wo, or connection_string_wo) with credentials_wo_version, so that a rotation is a visible change",
		[rc.address],
	)
}

any_stored_credential(change) if {
	some attr, _ in stored_credentials
	has_value(change, attr)
}

deny contains msg if {
	some rc in kept_secrets
	not rc.change.after.verify_connection == true
	msg := sprintf(
		"%s: verify_connection must be true, so that wrong credentials or a wrong bucket fail the apply instead of the orbits' uploads",
		[rc.address],
	)
}

# LUML refuses to delete a secret that orbits use, so such a plan fails half-way through its apply.
deny contains msg if {
	some rc in secret_changes
	"delete" in rc.change.actions
	orbits := prior_orbits[rc.address]
	count(orbits) > 0
	msg := sprintf(
		"%s would be %s, but %s (%s): LUML refuses to delete a bucket secret in use; move the orbits to another bucket secret first",
		[rc.address, destruction(rc.change.actions), orbit_count(orbits), concat(", ", sort([o.name | some o in orbits]))],
	)
}

destruction(actions) := "replaced" if "create" in actions

destruction(actions) := "destroyed" if not "create" in actions

orbit_count(orbits) := "1 orbit uses it" if count(orbits) == 1

orbit_count(orbits) := sprintf("%d orbits use it", [count(orbits)]) if count(orbits) > 1

# The orbits of each bucket secret in the state the plan was made from, by resource address,
# in the root module and in child modules. A plan refreshes the state first, so these are the
# orbits LUML knew of at plan time (unless the plan was made with -refresh=false).
prior_orbits[resource.address] := resource.values.orbits if {
	some path, resource
	walk(input.prior_state.values, [path, resource])
	resource.mode == "managed"
	resource.type == "luml_bucket_secret"
}
