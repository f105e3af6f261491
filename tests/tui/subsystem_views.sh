#!/usr/bin/env bash
# Stepping onto a slab step brings up the slab view, onto a page walk the
# page-table view; v cycles the main pane's views.
. "$(dirname "$0")/lib.sh"
start 160 48 -- "$SRC/scenarios/05-slab-basics.lua"
keys ':' 'break new_slab' Enter
# the scenario pauses before its first slab: continue until the breakpoint
continue_until 'breakpoint 1 hit' 
screen | grep -q 'new_slab' || fail "no new_slab step on screen"
screen | grep -qE '─ (slabs|caches)' || fail "the slab view did not come up"
keys v
settle
screen | grep -qE '─ page tables' || fail "v did not move on to the page-table view"
keys v
settle
screen | grep -qE '─ frames' || fail "v did not come back to the frame map"
screen | grep -q '▚ slab' || fail "the frame map's legend does not name slab frames"
keys ':' "run $SRC/scenarios/08-page-walk-x86_64.lua" Enter
wait_for 'step 0/'
keys ':' 'break walk' Enter
continue_until 'breakpoint 2 hit' 
screen | grep -q '─ page tables (x86_64, 4 levels)' || fail "the page-table view did not come up"
screen | grep -qE 'PGD 0x[0-9a-f]+ \| PUD' || fail "no address split"
screen | grep -qE '(→|>) PGD table' || fail "no walk line"
screen | grep -qE 'PGD table, page 0x[0-9a-f]+:' || fail "no table window for the level walked"
echo "PASS"
