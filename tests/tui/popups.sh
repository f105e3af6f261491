#!/usr/bin/env bash
# At 80x24 the help and output popups fit and scroll (arrows, PgUp/PgDn,
# Home/End, the wheel), q closes them; the help's columns line up; F1 opens
# the help, F10 quits; / searches the event log; the wheel scrolls the pane
# under the pointer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_lecture.sh"
start 80 24 TERM=xterm-256color -- "$SRC/scenarios/04-watermarks.lua"
keys F1
wait_for '─ help'
wait_for 'lines 1-[0-9]+ of [0-9]+'
screen | grep -q 'space, s   step' || fail "the help does not start with the keys"
# every command's alias and help start in the same columns
cols=$(screen | grep -E '^ +:[a-z-]+ ' | awk '{ match($0, /:[a-z-]+ +[a-z]* +/); print RLENGTH + RSTART }' | sort -u)
[ "$(echo "$cols" | wc -l)" -eq 1 ] || fail "the help's command column does not line up: $cols"
keys End
wait_for ':quit +q +leave memstep'
screen | grep -q 'space, s   step' && fail "End did not scroll the help"
keys Home
wait_for 'space, s   step'
keys NPage
wait_for 'lines [0-9]+-[0-9]+ of'
screen | grep -qE 'lines 1-' && fail "PgDn did not scroll"
keys PPage
wait_for 'lines 1-'
keys Down
wait_for 'lines 2-'
# the wheel over the popup scrolls it (SGR reports: 65 down, 64 up)
T send-keys -l $'\e[<65;40;12M'
wait_for 'lines 5-'
T send-keys -l $'\e[<64;40;12M'
wait_for 'lines 2-'
keys q
settle
screen | grep -q '─ help' && fail "q did not close the help"
screen | grep -qE '^ step 0/' || fail "closing the help did something else"
# a long output popup scrolls the same way
keys : 'print(proc("zoneinfo"))' Enter
wait_for '─ output'
wait_for 'lines 1-[0-9]+ of'
keys End
wait_for 'lines [0-9]+-([0-9]+) of \1'
keys Escape
settle
screen | grep -q '─ output' && fail "Esc did not close the output"
# / searches the event log (reached steps only)
keys c
wait_for 'step 39/'
keys / 'low 300' Enter
wait_for '/low 300: step [0-9]+'
hit=$(screen | sed -nE 's/.*\/low 300: step ([0-9]+).*/\1/p')
screen | cut -c33- | tr -s ' ' | tr -d '\n' | grep -qE " $hit watermark ok Normal order [0-9]: free [0-9]+, usable [0-9]+ vs low 300" ||
	fail "the search hit (step $hit) is not in the log"
# an empty / repeats the search from the hit
keys / Enter
wait_for "/low 300: step [0-9]+"
next=$(screen | sed -nE 's/.*\/low 300: step ([0-9]+).*/\1/p')
[ "$next" != "$hit" ] || fail "repeating the search did not find another step ($hit, then $next)"
keys / slowpath Enter
wait_for '/slowpath: not in the 39 steps'
# the wheel over the event log scrolls it
before=$(screen | sed -n '/─ events/,$p')
T send-keys -l $'\e[<65;50;20M'
sleep 0.3
[ "$(screen | sed -n '/─ events/,$p')" != "$before" ] || fail "the wheel did not scroll the event log"
p=$(pid)
keys F10
for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
kill -0 "$p" 2>/dev/null && fail "F10 did not quit"
echo "PASS"
