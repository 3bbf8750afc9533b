# Shared by the scripts that run terraform or tofu against the LUML API emulator
# (demo.sh, tftest.sh). Source it from a bash script running with `set -euo pipefail`:
#
#	work=$(mktemp -d ...)
#	. "$root/scripts/lib.sh"
#	clean_up_on_exit "$work" "demo failed"
#	emulator_start "$lumlfake" "$work" 30
#	use_dev_overrides "$provider_dir" "$work"
#
# Nothing here echoes the emulator's API key.

emulator_pid=""

# clean_up_on_exit WORKDIR MESSAGE
# On exit, stops the emulator and removes WORKDIR; on a failure, first prints MESSAGE and the
# end of the emulator's log. SIGINT and SIGTERM exit with 130 and 143, through the same path.
clean_up_on_exit() {
	cleanup_dir=$1
	cleanup_message=$2
	trap clean_up EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

clean_up() {
	local status=$?
	trap - EXIT INT TERM
	emulator_stop
	if [ "$status" -ne 0 ]; then
		printf '\n%s\n' "$cleanup_message" >&2
		emulator_log_tail "$cleanup_dir"
	fi
	rm -rf "$cleanup_dir"
	exit "$status"
}

# emulator_start LUMLFAKE WORKDIR TIMEOUT
# Starts the emulator on a free loopback port, logging to WORKDIR/lumlfake.log, waits up to
# TIMEOUT seconds until it has written WORKDIR/env, and exports the LUML_* variables from it.
emulator_start() {
	local lumlfake=$1 dir=$2 timeout=$3 deadline

	"$lumlfake" -addr 127.0.0.1:0 -env-file "$dir/env" >"$dir/lumlfake.log" 2>&1 &
	emulator_pid=$!

	# The emulator writes the env file once it is listening. Wait until every line we
	# need is there, and give up if it exits or takes too long.
	deadline=$((SECONDS + timeout))
	until [ -f "$dir/env" ] &&
		grep -q '^export LUML_BASE_URL=' "$dir/env" &&
		grep -q '^export LUML_API_KEY=' "$dir/env" &&
		grep -q '^export LUML_ORGANIZATION=' "$dir/env"; do
		if ! kill -0 "$emulator_pid" 2>/dev/null; then
			echo "the emulator exited before it was ready" >&2
			return 1
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "the emulator did not write $dir/env within ${timeout}s" >&2
			return 1
		fi
		sleep 0.1
	done

	# The file is export lines, quoted for the shell; never echo them (the API key is a secret).
	# shellcheck disable=SC1091
	. "$dir/env"
}

# emulator_stop: stops the emulator started by emulator_start, if any (SIGTERM, then
# SIGKILL after five seconds).
emulator_stop() {
	[ -n "$emulator_pid" ] || return 0
	kill -TERM "$emulator_pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$emulator_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$emulator_pid" 2>/dev/null || true
	wait "$emulator_pid" 2>/dev/null || true
	emulator_pid=""
}

# emulator_log_tail WORKDIR: prints the end of the emulator's log to stderr, without the
# API key it starts with.
emulator_log_tail() {
	if [ -s "$1/lumlfake.log" ]; then
		printf '\nthe emulator said:\n' >&2
		grep -v '^LUML_API_KEY=' "$1/lumlfake.log" | tail -n 40 >&2
	fi
}

# use_dev_overrides PROVIDER_DIR WORKDIR
# Writes WORKDIR/cli.tfrc, a CLI configuration that makes terraform and tofu use the
# provider build in PROVIDER_DIR for luml-ai/luml without `init`, and exports it. Both
# CLIs warn that dev_overrides is active: that is expected.
use_dev_overrides() {
	cat >"$2/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "luml-ai/luml" = "$1"
  }
  direct {}
}
EOF
	export TF_CLI_CONFIG_FILE="$2/cli.tfrc"
	export CHECKPOINT_DISABLE=1
	export TF_IN_AUTOMATION=1
	unset TF_DATA_DIR TF_WORKSPACE
}
