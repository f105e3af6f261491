#!/usr/bin/env bash
# The address-space view: a process's VMAs as a strip in address order and
# as /proc/PID/maps lists them, the VMA of the step's address marked, and
# the fault path of the operation so far.
. "$(dirname "$0")/lib.sh"
start 140 44 -- "$SRC/scenarios/17-demand-paging.lua"
continue_until 'What does it read'
keys n
wait_for 'do_anonymous_page|zero page'
settle
s=$(screen)
echo "$s" | grep -q '─ address space of pid 1 (demo)' || fail "the address-space view did not come up"
echo "$s" | grep -qE '\[r-xp 4K\] .* \[rw-p 64K\] .* \[stack\]\]' || fail "the strip does not show text, the 64K mmap and the stack"
echo "$s" | grep -qE '▶ 7ffff7fef000-7ffff7fff000 rw-p' || fail "the mmap'ed VMA is not marked in the maps list"
echo "$s" | grep -q 'this operation so far:' || fail "no fault path"
echo "$s" | grep -qE 'page fault at 0x7ffff7fef000 \(read\)' || fail "the fault is not on the path"
echo "PASS"
