#!/usr/bin/env bash
# Runs the Terraform test suite in tests/ (`terraform test`, or `tofu test`) against the
# LUML API emulator, with a local build of the provider. Called by `make tftest` and
# `make tftest-tofu`, which build what it needs first. The suite runs in a temporary copy
# of examples/ and tests/, removed on exit, so nothing it writes lands in the working tree.
#
# Environment:
#   TF            terraform or tofu binary (default: terraform)
#   PROVIDER_DIR  directory holding terraform-provider-luml (default: .bin)
#   LUMLFAKE      emulator binary (default: .bin/lumlfake)
#   TFTEST_ARGS   more arguments for `test`, e.g. '-filter=demo.tftest.hcl -verbose'
#   TFTEST_TIMEOUT  seconds to wait for the emulator to listen (default: 30)
#   TFTEST_LIVE   1: run against the LUML API that LUML_API_KEY, LUML_ORGANIZATION and
#                 LUML_BASE_URL name, not the emulator (`make tftest-live`). The suite creates
#                 and deletes bucket secrets for the buckets demo-models, tftest-models and
#                 tftest-uploads; the organization must have none of its own for them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tf=${TF:-terraform}
provider_dir=${PROVIDER_DIR:-$root/.bin}
lumlfake=${LUMLFAKE:-$root/.bin/lumlfake}
timeout=${TFTEST_TIMEOUT:-30}
read -r -a test_args <<<"${TFTEST_ARGS:-}"

die() { printf 'tftest: %s\n' "$*" >&2; exit 1; }

command -v "$tf" >/dev/null 2>&1 || die "'$tf' not found (set TF to a terraform or tofu binary)"
case "$tf" in */*) tf="$(cd "$(dirname "$tf")" && pwd)/$(basename "$tf")" ;; esac # the suite runs elsewhere
[ -x "$provider_dir/terraform-provider-luml" ] || die "no provider binary in $provider_dir (run 'make build')"
live=${TFTEST_LIVE:-}
if [ "$live" = 1 ]; then
	[ -n "${LUML_API_KEY:-}" ] || die "TFTEST_LIVE=1 needs LUML_API_KEY (and LUML_ORGANIZATION if the key has several)"
else
	[ -x "$lumlfake" ] || die "no emulator at $lumlfake (run 'make lumlfake')"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/luml-tftest.XXXXXX")
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

clean_up_on_exit "$work" "tftest: $(basename "$tf") test failed"

if [ "$live" = 1 ]; then
	printf 'tftest: against the LUML API at %s, organization %s\n' \
		"${LUML_BASE_URL:-https://api.luml.ai}" "${LUML_ORGANIZATION:-of the API key}"
else
	emulator_start "$lumlfake" "$work" "$timeout" || die "could not start the emulator"
fi
use_dev_overrides "$provider_dir" "$work"

# The runs refer to their modules by relative paths: ../examples/demo, ./modules/...
cp -R "$root/examples" "$root/tests" "$work/"
cd "$work/tests"

# `get` records the modules the runs use (local directories: nothing is downloaded). Not
# `init`: with dev_overrides, the provider needs none, and init would ask a registry.
"$tf" get -no-color >/dev/null
"$tf" test "${test_args[@]}"
