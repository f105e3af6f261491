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
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); fail "screens differ after stepping back"; }
# the step just taken is on screen and marked in the event log
echo "$after" | grep -q '▶ *3 take' || fail "the event log does not mark step 3"
echo "PASS"
