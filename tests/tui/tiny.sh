#!/usr/bin/env bash
# Every window size down to 1x1 draws something sensible and never crashes:
# too small for panes, a note says so; a resize storm through tiny sizes
# (while the frame map and the caption's word wrap are busiest) leaves a
# memstep that still answers keys and draws its panes again.
. "$(dirname "$0")/lib.sh"
start 80 24 -- "$SRC/scenarios/04-watermarks.lua"
keys c
wait_for 'step 39/'
p=$(pid)
resize() { T resize-window -x "$1" -y "$2"; }
for size in 1x1 2x1 1x2 3x3 12x4 29x7 30x8 31x9 59x12 60x12 80x24; do
	resize "${size%x*}" "${size#*x}"
	sleep 0.2
	kill -0 "$p" 2>/dev/null || fail "memstep died at $size"
done
resize 25 6
wait_for 'window too small'
resize 40 10
wait_for '─ events'
# the storm: many sizes with no pause between them, keys in between
for i in $(seq 3); do
	for size in 1x1 5x2 2x9 33x3 0x0 120x36 7x7 1x40 200x2 31x8 60x11 1x1; do
		resize "${size%x*}" "${size#*x}" 2>/dev/null
	done
	keys ' '
done
resize 80 24
sleep 0.3
kill -0 "$p" 2>/dev/null || fail "memstep died in the resize storm"
keys n
wait_for 'step [0-9]+/'
screen | grep -q '─ zones' || fail "the panes did not come back after the storm"
screen | grep -q '─ events' || fail "the event log did not come back after the storm"
echo "PASS"
