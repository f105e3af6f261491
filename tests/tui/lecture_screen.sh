#!/usr/bin/env bash
# A lecture scenario at projector size: the source pane (tab-indented code
# at the right edge) must not spill onto other panes, and the caption must
# stand out in its own colors.
. "$(dirname "$0")/lib.sh"
start 160 48 -- "$SRC/scenarios/01-buddy-basics.lua"
keys ' ' ' ' n
wait_for 'step 8/'
settle
screen | grep -qE '^DMA +15 free' || fail "the free lists header is damaged"
screen | grep -q 'expand() kept the lower half' || fail "no narration in the caption"
# the caption line: white on blue in the dark theme
screen_escapes | sed -n 2p | grep -q $'\e\\[[0-9;]*44m' || fail "the caption has no background color"
# the source pane shows the line the script stands at, tabs expanded
screen | grep -qE '▶ +49 local b = alloc_pages\(1\)' || fail "the source pane does not mark line 49"
echo "PASS"
