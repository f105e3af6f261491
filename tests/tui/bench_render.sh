#!/usr/bin/env bash
# memstep --bench-render: draws offscreen and reports the time per frame;
# a scenario it cannot read or a terminal curses cannot start is an error
# with a message and exit 1, nothing on stdout, and (under the sanitizers)
# nothing leaked on the way out.
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
fail() { echo "FAIL: $*"; exit 1; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
run() { "$MEMSTEP" --bench-render "$@" >"$out" 2>"$err" </dev/null; }

run 5 "$SRC/tests/tui/buddy.lua" || fail "exit $? on a good scenario: $(cat "$err")"
grep -qE '^TUI: [0-9]+\.[0-9]{3} ms per frame at 200x60' "$out" || fail "no timing line: $(cat "$out")"

run 5 "$SRC/tests/tui/no-such-scenario.lua"
rc=$?
[ "$rc" -eq 1 ] || fail "exit $rc for a missing scenario"
[ -s "$out" ] && fail "a failed run printed a timing: $(cat "$out")"
grep -q 'cannot read .*no-such-scenario.lua' "$err" || fail "no message for the missing scenario: $(cat "$err")"

TERM=no-such-terminal run 5 "$SRC/tests/tui/buddy.lua"
rc=$?
[ "$rc" -eq 1 ] || fail "exit $rc for an unknown terminal"
[ -s "$out" ] && fail "a failed run printed a timing: $(cat "$out")"
grep -q "cannot start curses on terminal type 'no-such-terminal'" "$err" || fail "no message for the terminal: $(cat "$err")"
echo PASS
