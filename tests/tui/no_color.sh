#!/usr/bin/env bash
# NO_COLOR: attributes only, no color escapes; with colors, they appear.
. "$(dirname "$0")/lib.sh"
start 100 30 NO_COLOR=1 -- "$SRC/tests/tui/buddy.lua"
keys ' ' ' ' ' ' ' '
wait_for 'step 4/'
settle
screen_escapes | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[;m]' && fail "color escapes with NO_COLOR set"
T kill-server
SOCK="memstep-tui-color-$$"
start 100 30 -- "$SRC/tests/tui/buddy.lua"
keys ' ' ' ' ' ' ' '
wait_for 'step 4/'
settle
screen_escapes | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[;m]' || fail "no colors without NO_COLOR"
echo "PASS"
