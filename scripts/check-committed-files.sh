#!/usr/bin/env bash
# Fails when the repository tracks a compiled executable or a file over 1 MiB that is not on
# the allow-list below: build outputs belong in .bin/ (git-ignored), and a large file in the
# history stays in every clone for good. Run by `make lint`; checks the files git tracks (the
# index), as they would be committed.
set -euo pipefail

max_bytes=$((1024 * 1024))

# Files allowed to break the rules, each with its reason. Keep it short.
allowed=(
	# (none yet) path/of/file  # why it must be in the repository
)

is_allowed() {
	local f
	for f in "${allowed[@]}"; do
		[[ "$f" == "$1" ]] && return 0
	done
	return 1
}

# The first bytes of a compiled executable: ELF, Mach-O (both byte orders, 32 and 64 bit, and
# universal), Windows PE.
is_compiled() {
	local magic
	magic=$(head -c 4 < <(git cat-file blob "$1") | od -An -tx1 | tr -d ' \n')
	case "$magic" in
	7f454c46 | feedface | feedfacf | cefaedfe | cffaedfe | cafebabe | 4d5a*) return 0 ;;
	esac
	return 1
}

status=0
while IFS=$'\t' read -r meta path; do
	read -r mode object _ <<<"$meta"
	[[ "$mode" == 160000 ]] && continue # a submodule: no blob here
	is_allowed "$path" && continue
	size=$(git cat-file -s "$object")
	if ((size > max_bytes)); then
		echo "$path: $size bytes, over the 1 MiB limit for a committed file" >&2
		status=1
	fi
	if is_compiled "$object"; then
		echo "$path: a compiled executable; build outputs belong in .bin/ (git rm --cached it and ignore it)" >&2
		status=1
	elif [[ "$mode" == 100755 ]] && [[ "$(head -c 2 < <(git cat-file blob "$object"))" != "#!" ]]; then
		echo "$path: executable but not a script (no #! line)" >&2
		status=1
	fi
done < <(git ls-files --stage)

if ((status != 0)); then
	echo "Remove these files from git, or add them to the allow-list in $0 with the reason." >&2
fi
exit "$status"
