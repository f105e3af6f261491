#!/usr/bin/env bash
# ? opens the help overlay of keys and commands; any key closes it.
. "$(dirname "$0")/lib.sh"
start 120 40 -- "$SRC/tests/tui/buddy.lua"
keys '?'
wait_for 'reverse-continue'
screen | grep -q 'space, s   step' || fail "keys missing from the help"
screen | grep -q ':break' || fail "commands missing from the help"
keys x
settle
screen | grep -q 'reverse-continue' && fail "help did not close"
screen | grep -q 'step 0/' || fail "the closing key did something else"
echo "PASS"
