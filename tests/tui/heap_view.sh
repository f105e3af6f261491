#!/usr/bin/env bash
# glibc's heap in the textbook view, as heap inspectors draw it: the heap
# as a strip of chunks, the chunks with their headers (the tcache struct
# first), and each bin's list; the chunk the step is about lit.
. "$(dirname "$0")/lib.sh"
start 160 50 -- "$SRC/scenarios/37-glibc-malloc.lua"
keys c
wait_for 'What sits in the first 0x290'
settle
s=$(screen)
echo "$s" | grep -q '─ textbook models' || fail "the textbook view did not come up"
echo "$s" | grep -q 'glibc heap 0 (ptmalloc2, glibc 2.36): 0x555555559000..0x55555557a000' || fail "no heap header"
echo "$s" | grep -qE '0x555555559000 +prev_size 0 +size 0x290 +PREV_INUSE +in use' || fail "the tcache struct's chunk is not first"
echo "$s" | grep -qE '0x555555559290 +prev_size 0 +size 0x20 +PREV_INUSE +in use' || fail "the block malloc(24) made is not shown"
keys c
wait_for 'Now a and b are freed'
keys c
wait_for 'Eight 48-byte chunks'
settle
s=$(screen)
echo "$s" | grep -qE 'tcachebins\[0x30\] \(7\):' || fail "the full tcache bin is not listed"
echo "$s" | grep -qE 'fastbins\[0x30\]: 0x[0-9a-f]+' || fail "the fastbin is not listed"
echo "$s" | grep -q 'tcache' || fail "no tcache chunks"
keys c
wait_for 'A 0x510-byte chunk'
settle
screen | grep -qE 'unsortedbin: 0x[0-9a-f]+ \(0x510\)' || fail "the unsorted chunk is not listed with its size"
echo "PASS"
