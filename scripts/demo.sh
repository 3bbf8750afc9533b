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
fake_pid=""

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [ -n "$fake_pid" ]; then
		kill -TERM "$fake_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$fake_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$fake_pid" 2>/dev/null || true
		wait "$fake_pid" 2>/dev/null || true
	fi
	if [ "$status" -ne 0 ] && [ -s "$work/lumlfake.log" ]; then
		printf '\ndemo failed; the emulator said:\n' >&2
		tail -n 40 "$work/lumlfake.log" >&2
	fi
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Starting the LUML API emulator"
"$lumlfake" -addr 127.0.0.1:0 -env-file "$work/env" >"$work/lumlfake.log" 2>&1 &
fake_pid=$!

# The emulator writes the env file once it is listening. Wait until every
# line we need is there, and give up if it exits or takes too long.
deadline=$((SECONDS + timeout))
until [ -f "$work/env" ] &&
	grep -q '^LUML_BASE_URL=' "$work/env" &&
	grep -q '^LUML_API_KEY=' "$work/env" &&
	grep -q '^LUML_ORGANIZATION=' "$work/env"; do
	kill -0 "$fake_pid" 2>/dev/null || die "the emulator exited before it was ready"
	[ "$SECONDS" -lt "$deadline" ] || die "the emulator did not write $work/env within ${timeout}s"
	sleep 0.1
done

# Export the LUML_* lines only; never echo them (the API key is a secret).
while IFS='=' read -r key value; do
	case "$key" in
	LUML_*)
		value=${value%\"}
		export "$key=${value#\"}"
		;;
	esac
done <"$work/env"
echo "emulator listening at $LUML_BASE_URL, organization $LUML_ORGANIZATION"

# A CLI configuration that makes terraform/tofu use the local build without
# `init`. Both warn that dev_overrides is active: that is expected.
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "luml-ai/luml" = "$provider_dir"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
unset TF_DATA_DIR TF_WORKSPACE

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
