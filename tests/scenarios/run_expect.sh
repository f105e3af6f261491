#!/usr/bin/env bash
# run_expect.sh MEMSTEP CASE [OPTIONS…]: run a scenario that must fail, from
# tests/scenarios, with OPTIONS given to memstep.  CASE's header says how:
#   -- expect: CODE TEXT   the exit status, and text the message must hold
#                          (its file:line)
#   -- and: TEXT           more text the message must hold (any number)
# At least one of those texts must say what went wrong in words (hold a
# space), not only where: a case that names only file:line would pass
# with any error at that place, a syntax error included.
#   -- run: FILE           run FILE instead of CASE (e.g. a missing file)
#   -- args: OPTIONS…      more options for memstep (split at spaces)
# The message is stderr, or stdout for exit 1 (failed expectations go there).
# The run must end within $TIMEOUT seconds (default 10).
set -u
memstep=$1 case=$2
shift 2
cd "$(dirname "$0")" || exit 1
read -r want first < <(sed -n 's/^-- expect: //p' "$case")
target=$(sed -n 's/^-- run: //p' "$case")
read -ra args < <(sed -n 's/^-- args: //p' "$case")
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout "${TIMEOUT:-10}" "$memstep" --batch "${target:-$case}" --trace=none "${args[@]}" "$@" \
	>"$out" 2>"$err"
rc=$?
msg=$err
[ "$want" = 1 ] && msg=$out
fail() {
	echo "FAIL $case: $*"
	echo "--- stdout:"; cat "$out"
	echo "--- stderr:"; cat "$err"
	exit 1
}
[ "$rc" -eq 124 ] && fail "did not end within ${TIMEOUT:-10} s"
[ "$rc" -eq "$want" ] || fail "exit $rc, expected $want"
[ -n "$want" ] || fail "no '-- expect: CODE TEXT' line"
texts=$(echo "$first"; sed -n 's/^-- and: //p' "$case")
grep -q ' ' <<<"$texts" || fail "no expected text says what went wrong (add an '-- and: TEXT' line)"
while IFS= read -r text; do
	grep -qF -- "$text" "$msg" || fail "the message lacks: $text"
done <<<"$texts"
echo "ok $case: $(head -c 300 "$msg")"
