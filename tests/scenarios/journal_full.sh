#!/usr/bin/env bash
# journal_full.sh MEMSTEP: under a memory limit (ulimit -v) the journal
# cannot grow.  memstep must not abort: it says where time travel ends, the
# scenario runs on to its end, motions say they cannot go back, and typed
# operations and info still work.
set -u
memstep=$1
cd "$(dirname "$0")" || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
(
	ulimit -v 150000
	printf 'continue\nreverse-step\ngoto 0\nx = alloc_pages(1)\nprint("typed", x.order)\ninfo zones\nquit\n' |
		timeout 60 "$memstep" --repl journal_full.lua
) >"$out" 2>&1
rc=$?
fail() {
	echo "FAIL journal_full: $*"
	cat "$out"
	exit 1
}
[ "$rc" -eq 0 ] || fail "exit $rc, expected 0"
for text in "(time travel now ends at step " "the journal could not grow" "scenario done" \
	"(time travel ended at step " "typed	1" "DMA32"; do
	grep -qF -- "$text" "$out" || fail "the output lacks: $text"
done
# The horizon is said once; each refused motion says so again.
[ "$(grep -c 'time travel now ends' "$out")" -eq 1 ] || fail "the horizon is not said exactly once"
[ "$(grep -c 'time travel ended at step' "$out")" -eq 2 ] || fail "reverse-step and goto do not say why"
echo "ok journal_full: $(grep -F 'time travel now ends' "$out" | head -c 200)"
