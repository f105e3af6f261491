#!/usr/bin/env bash
# Resizing to 80x24 and to 40x12 keeps working, also mid-animation.
. "$(dirname "$0")/lib.sh"
start 160 48 -- "$SRC/tests/tui/buddy.lua"
keys ' ' ' '
T resize-window -x 80 -y 24
keys ' '
wait_for 'step 3/'
settle
screen | grep -q 'frames' || fail "no frame map at 80x24"
screen | grep -q 'zones' || fail "no zones at 80x24"
T resize-window -x 40 -y 12
keys ' '
wait_for 'step 4/'
settle
[ "$(screen | wc -l)" -le 12 ] || fail "more lines than the window"
T resize-window -x 160 -y 48
keys b
wait_for 'step 3/'
settle
screen | grep -q 'free lists' || fail "panes did not come back after growing"
kill -0 "$(pid)" || fail "memstep died"
echo "PASS"
