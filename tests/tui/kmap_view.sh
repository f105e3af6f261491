#!/usr/bin/env bash
# The kernel address space view: stepping onto a kmap brings it up with the
# 32-bit layout (direct map, vmalloc, pkmap, fixmap), the pkmap area
# marked, the slot counts, and later a CPU's kmap_local stack.
. "$(dirname "$0")/lib.sh"
start 140 44 -- "$SRC/scenarios/34-highmem-kmap.lua"
continue_until 'its physical address'
keys n
wait_for 'kmap highmem pfn'
settle
s=$(screen)
echo "$s" | grep -q '─ kernel address space (32-bit)' || fail "the kernel address space view did not come up"
echo "$s" | grep -qE '0xc0000000-0xf8000000 direct map \(lowmem\)' || fail "no direct map of 896M"
echo "$s" | grep -qE '▶ 0xff800000-0xffc00000 pkmap \(kmap\)' || fail "the pkmap area is not marked"
echo "$s" | grep -q 'pkmap slots: 1 of 1024 in use, last_pkmap_nr 1' || fail "the slot counts are wrong"
continue_until 'next fixmap slots'
# back to the step of the second kmap_local: cpu 0's stack holds two slots
keys ':' 'break kmap_local' Enter
keys ':' 'reverse-continue' Enter
wait_for 'breakpoint 1 hit'
settle
screen | grep -qE 'cpu 0 kmap_local: \[0: 0xfffba000 pfn 0x[0-9a-f]+\] \[1: 0xfffb9000' ||
	fail "the kmap_local stack of cpu 0 is not shown"
screen | grep -qE '▶ 0xfff[0-9a-f]+-0xfffbb000 fixmap kmap_local' || fail "the fixmap area is not marked"
echo "PASS"
