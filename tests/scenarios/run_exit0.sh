#!/usr/bin/env bash
# run_exit0.sh MEMSTEP DIR|FILE…: every scenario (DIR/*.lua, looked up when
# the test runs) must run with --check and exit 0: its expectations held.
# Each runs from its own folder.  Finding none is a failure: a missing
# folder or a moved file must not pass as "nothing failed".
set -u
memstep=$1
shift
files=()
for arg; do
	if [ -d "$arg" ]; then
		for f in "$arg"/*.lua; do [ -e "$f" ] && files+=("$f"); done
	else
		files+=("$arg")
	fi
done
[ ${#files[@]} -eq 0 ] && { echo "FAIL: no scenarios in $*"; exit 1; }
for f in "${files[@]}"; do
	[ -f "$f" ] || { echo "FAIL: no scenario $f"; exit 1; }
done
status=0
for f in "${files[@]}"; do
	out=$(cd "$(dirname "$f")" && "$memstep" --batch "$(basename "$f")" --check --trace=none 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "ok $f"
	else
		echo "FAIL $f: exit $rc"
		echo "$out"
		status=1
	fi
done
exit "$status"
