#!/usr/bin/env bash
# The README's command and key reference is what `memstep --reference` prints
# from the command table.  Regenerate it with that command when this fails.
# Both sides must be there: a binary that prints nothing and a README
# without the markers must not pass as "equal".
set -u
fail() { echo "FAIL: $*"; exit 1; }
want=$("$MEMSTEP" --reference) || fail "memstep --reference exited $?"
[ -n "$want" ] || fail "memstep --reference printed nothing"
# The table names every command DESIGN.md promises, each in its own row.
for cmd in step next continue reverse-step reverse-next reverse-continue goto break watch \
	delete info list play pause restart run save help quit; do
	echo "$want" | grep -q "^| \`$cmd\b" || fail "memstep --reference has no row for '$cmd'"
done
readme=$SRC/README.md
[ "$(grep -c '^<!-- reference:begin -->$' "$readme")" -eq 1 ] ||
	fail "README.md needs exactly one <!-- reference:begin --> line"
[ "$(grep -c '^<!-- reference:end -->$' "$readme")" -eq 1 ] ||
	fail "README.md needs exactly one <!-- reference:end --> line"
have=$(sed -n '/^<!-- reference:begin -->$/,/^<!-- reference:end -->$/p' "$readme" | sed '1d;$d')
[ -n "$have" ] || fail "README.md's reference (between the markers) is empty or the markers are out of order"
if [ "$want" != "$have" ]; then
	echo "FAIL: README.md's reference differs from memstep --reference:"
	diff <(echo "$have") <(echo "$want")
	exit 1
fi
echo PASS
