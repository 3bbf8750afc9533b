#!/usr/bin/env bash
# Runs examples/demo end to end against the LUML API emulator (lumlfake):
# apply, show the outputs, destroy. Called by `make demo`, which builds what it
# needs first; all state lives in a temporary directory removed on exit.
#
# Environment:
#   TF            terraform or tofu binary (default: terraform)
#   PROVIDER_DIR  directory holding terraform-provider-luml (default: .bin)
#   LUMLFAKE      emulator binary (default: .bin/lumlfake)
#   DEMO_TIMEOUT  seconds to wait for the emulator to listen (default: 30)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tf=${TF:-terraform}
provider_dir=${PROVIDER_DIR:-$root/.bin}
lumlfake=${LUMLFAKE:-$root/.bin/lumlfake}
timeout=${DEMO_TIMEOUT:-30}

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

command -v "$tf" >/dev/null 2>&1 || die "'$tf' not found (set TF to a terraform or tofu binary)"
[ -x "$provider_dir/terraform-provider-luml" ] || die "no provider binary in $provider_dir (run 'make build')"
[ -x "$lumlfake" ] || die "no emulator at $lumlfake (run 'make lumlfake')"

work=$(mktemp -d "${TMPDIR:-/tmp}/luml-demo.XXXXXX")
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

clean_up_on_exit "$work" "demo failed"

say "Starting the LUML API emulator"
emulator_start "$lumlfake" "$work" "$timeout" || die "could not start the emulator"
echo "emulator listening at $LUML_BASE_URL, organization $LUML_ORGANIZATION"

use_dev_overrides "$provider_dir" "$work"

mkdir "$work/demo"
cp "$root"/examples/demo/*.tf "$work/demo/"
cd "$work/demo"

say "$(basename "$tf") apply"
"$tf" apply -auto-approve -input=false

say "$(basename "$tf") output"
"$tf" output
cat multipart-upload.txt

say "$(basename "$tf") destroy"
"$tf" destroy -auto-approve -input=false

say "Demo finished"
