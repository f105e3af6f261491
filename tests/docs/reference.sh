#!/usr/bin/env bash
# The README's command and key reference is what `memstep --reference` prints
# from the command table.  Regenerate it with that command when this fails.
set -u
want=$("$MEMSTEP" --reference)
have=$(sed -n '/<!-- reference:begin -->/,/<!-- reference:end -->/p' "$SRC/README.md" | sed '1d;$d')
if [ "$want" != "$have" ]; then
	echo "FAIL: README.md's reference differs from memstep --reference:"
	diff <(echo "$have") <(echo "$want")
	exit 1
fi
echo PASS
