#!/usr/bin/env bash
# The per-cpu lists beside the free lists (CPU 0's count/high and its
# blocks), and 'm' on the frame map: pageblocks coloured by migrate type,
# the types named in the legend.
. "$(dirname "$0")/lib.sh"
start 140 44 -- "$SRC/scenarios/27-pcp.lua"
continue_until 'Where does a page freed on CPU 1 go'
settle
s=$(screen)
echo "$s" | grep -qE 'cpu0 5/129 0x1004 0x1005 ' || fail "CPU 0's pcp list is not shown beside the free lists"
keys m
settle
s=$(screen)
echo "$s" | grep -q 'Unmovable Movable Reclaimable HighAtomic Isolate' || fail "'m' did not colour the map by migrate type"
echo "PASS"
