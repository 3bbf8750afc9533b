#!/usr/bin/env bash
# Validates every example of examples/ with `terraform validate` (and `tofu validate`)
# against a local build of the provider, so that an example in the docs cannot rot. Called
# by `make examples-validate`, which builds the provider first.
#
# A directory of the docs' examples (holding resource.tf, data-source.tf, provider.tf...) is
# a set of snippets: each file is validated as a configuration of its own, an import example
# together with the resource.tf it imports into. Any other directory (examples/demo) is one
# configuration. Each is validated in a temporary copy, through a dev_overrides CLI
# configuration and without `init`; a copy without required_providers gets a terraform
# block requiring luml-ai/luml, as a reader's configuration would have, and one with it must
# give the provider a version constraint and have a provider "luml" block. Each must be valid
# for at least one of the CLIs: an example may show what only newer versions know, such as an
# import block by identity (Terraform 1.12, OpenTofu 1.12); what the others say is printed.
#
# Environment:
#   CLIS          terraform and tofu binaries, separated by spaces (default: terraform)
#   PROVIDER_DIR  directory holding terraform-provider-luml (default: .bin)
#   SKIP          example directories (relative, separated by spaces) that none of CLIS can
#                 validate, such as actions without a Terraform of 1.14 or later: each is
#                 reported as skipped
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
read -r -a clis <<<"${CLIS:-terraform}"
read -r -a skip <<<"${SKIP:-}"
provider_dir=${PROVIDER_DIR:-$root/.bin}

die() { printf 'examples-validate: %s\n' "$*" >&2; exit 1; }

[ -x "$provider_dir/terraform-provider-luml" ] || die "no provider binary in $provider_dir (run 'make build')"
for cli in "${clis[@]}"; do
	command -v "$cli" >/dev/null 2>&1 || die "'$cli' not found"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/luml-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
use_dev_overrides "$provider_dir" "$work"

failed=0
count=0

# validate_unit LABEL FILE...: validates FILE... as one configuration with each CLI.
validate_unit() {
	local label=$1 copy cli name out note
	shift
	count=$((count + 1))
	copy="$work/$count"
	mkdir -p "$copy"
	cp "$@" "$copy"/
	# A complete configuration, as a reader copies it, pins the provider's version and has a
	# provider block (without one, a missing API key reads "requires explicit configuration").
	local validated_by=() notes=()
	if grep -qs 'required_providers' "$copy"/*.tf; then
		if ! grep -Eqs '^[[:space:]]*version[[:space:]]*=' "$copy"/*.tf; then
			notes+=('required_providers gives luml-ai/luml no version constraint, such as version = "~> 0.1"')
		fi
		if ! grep -Eqs '^provider "luml"' "$copy"/*.tf; then
			notes+=('it declares required_providers but has no provider "luml" block')
		fi
	else
		cat >"$copy/luml_required_providers.tf" <<'EOF'
terraform {
  required_providers {
    luml = {
      source = "luml-ai/luml"
    }
  }
}
EOF
	fi

	if [ "${#notes[@]}" -gt 0 ]; then
		printf 'FAIL  %s: %s\n' "$label" "${notes[@]}" >&2
		failed=1
		return
	fi
	for cli in "${clis[@]}"; do
		name=$(basename "$cli")
		if out=$(cd "$copy" && TF_DATA_DIR="$copy/.terraform-$name" "$cli" validate -no-color 2>&1); then
			validated_by+=("$name")
		else
			notes+=("$name: $(sed -n '/^Error: /,$p' <<<"$out")")
		fi
	done
	if [ "${#validated_by[@]}" -eq 0 ]; then
		printf 'FAIL  %s\n' "$label" >&2
		printf '%s\n' "${notes[@]}" >&2
		failed=1
		return
	fi
	printf 'ok    %s (%s)\n' "$label" "${validated_by[*]}"
	# An example may use what only a newer CLI knows (identity in an import block); say so.
	for note in "${notes[@]}"; do
		printf '      not valid for %s\n' "$(head -n 1 <<<"$note")"
	done
}

while IFS= read -r dir; do
	rel=${dir#"$root"/}
	for skipped in "${skip[@]}"; do
		case "$rel/" in "$skipped"/*)
			printf 'skip  %s (needs a newer CLI than %s)\n' "$rel" "${clis[*]##*/}"
			continue 2
			;;
		esac
	done
	# A directory of the docs' examples holds snippets, which may declare the same names:
	# each file is one configuration; an import example goes with the resource it imports into.
	snippets=0
	for main in provider.tf resource.tf data-source.tf ephemeral-resource.tf action.tf function.tf; do
		if [ -f "$dir/$main" ]; then snippets=1; fi
	done
	if [ "$snippets" = 0 ]; then
		validate_unit "$rel" "$dir"/*.tf
		continue
	fi
	for file in "$dir"/*.tf; do
		base=$(basename "$file")
		case "$base" in
		import*.tf)
			[ -f "$dir/resource.tf" ] || die "$rel/$base: an import example needs resource.tf beside it"
			validate_unit "$rel/$base (with resource.tf)" "$dir/resource.tf" "$file"
			;;
		*) validate_unit "$rel/$base" "$file" ;;
		esac
	done
done < <(find "$root/examples" -name '*.tf' | sed 's|/[^/]*$||' | sort -u)

[ "$count" -gt 0 ] || die "no examples found under examples/"
[ "$failed" = 0 ] || die "some examples are not valid"
echo "examples-validate: $count configurations valid"
