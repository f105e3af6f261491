#!/usr/bin/env bash
# Stepping forward and back returns the very same screen.
. "$(dirname "$0")/lib.sh"
start 120 36 -- "$SRC/tests/tui/buddy.lua"
keys ' ' ' ' ' '
wait_for 'step 3/'
settle
before=$(screen)
keys ' ' ' ' ' ' ' '
wait_for 'step 7/'
keys b b Left Left
wait_for 'step 3/'
settle
after=$(screen)
# The views are the same; only the event log differs: steps 4-7, never
# reached before, were not listed, and once visited they are (dimmed).
views() { echo "$1" | sed -n '2,18p'; echo "$1" | sed -n '2,$p' | cut -c1-35 | sed 's/ *$//'; }
[ "$(views "$before")" = "$(views "$after")" ] ||
	{ diff <(views "$before") <(views "$after"); fail "views differ after stepping back"; }
echo "$before" | grep -qE '^ step 3/3\+' || fail "the status counted steps not reached yet"
echo "$before" | grep -qE ' [4-7] (take|split|done) ' && fail "steps never reached were listed"
echo "$after" | grep -qE '^ step 3/7\+' || fail "the status does not count the steps visited"
echo "$after" | grep -qE ' 7 (split|done) ' || fail "visited steps are not listed after stepping back"
# the step just taken is on screen and marked in the event log
echo "$after" | grep -q '▶ *3 take' || fail "the event log does not mark step 3"
echo "PASS"
