#!/usr/bin/env bash
# The LRU view: stepping onto a reclaim decision brings up the node's five
# lists as queues, head to tail, with each page's referenced mark; the page
# the step is about lit, the decision's text under the lists.
. "$(dirname "$0")/lib.sh"
start 140 44 -- "$SRC/scenarios/21-second-chance.lua"
continue_until 'which frame goes first'
keys ':' 'b shrink_folio' Enter
keys c
wait_for '▶ +[0-9]+ shrink_folio'
settle
s=$(screen)
echo "$s" | grep -q "─ LRU lists of node 0" || fail "the LRU view did not come up on a reclaim step"
for l in inactive_anon active_anon inactive_file active_file unevictable; do
	echo "$s" | grep -qE "$l +[0-9]+ " || fail "the $l list is not shown"
done
echo "$s" | grep -qE 'inactive_file +4 +0x[4-7]\*? 0x[4-7]\*? 0x[4-7]\*? 0x[4-7]\*?' || fail "the four file pages are not queued on inactive_file"
echo "$s" | grep -q '\* referenced  D dirty  W writeback  L mlocked' || fail "no legend"
echo "$s" | grep -qE 'inactive_file tail: frame 0x4 is referenced once' || fail "the decision on the tail page is not shown"
echo "PASS"
