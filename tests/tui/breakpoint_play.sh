#!/usr/bin/env bash
# Play mode stops at the scenario's pause() and at a conditional breakpoint.
. "$(dirname "$0")/lib.sh"
start 120 36 -- "$SRC/tests/tui/buddy.lua"
keys ':' 'break merge if order >= 2' Enter
wait_for 'breakpoint 1: merge if order >= 2'
keys '+' '+' '+' '+' p
# buddy.lua pauses before its frees: play stops there first…
wait_for 'paused by the scenario'
settle
screen | grep -q 'step 21/' || fail "play did not stop at the pause() point"
# …and then at the first merge into an order-2 block, step 25
keys p
wait_for 'breakpoint 1 hit'
settle
screen | grep -q 'step 25/' || fail "play stopped at the wrong step"
screen | grep -q 'paused' || fail "play did not stop"
echo "PASS"
