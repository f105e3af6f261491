#!/usr/bin/env bash
# At a pause nothing ahead of the cursor gives the answer away: the steps the
# scenario has already recorded for the next operation are not listed, not
# counted in the status line, and the source pane can hide the expectations.
# Once visited, stepping back shows them (dimmed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_lecture.sh"
start 160 48 -- "$SRC/scenarios/04-watermarks.lua"
continue_until 'will the next one fail\?'
s=$(screen)
echo "$s" | grep -qE '[0-9]+ slowpath ' && fail "the slow path of the next allocation is on screen at the pause"
echo "$s" | grep -qE '^ step 115/115\+' || fail "the status line counts steps not reached"
echo "$s" | sed -n 2,4p | grep -q 'No: the slow path' && fail "the next narration is shown"
echo "$s" | grep -qE '▶ +115 done' || fail "the step at the cursor is not marked"
# S: the expect lines under the cursor, which say the answer, are hidden
echo "$s" | grep -q 'expect_eq(slowpaths, 1' || fail "the source pane does not show the next lines"
keys S
wait_for 'expects hidden'
screen | grep -q 'expect_eq(slowpaths' && fail "S did not hide the expect lines"
screen | grep -qE '^ *[0-9]+ p = alloc_pages|▶ +87 p = alloc_pages' || fail "S hid more than the expect lines"
keys S
wait_for 'source: hidden'
screen | grep -q 'alloc_pages(0)' && fail "the second S did not hide the source pane"
keys S
# taking the next operation shows it; stepping back keeps it listed, dimmed
keys n
wait_for 'slowpath +fast path failed'
keys N
wait_for '^ step 115/128\+'
screen | grep -qE '[0-9]+ slowpath ' || fail "visited steps are not listed after stepping back"
next_server

# 08: paused before the translate, its physical address is nowhere
start 160 48 -- "$SRC/scenarios/08-page-walk-x86_64.lua"
continue_until 'map\(\) made the missing PUD'
s=$(screen)
echo "$s" | grep -qiE 'pa 0x|is physical 0x|translated' && fail "the translation's result is on screen before it"
echo "$s" | grep -qE '[0-9]+ (tlb_miss|walk|translated) ' && fail "the walk's steps are listed before the cursor reached them"
next_server

# --no-source starts without the pane
start 160 48 -- --no-source "$SRC/scenarios/04-watermarks.lua"
screen | grep -q '04-watermarks.lua ─' && fail "--no-source still shows the source pane"
echo "PASS"
