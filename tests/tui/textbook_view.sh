#!/usr/bin/env bash
# The textbook view: a free list as its heap strip and its list in order,
# the model's state after the step at the cursor; a replacement cache as
# the simulator's list of frames with the hit counts; the view comes up by
# itself on a textbook step.
. "$(dirname "$0")/lib.sh"
start 120 36 -- "$SRC/scenarios/30-free-list-policies.lua"
keys c
wait_for 'Best fit for alloc\(4\)'
keys n
wait_for 'fl_split +free list 0: split \[addr 1020\]'
settle
s=$(screen)
echo "$s" | grep -q '─ textbook models' || fail "the textbook view did not come up"
echo "$s" | grep -q 'free list 0: BEST fit, ADDRSORT, coalescing; heap 1000..1099' || fail "no free-list header"
echo "$s" | grep -qF 'Free List [ Size 3 ]:' || fail "no free list line"
echo "$s" | grep -qF '[ addr:1000 sz:10 ] [ addr:1024 sz:1 ] [ addr:1035 sz:30 ]' ||
	fail "the list after the best-fit split is not shown in order"
echo "$s" | grep -q '(4 ranges)' || fail "the handed-out count is wrong"
# back one step: the split is undone, the search's last element is lit
keys b
wait_for '▶ +26 fl_search'
settle
screen | grep -qF '[ addr:1020 sz:5 ]' || fail "stepping back did not show the list before the split"
next_server

start 120 36 -- "$SRC/scenarios/31-belady-anomaly.lua"
continue_until 'more misses or fewer'
settle
s=$(screen)
echo "$s" | grep -q 'cache 0: FIFO, 3 frames   hits 3  misses 9' || fail "the FIFO cache's counts are not shown"
echo "$s" | grep -qE 'first in -> \[[0-9]+\] \[[0-9]+\] \[[0-9]+\] <- last in' || fail "the frames are not drawn in list order"
echo "PASS"
