#!/bin/bash
# A machine{slab="slob"} shows SLOB's own lists in the slab view, under the
# kernel's names, with the step's page marked at the unit first fit chose.
. "$(dirname "$0")/lib.sh"
start 160 48 -- "$SRC/scenarios/42-slob-vs-slub.lua"
keys ':' 'break slob_alloc' Enter
continue_until 'breakpoint 1 hit'
wait_for 'free_slob_small'
screen | grep -qE 'SLOB: [0-9]+ pages' || fail "no SLOB summary line"
screen | grep -q 'free_slob_medium' || fail "no medium list"
screen | grep -q 'free_slob_large' || fail "no large list"
screen | grep -qE 'pfn [0-9]+ +units free [0-9]+ +<- this step, unit [0-9]+' || fail "the step's page is not marked"
echo "PASS"
