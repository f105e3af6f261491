#!/usr/bin/env bash
# The command line: Lua, completion, errors, a popup, goto a mark.
. "$(dirname "$0")/lib.sh"
start 120 40 -- "$SRC/tests/tui/buddy.lua"
keys ':' 'info zo' Tab Enter
wait_for 'free vs watermarks'
keys x
keys 'g' 'split-done' Enter
wait_for 'step 8/'
keys ':' 'x = frame(0).state' Enter ':' 'print(x)' Enter
wait_for '^allocated'
# an operation typed in the past asks first (it would drop steps 9-21)
keys ':' 'alloc_pages("no")' Enter
wait_for '\[y/N\] You are at step 8, in the past'
keys y
wait_for 'order must be a whole number'
echo "PASS"
