#!/usr/bin/env bash
# regen.sh [MEMSTEP]: rewrite the expected outputs golden/*.txt and
# golden/*.jsonl from the current binary (default build/memstep), for when a
# trace format changes on purpose.  Read the diff before committing it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
memstep=$(realpath "${1:-$here/../../build/memstep}")
cd "$here/golden" || exit 1
for lua in *.lua; do
	name=${lua%.lua}
	"$memstep" --batch "$lua" --check --trace=text >"$name.txt"
	echo "$name: exit $?"
	"$memstep" --batch "$lua" --check --trace=json >"$name.jsonl"
done
git -C "$here" status --short -- golden
