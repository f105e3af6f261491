#!/usr/bin/env bash
# Not UTF-8: ASCII only.  Idle: no CPU used while nothing moves.
. "$(dirname "$0")/lib.sh"
start 100 30 LANG=C LC_ALL=C -- "$SRC/tests/tui/buddy.lua"
keys ' ' ' ' ' ' ' '
wait_for 'step 4/'
settle
screen | LC_ALL=C grep -q $'[\x80-\xff]' && fail "non-ASCII bytes on an ASCII screen"
screen | grep -q '|' || fail "no ASCII separators"
p=$(pid)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
a=$(ticks "$p"); sleep 2; b=$(ticks "$p")
# 2 s idle: a busy loop would use ~200 ticks; allow 5 (50 ms)
[ $((b - a)) -le 5 ] || fail "idle memstep used $((b - a)) ticks in 2 s"
echo "PASS"
