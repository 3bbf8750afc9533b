#!/usr/bin/env bash
# Prints the provider's schema as `providers schema -json` shows it, for
# tfplugindocs (--providers-schema). Called by `make generate` and
# `make docs-check`, which build what it needs first.
#
# The CLI must be recent: Terraform before 1.12 leaves the resource identity
# schemas out of this output (tfplugindocs then refuses the import-by-identity
# example), and only Terraform 1.14 and later include the list resource and the
# action. The Makefile passes TF_LATEST, or OpenTofu when it is unset. The schema
# is keyed under registry.terraform.io/hashicorp/luml, the address tfplugindocs
# looks for.
#
# Environment:
#   TF            terraform or tofu binary (required)
#   PROVIDER_DIR  directory holding terraform-provider-luml (default: .bin)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tf=${TF:?set TF to a terraform (1.14 or later) or tofu binary}
provider_dir=${PROVIDER_DIR:-$root/.bin}

[ -x "$provider_dir/terraform-provider-luml" ] || {
	echo "providers-schema: no provider binary in $provider_dir (run 'make build')" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/luml-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/hashicorp/luml" = "$provider_dir"
  }
  direct {}
}
EOF
cat >"$work/main.tf" <<'EOF'
terraform {
  required_providers {
    luml = {
      source = "registry.terraform.io/hashicorp/luml"
    }
  }
}
EOF

# With dev_overrides no `init` is needed. stderr carries the dev_overrides
# warning only; keep it out of the way unless the command fails.
if ! TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
	"$tf" -chdir="$work" providers schema -json >"$work/schema.json" 2>"$work/stderr"; then
	cat "$work/stderr" >&2
	exit 1
fi
cat "$work/schema.json"
