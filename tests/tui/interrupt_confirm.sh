#!/usr/bin/env bash
# Ctrl-C in the TUI stops a long continue where it is and never quits;
# at rest it stops play.  A Lua line typed in the past, which would drop
# the steps ahead, asks first: anything but y keeps them, y runs it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_lecture.sh"
start 120 36 -- "$SRC/tests/repl/long.lua"
keys c
sleep 1
keys C-c
wait_for 'interrupted|Ctrl-C'
settle
kill -0 "$(pid)" || fail "Ctrl-C killed memstep"
screen | grep -qE '^ step [0-9]{3,}/' || fail "the continue did not stop part way with a position"
keys p
sleep 0.5
keys C-c
wait_for 'Ctrl-C: stopped'
kill -0 "$(pid)" || fail "Ctrl-C at rest killed memstep"
next_server

start 120 36 -- "$SRC/tests/tui/buddy.lua"
keys c
settle
keys : 'goto 2' Enter
wait_for '^ step 2/'
keys : 'x = alloc_pages(0)' Enter
wait_for '\[y/N\]'
keys n
wait_for 'not run: the steps ahead are kept'
s=$(screen)
echo "$s" | grep -qE '^ step 2/[0-9]+' || fail "answering n moved the cursor"
keys : 'x = alloc_pages(0)' Enter
wait_for '\[y/N\]'
keys y
wait_for 'dropped'
kill -0 "$(pid)" || fail "memstep died"
echo "PASS"
