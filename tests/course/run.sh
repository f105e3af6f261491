#!/usr/bin/env bash
# run.sh MEMSTEP NAME: `memstep course` must print, byte for byte and with
# the same exit status, what the OSTEP simulator printed for the same
# command line (cases/NAME.out, made by make_fixtures.sh).
set -u
memstep=$1 name=$2
here=$(cd "$(dirname "$0")" && pwd)
line=$(grep -E "^$name[[:space:]]" "$here/cases.txt") || { echo "no case $name"; exit 1; }
read -r _ sim args <<<"$line"
cd "$here" || exit 1
# shellcheck disable=SC2086
got=$("$memstep" course "$sim" $args 2>/dev/null; echo "rc=$?")
want=$(cat "cases/$name.out")
if [ "$got" != "$want" ]; then
	echo "memstep course $sim $args differs from the simulator:"
	diff <(echo "$want") <(echo "$got") | head -20
	exit 1
fi
echo "PASS $name"
