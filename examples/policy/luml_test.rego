# Unit tests of luml.rego: `opa test examples/policy`.
package luml.plan_test

import data.luml.plan

# A bucket secret as the plan shows it after the apply: write-only credentials (null in the
# plan), credentials_wo_version set, verify_connection on.
write_only := {
	"type": "s3",
	"endpoint": "s3.eu-central-1.amazonaws.com",
	"bucket_name": "acme-models",
	"region": "eu-central-1",
	"access_key": null,
	"secret_key": null,
	"session_token": null,
	"access_key_wo": null,
	"secret_key_wo": null,
	"session_token_wo": null,
	"connection_string": null,
	"connection_string_wo": null,
	"credentials_wo_version": 1,
	"verify_connection": true,
}

secret_change(address, actions, before, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": "luml_bucket_secret",
	"change": {"actions": actions, "before": before, "after": after, "after_unknown": after_unknown},
}

create(address, after) := secret_change(address, ["create"], null, after, {"id": true, "orbits": true})

plan_of(changes) := {"resource_changes": changes}

# A plan whose prior state holds luml_bucket_secret.models, used by the named orbits.
plan_with_orbits(changes, names) := {
	"resource_changes": changes,
	"prior_state": {"values": {"root_module": {"resources": [{
		"address": "luml_bucket_secret.models",
		"mode": "managed",
		"type": "luml_bucket_secret",
		"name": "models",
		"values": object.union(write_only, {"orbits": [{"id": sprintf("orbit-%s", [n]), "name": n} | some n in names]}),
	}]}}},
}

test_write_only_secret_passes if {
	count(plan.deny) == 0 with input as plan_of([create("luml_bucket_secret.models", write_only)])
}

test_stored_credentials_denied if {
	after := object.union(write_only, {"access_key": "AKIA", "secret_key": "secret", "credentials_wo_version": null})
	plan.deny == {"luml_bucket_secret.legacy: access_key, secret_key would be stored in the plan and the state; use access_key_wo, secret_key_wo with credentials_wo_version instead"} with input as plan_of([create("luml_bucket_secret.legacy", after)])
}

# A credential from a resource created in the same apply is unknown at plan time: still stored.
test_unknown_stored_credential_denied if {
	after := object.remove(write_only, ["session_token"])
	change := secret_change("luml_bucket_secret.sts", ["create"], null, after, {"session_token": true})
	plan.deny == {"luml_bucket_secret.sts: session_token would be stored in the plan and the state; use session_token_wo with credentials_wo_version instead"} with input as plan_of([change])
}

test_azure_connection_string_denied if {
	after := object.union(write_only, {"type": "azure", "endpoint": null, "region": null, "connection_string": "DefaultEndpointsProtocol=https"})
	plan.deny == {"luml_bucket_secret.azure: connection_string would be stored in the plan and the state; use connection_string_wo with credentials_wo_version instead"} with input as plan_of([create("luml_bucket_secret.azure", after)])
}

test_missing_credentials_wo_version_denied if {
	after := object.union(write_only, {"credentials_wo_version": null})
	plan.deny == {"luml_bucket_secret.models: credentials_wo_version is not set: give the credentials write-only (access_key_wo and secret_key_wo, or connection_string_wo) with credentials_wo_version, so that a rotation is a visible change"} with input as plan_of([create("luml_bucket_secret.models", after)])
}

test_credentials_wo_version_known_at_apply_passes if {
	after := object.remove(write_only, ["credentials_wo_version"])
	change := secret_change("luml_bucket_secret.models", ["create"], null, after, {"credentials_wo_version": true})
	count(plan.deny) == 0 with input as plan_of([change])
}

test_verify_connection_off_denied if {
	after := object.union(write_only, {"verify_connection": false})
	plan.deny == {"luml_bucket_secret.models: verify_connection must be true, so that wrong credentials or a wrong bucket fail the apply instead of the orbits' uploads"} with input as plan_of([create("luml_bucket_secret.models", after)])
}

test_verify_connection_known_at_apply_denied if {
	after := object.remove(write_only, ["verify_connection"])
	change := secret_change("luml_bucket_secret.models", ["create"], null, after, {"verify_connection": true})
	count(plan.deny) == 1 with input as plan_of([change])
}

# A secret left as it is is held to the same rules as a new one.
test_unchanged_secret_checked if {
	after := object.union(write_only, {"verify_connection": false})
	change := secret_change("luml_bucket_secret.models", ["no-op"], after, after, {})
	count(plan.deny) == 1 with input as plan_of([change])
}

test_destroy_with_orbits_denied if {
	change := secret_change("luml_bucket_secret.models", ["delete"], write_only, null, {})
	plan.deny == {"luml_bucket_secret.models would be destroyed, but 2 orbits use it (churn, fraud-detection): LUML refuses to delete a bucket secret in use; move the orbits to another bucket secret first"} with input as plan_with_orbits([change], ["fraud-detection", "churn"])
}

test_replace_with_orbits_denied if {
	every actions in [["delete", "create"], ["create", "delete"]] {
		change := secret_change("luml_bucket_secret.models", actions, write_only, write_only, {"id": true})
		plan.deny == {"luml_bucket_secret.models would be replaced, but 1 orbit uses it (fraud-detection): LUML refuses to delete a bucket secret in use; move the orbits to another bucket secret first"} with input as plan_with_orbits([change], ["fraud-detection"])
	}
}

test_destroy_without_orbits_passes if {
	change := secret_change("luml_bucket_secret.models", ["delete"], write_only, null, {})
	count(plan.deny) == 0 with input as plan_with_orbits([change], [])
}

test_update_with_orbits_passes if {
	after := object.union(write_only, {"credentials_wo_version": 2})
	change := secret_change("luml_bucket_secret.models", ["update"], write_only, after, {})
	count(plan.deny) == 0 with input as plan_with_orbits([change], ["fraud-detection"])
}

# A secret whose stored credentials are being destroyed is not asked to change them.
test_destroy_of_stored_credentials_passes if {
	before := object.union(write_only, {"access_key": "AKIA", "secret_key": "secret", "verify_connection": false})
	change := secret_change("luml_bucket_secret.legacy", ["delete"], before, null, {})
	count(plan.deny) == 0 with input as plan_of([change])
}

test_secret_in_child_module_with_orbits_denied if {
	address := "module.storage.luml_bucket_secret.models[\"eu\"]"
	change := secret_change(address, ["delete"], write_only, null, {})
	plan_json := {
		"resource_changes": [change],
		"prior_state": {"values": {"root_module": {"child_modules": [{
			"address": "module.storage",
			"resources": [{
				"address": address,
				"mode": "managed",
				"type": "luml_bucket_secret",
				"values": object.union(write_only, {"orbits": [{"id": "o1", "name": "churn"}]}),
			}],
		}]}}},
	}
	plan.deny == {"module.storage.luml_bucket_secret.models[\"eu\"] would be destroyed, but 1 orbit uses it (churn): LUML refuses to delete a bucket secret in use; move the orbits to another bucket secret first"} with input as plan_json
}

test_data_sources_and_other_resources_ignored if {
	data_source := object.union(
		secret_change("data.luml_bucket_secret.models", ["read"], null, {"verify_connection": null}, {}),
		{"mode": "data"},
	)
	other := object.union(
		secret_change("terraform_data.x", ["create"], null, {"input": null}, {}),
		{"type": "terraform_data"},
	)
	count(plan.deny) == 0 with input as plan_of([data_source, other])
}

test_each_message_names_its_resource if {
	bad := object.union(write_only, {"access_key": "AKIA", "verify_connection": false})
	denied := plan.deny with input as plan_of([
		create("luml_bucket_secret.a", bad),
		create("luml_bucket_secret.b", write_only),
	])
	count(denied) == 2
	every msg in denied {
		startswith(msg, "luml_bucket_secret.a: ")
	}
}
