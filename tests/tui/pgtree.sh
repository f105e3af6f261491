#!/usr/bin/env bash
# The page-table view's tree mode: the tables that exist, their used
# entries, the ranges they cover and their cost against a flat table; shown
# away from a walk (the "multi-level saves memory" lecture), and by t during
# one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_lecture.sh"
start 120 36 -- "$SRC/scenarios/09-multilevel-saves-memory.lua"
continue_until '4: PGD, PUD, PMD and a PTE table'
s=$(screen)
echo "$s" | grep -q 'mm 1: 4 tables × 4K = 16 KiB; a flat table: 512G' || fail "no tree summary after the code is mapped"
echo "$s" | grep -qE '└ \[2\] PTE page 0x[0-9a-f]+ 4/512 used  0x400000-0x5fffff' || fail "the code's PTE table is not in the tree"
keys c c c
wait_for '8 table pages = 32 KiB'
s=$(screen)
echo "$s" | grep -q 'mm 1: 8 tables × 4K = 32 KiB' || fail "the final tree summary is wrong"
echo "$s" | grep -qE '└ \[255\] PUD page 0x[0-9a-f]+ 1/512 used  0x7f8000000000-0x7fffffffffff' ||
	fail "the stack's PUD is not in the tree"
[ "$(echo "$s" | grep -cE '(PGD|PUD|PMD|PTE) page 0x')" -eq 8 ] || fail "the tree does not have the 8 tables"
next_server

# during a walk the view shows the walk; t shows the tree with the walked table lit
start 120 36 -- "$SRC/scenarios/08-page-walk-x86_64.lua"
keys : 'break walk' Enter
continue_until 'PGD table 0x0 \[254\]'
screen | grep -q 'mm 1: 4 tables' && fail "the tree shows instead of the walk"
keys t
wait_for 'mm 1: 4 tables'
screen_escapes | grep 'PGD page 0x0' | grep -q $'\e\\[[0-9;]*43m' || fail "the walked table is not lit in the tree"
keys t
wait_for 'PGD table 0x0 \[254\]'
echo "PASS"
