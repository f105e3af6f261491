#!/usr/bin/env bash
# Quiz mode: at each pause the screen asks what the next operation will do
# (choices built from its events), reveals the answer and keeps the score;
# stepping back and forth asks nothing twice; Q turns it on; a scenario's
# ask{} question is posed as written; in batch, --quiz=ANSWERS grades a file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_lecture.sh"
start 100 30 -- --quiz "$SRC/scenarios/04-watermarks.lua"
screen | grep -q 'quiz 0/0' || fail "the status line has no quiz score"
keys c
wait_for '─ quiz'
wait_for 'which zone serves it\?'
screen | grep -qE '2\) DMA32' || fail "the zones are not among the choices"
screen | grep -qE '4\) none: it fails' || fail "failing is not among the choices"
# the answer's own events are not on screen while it is asked
screen | grep -qE '[0-9]+ done +allocated order-0 block 0x40' && fail "the answer is on screen"
keys 2
wait_for 'Right\.'
wait_for 'allocated order-0 block 0x40 from DMA32'
keys x
settle
screen | grep -q '─ quiz' && fail "the answer box did not close"
screen | grep -q 'quiz 1/1' || fail "the score is not 1/1"
# the next pause: a wrong answer
keys c
wait_for 'which zone serves it\?'
keys 3
wait_for 'No: it is 1\) DMA'
keys x
wait_for 'quiz 1/2'
# back over the pause and forward again: not asked twice
keys C
settle
keys c
settle
screen | grep -q '─ quiz' && fail "the same question was asked twice"
next_server

# Q turns quiz mode on in a session started without it
start 100 30 -- "$SRC/scenarios/04-watermarks.lua"
keys Q
wait_for 'quiz on'
keys c
wait_for 'which zone serves it\?'
next_server

# a scenario's own question, its answer worked out after the operation
start 100 30 -- --quiz "$SRC/tests/tui/ask.lua"
keys c
wait_for 'how many merges\?'
keys a
wait_for 'Right\.'
keys x c
wait_for 'Which pfn does the next order-0'
keys 3
wait_for 'No: it is 1\) 0x2'
next_server

# batch: grade a file of answers
answers=$(mktemp)
trap 'rm -f "$answers"; T kill-server 2>/dev/null' EXIT
printf '# 04 predictions\nDMA32\n\n1\nnormal\n4\nnormal\nb\n' > "$answers"
out=$("$MEMSTEP" --batch --quiz="$answers" "$SRC/scenarios/04-watermarks.lua")
rc=$?
[ "$rc" -eq 1 ] || fail "a wrong answer should exit 1, not $rc"
echo "$out" | grep -q '^quiz: 5 of 6 right$' || fail "batch score wrong: $out"
echo "$out" | grep -q 'answer b: wrong, it is 1) DMA' || fail "the wrong answer is not graded: $out"
printf 'none\n1\n' > "$answers"
"$MEMSTEP" --batch --quiz="$answers" "$SRC/tests/tui/ask.lua" | grep -q '^quiz: 2 of 2 right$' ||
	fail "ask{} questions are not graded"
"$MEMSTEP" --batch --quiz=/nonexistent "$SRC/tests/tui/ask.lua" 2>/dev/null
[ $? -eq 2 ] || fail "a missing answers file should exit 2"
echo "PASS"
