#!/usr/bin/env bash
# Rewrite every expected transcript (cases/*.out) from what memstep prints
# now, or only the cases named.  Review the result with `git diff` before
# committing it: an expected file records what the REPL must print, so a
# change here is a change of behaviour.
#
# usage: tests/repl/regen.sh [NAME...]   (MEMSTEP=path/to/memstep, default build/memstep)
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# = 0 ]; then
	for f in "$here"/cases/*.cmd; do
		set -- "$@" "$(basename "$f" .cmd)"
	done
fi
status=0
for name; do
	"$here/run.sh" --regen "$name" || status=1
done
exit $status
