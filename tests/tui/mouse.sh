#!/usr/bin/env bash
# A mouse click on the frame map shows that frame and puts the cursor there;
# Enter shows the frame under the cursor.
. "$(dirname "$0")/lib.sh"
# as an xterm, whose SGR mouse reports we can type into the pane
start 120 36 TERM=xterm-256color -- "$SRC/tests/tui/buddy.lua"
keys n
wait_for 'step 8/'
settle
# the frame map's first row starts at screen row 5; cells are 8 wide after a
# 9-column gutter from column 42: column 62 (1-based) is the second cell
T send-keys -l $'\e[<0;62;5M' && T send-keys -l $'\e[<0;62;5m'
wait_for 'pfn 0x1 \(phys 0x10000\)'
keys x
settle
# the click moved the frame cursor there; h moves it back to pfn 0
keys h Enter
wait_for 'pfn 0x0 \(phys 0x0\): allocated'
echo "PASS"
