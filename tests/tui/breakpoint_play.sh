#!/usr/bin/env bash
# A conditional breakpoint stops play mode at the right step.
. "$(dirname "$0")/lib.sh"
start 120 36 -- "$SRC/tests/tui/buddy.lua"
keys ':' 'break merge if order >= 2' Enter
wait_for 'breakpoint 1: merge if order >= 2'
keys '+' '+' '+' '+' p
wait_for 'breakpoint 1 hit'
settle
# the first merge into an order-2 block is step 25 of buddy.lua
screen | grep -q 'step 25/' || fail "play stopped at the wrong step"
screen | grep -q 'paused' || fail "play did not stop"
echo "PASS"
