#!/usr/bin/env bash
# make_fixtures.sh DIR: write tests/course/cases/*.out by running the OSTEP
# homework simulators themselves (malloc.py and paging-policy.py from
# remzi-arpacidusseau/ostep-homework, vm-freespace/ and
# vm-beyondphys-policy/, copied into DIR) with python3, one case per line
# of cases.txt: NAME SIMULATOR ARGS…  The .out holds stdout and a last
# line "rc=N".  These outputs are what `memstep course` must print.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$1" && pwd)
cd "$here"
while read -r name sim args; do
	[ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
	# shellcheck disable=SC2086
	{ (cd "$here" && python3 "$dir/$sim.py" $args 2>/dev/null) || true; } >"cases/$name.out"
	# shellcheck disable=SC2086
	rc=0; (cd "$here" && python3 "$dir/$sim.py" $args >/dev/null 2>&1) || rc=$?
	echo "rc=$rc" >>"cases/$name.out"
done <cases.txt
