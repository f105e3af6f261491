#!/usr/bin/env bash
# The swap view: the areas with their slots and clusters, and the slot map
# of the step's area: the header '#', free '.', counts per slot; a swap-out
# step brings it up with its slot lit.
. "$(dirname "$0")/lib.sh"
start 140 44 -- "$SRC/scenarios/25-swap.lua"
keys ':' 'break swap_duplicate' Enter
continue_until 'breakpoint 1 hit'
settle
s=$(screen)
echo "$s" | grep -q '─ swap: slots of type 0' || fail "the swap view did not come up on a swap step"
echo "$s" | grep -qE 'type 0 /swapfile +prio -2 +2/255 slots used +clusters: 0 free, 1 nonfull, 0 full' ||
	fail "the area line does not show 2 of 255 slots used in one nonfull cluster"
echo "$s" | grep -qE ' 0 #21\.\.\.' || fail "the slot map does not show the header, slot 1 at count 2 and slot 2 at 1"
keys ' '
wait_for 'swap_duplicate'
settle
screen | grep -qE ' 0 #22\.\.\.' || fail "the second swap_duplicate did not raise slot 2 to 2"
echo "PASS"
