#!/usr/bin/env bash
# Panes laid out from their content: at 120x36 no event, zone line or
# caption is cut (a watermark check's verdict comes first and long events
# wrap); at 80x24 lines are abbreviated at a word's end, the zone lines keep
# all three watermarks and the step at the cursor is shown whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_lecture.sh"
start 120 36 -- "$SRC/scenarios/04-watermarks.lua"
continue_until 'will the next one fail'
s=$(screen)
echo "$s" | grep -q '…' && fail "something is cut at 120x36"
# each watermark check with its verdict
[ "$(echo "$s" | grep -cE '[0-9]+ watermark (ok|FAIL) ')" -ge 3 ] || fail "watermark verdicts are missing"
echo "$s" | grep -qE '^Normal +free 300  min 240 low 300 high 360' || fail "a zone line is cut"
# the caption whole, over two rows
echo "$s" | sed -n 2,3p | tr -d '\n' | grep -q 'reserve 15 = 20).*will the *next one fail?' || fail "the caption is cut"
# a split's tail wraps onto the next row rather than being lost
keys ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' '
wait_for 'step 126/'
settle
screen | grep -qE '^ +goes on the free list|^ +free list$|the free list$' || fail "a split event lost its tail"
next_server

start 80 24 -- "$SRC/scenarios/08-page-walk-x86_64.lua"
continue_until 'led to physical 0x1abc'
s=$(screen)
echo "$s" | grep -qE '^DMA +[0-9]+ free m128 l160 h192' || fail "the zone line lost a watermark at 80x24"
# the step at the cursor is whole, over a few rows
echo "$s" | tr -s ' ' | tr -d '\n' | grep -q '46 translated 0x7f1234567abc is physical address 0x1abc: frame 0x1 + offset 0xabc' ||
	fail "the current step is cut at 80x24"
# other events are abbreviated at a word's end: what shows (less the
# ellipsis) is the batch trace's text of that step up to a space
trace=$("$MEMSTEP" --batch "$SRC/scenarios/08-page-walk-x86_64.lua")
cut=0
while IFS= read -r row; do
	step=$(echo "$row" | sed -E 's/^ *([0-9]+) .*/\1/')
	shown=$(echo "$row" | sed -E 's/…$//')
	full=$(echo "$trace" | grep -E "^ *$step [a-z_]+ " | head -1 | sed -E 's/^ +//')
	case "$full" in
	"$shown "*) cut=$((cut + 1)) ;;
	*) fail "step $step is cut mid-word: '$shown' of '$full'" ;;
	esac
done < <(echo "$s" | cut -c33- | grep -E '^ +[0-9]+ [a-z_]+ .*…$' | sed -E 's/^ +//')
[ "$cut" -ge 3 ] || fail "expected abbreviated events at 80x24, found $cut"
echo "PASS"
