#!/usr/bin/env bash
# run_golden.sh MEMSTEP NAME: run golden/NAME.lua with --check, as a text
# trace and as JSON Lines, and compare with golden/NAME.txt and NAME.jsonl
# byte for byte.  The exit status must be the one a "-- exit: N" line in the
# scenario names (0 without one), and nothing may go to stderr.  Every JSON
# line must also parse (jq; scripts/lib.sh installs it).
# After a deliberate change of the trace format, rewrite them with regen.sh.
set -u
memstep=$1 name=$2
cd "$(dirname "$0")/golden" || exit 1
want=$(sed -n 's/^-- exit: \([0-9]\+\)$/\1/p' "$name.lua")
want=${want:-0}
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
command -v jq >/dev/null || { echo "FAIL $name: jq is not installed (scripts/lib.sh installs it)"; exit 1; }
status=0
for trace in text json; do
	expected=$name.txt
	[ "$trace" = json ] && expected=$name.jsonl
	"$memstep" --batch "$name.lua" --check --trace="$trace" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -ne "$want" ] || [ -s "$err" ]; then
		echo "FAIL $name.lua --trace=$trace: exit $rc (expected $want)"
		cat "$err"
		status=1
	fi
	if [ "$trace" = json ] && ! jq -e . "$out" >/dev/null; then
		echo "FAIL $name.lua --trace=json: not JSON Lines"
		status=1
	fi
	if ! diff -u --label "$expected" --label "$trace output" "$expected" "$out"; then
		echo "FAIL $name.lua --trace=$trace differs from $expected (see the diff above)"
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "ok $name"
exit "$status"
