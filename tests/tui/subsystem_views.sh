#!/usr/bin/env bash
# Stepping onto a slab step brings up the slab view, onto a page walk the
# page-table view, a jump back the view of the step it lands on; v cycles
# the main pane's views.
. "$(dirname "$0")/lib.sh"
start 160 48 -- "$SRC/scenarios/05-slab-basics.lua"
keys ':' 'break new_slab' Enter
# the scenario pauses before its first slab: continue until the breakpoint
continue_until 'breakpoint 1 hit' 
screen | grep -q 'step 14/' || fail "the breakpoint did not stop on step 14, the new_slab"
# The slab view's own content at that step: the cache's row (8 objects,
# none handed out yet, 1 slab of 8 on 1 page), its geometry, an empty CPU
# slab whose freelist runs 0..7, and where the slab came from.
screen | grep -qE '─ slabs and vmalloc' || fail "the slab view did not come up"
screen | grep -qE ' 8 +0 +0% +512B +1 +8 +1 demo' || fail "the slab view has no row for cache demo"
screen | grep -q 'demo: 512B objects in 512B slots' || fail "the slab view does not show demo's geometry"
screen | grep -qE 'cpu +0 ░{8} 0/8' || fail "the slab view does not show an empty CPU slab"
screen | grep -q 'freelist → 0 → 1 → 2 → 3 → 4 → 5 → 6 → 7 → NULL' ||
	fail "the slab view does not show the new slab's freelist"
screen | grep -q 'slab 0: new from the buddy' || fail "the slab view does not say where the slab came from"
# A jump back over several steps shows the step it lands on: goto 13 from
# the slab step 15 brings up the frame map for step 13 (a buddy "done").
keys ' '
wait_for 'step 15/'
settle
screen | grep -qE '─ slabs and vmalloc' || fail "the slab view left on the slab step 15"
keys ':' 'goto 13' Enter
wait_for 'step 13/'
settle
screen | grep -qE '─ frames \(256\)' || fail "a jump back to a buddy step did not bring up the frame map"
screen | grep -qE '▶ +13 done' || fail "the event log does not mark step 13 after the jump"
keys ' '
wait_for 'step 14/'
settle
screen | grep -qE '─ slabs and vmalloc' || fail "stepping onto new_slab again did not bring the slab view back"
keys v
settle
screen | grep -qE '─ page tables' || fail "v did not move on to the page-table view"
keys v
settle
screen | grep -qE '─ address space' || fail "v did not move on to the address-space view"
keys v
settle
screen | grep -qE '─ LRU lists of node 0' || fail "v did not move on to the LRU view"
keys v
settle
screen | grep -qE '─ swap' || fail "v did not move on to the swap view"
keys v
settle
screen | grep -qE '─ textbook models' || fail "v did not move on to the textbook view"
keys v
settle
screen | grep -qE '─ kernel address space' || fail "v did not move on to the kernel address space view"
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
