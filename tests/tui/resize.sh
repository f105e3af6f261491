#!/usr/bin/env bash
# Resizing to 80x24 and to 40x12 keeps working, also mid-animation: after
# each resize the screen is laid out for the new size (the status line on
# top, the key line at the bottom row, the frame map rewrapped to the new
# width) and shows the state of the step at the cursor.
. "$(dirname "$0")/lib.sh"

# row N: line N of the screen
row() { screen | sed -n "$1p"; }
# layout ROWS STEP: status line on row 1 at STEP, the key line on row ROWS
layout() {
	row 1 | grep -q "^ step $2/" || fail "row 1 is not the status line at step $2"
	row "$1" | grep -q '^space step  b back' || fail "row $1 is not the key line"
	[ "$(screen | wc -l)" -eq "$1" ] || fail "the capture is not $1 rows"
}

start 160 48 -- "$SRC/tests/tui/buddy.lua"
keys ' ' ' '
T resize-window -x 80 -y 24
keys ' '
wait_for 'step 3/'
settle
layout 24 3
screen | grep -q '─ zones' || fail "no zones pane at 80x24"
screen | grep -q '─ free lists' || fail "no free lists at 80x24"
# step 3 took the order-4 block 0x0: 16 frames of one block, 4 to a row
screen | grep -qE ' 0x0 4█+ █+ █+ █+$' || fail "frame map row 0 is not 4 frames of block 0x0"
screen | grep -qE ' 0xc █+ █+ █+ █+$' || fail "frame map row c is not the last 4 frames"
screen | grep -qE '▶ +3 take +take order-4 block 0x0' || fail "the event log does not mark step 3"

T resize-window -x 40 -y 12
keys ' '
wait_for 'step 4/'
settle
layout 12 4
# step 4 split 0x0 into two order-3 halves: 8 frames to a row, the row at
# 8 now begins the free half
screen | grep -qE '^ +0x0 3█+( █+){7}$' || fail "frame map row 0 at 40x12 is not the kept order-3 half"
screen | grep -qE '^ +0x8 3░+( ░+){7}$' || fail "frame map row 8 at 40x12 is not the free order-3 half"
screen | grep -q '─ events' || fail "no event log at 40x12"
screen | grep -qE '▶ +4 split' || fail "the event log does not mark step 4"

T resize-window -x 160 -y 48
keys b
wait_for 'step 3/'
settle
layout 48 3
screen | grep -q '─ free lists' || fail "the free lists did not come back after growing"
screen | grep -q '─ zones' || fail "the zones did not come back after growing"
screen | grep -qE '▶ +5 local a = alloc_pages\(0\)' || fail "the source pane did not come back at line 5"
screen | grep -qE ' 0x0 4█+( █+){7} {4,}' || fail "frame map not 8 to a row at 160x48"
kill -0 "$(pid)" || fail "memstep died"
echo "PASS"
