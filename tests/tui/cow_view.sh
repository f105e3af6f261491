#!/usr/bin/env bash
# Copy-on-write in the address-space view: after fork, the pages a parent and
# child share show their mapper count and both pids (through the reverse
# map); the child's write splits page 0 off, so the parent's page 0 has one
# mapper (a write would reuse it) while pages 1 and 2 stay shared.
. "$(dirname "$0")/lib.sh"
start 140 44 -- "$SRC/scenarios/18-fork-cow.lua"
continue_until 'The child reads page 1'
keys n
settle
s=$(screen)
echo "$s" | grep -qE '^ +pages: 222 ' || echo "$s" | grep -qE 'pages: 222( |$)' || fail "the three shared pages do not show 2 mappers each"
echo "$s" | grep -qE '0x7ffff7ffd000: frame 0x[0-9a-f]+, mapped by pid 1, pid 2: shared copy-on-write, a write copies it' ||
	fail "page 1 does not show both mappers and copy-on-write"
continue_until 'Copy-on-write: the child'
s=$(screen)
echo "$s" | grep -qE 'pages: a22( |$)' || fail "after the child's write page 0 is not its own while 1 and 2 stay shared"
echo "$s" | grep -qE '0x7ffff7ffc000: frame 0x[0-9a-f]+, mapped by pid 1: its only mapper, a write reuses it' ||
	fail "the parent's old page 0 does not show it alone maps it (a write reuses it)"
echo "PASS"
