#!/usr/bin/env bash
# Piped mode needs no history: the stepping transcript comes out the same,
# exit 0, whether HOME and XDG_STATE_HOME are unset, XDG_STATE_HOME is a
# directory (that must stay empty), or XDG_STATE_HOME cannot be made at all.
set -u
here=$(cd "$(dirname "$0")" && pwd)
MEMSTEP=${MEMSTEP:-$here/../../build/memstep}
case $MEMSTEP in /*) ;; *) MEMSTEP=$PWD/$MEMSTEP ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/memstep-history.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$here"/*.lua "$work"/
mkdir "$work/state" "$work/home"
touch "$work/not-a-dir"
status=0

run() { # label, then env assignments for env(1)
	local label=$1
	shift
	(
		cd "$work" || exit 2
		env -u HOME -u XDG_STATE_HOME "$@" LC_ALL=C "$MEMSTEP" --repl walk.lua \
			< "$here/cases/stepping.cmd" > out 2> err
		rc=$?
		cat out
		if [ -s err ]; then
			echo "[stderr]"
			cat err
		fi
		echo "[exit $rc]"
		rm -f out err
	) > "$work/got"
	if ! cmp -s "$here/cases/stepping.out" "$work/got"; then
		echo "FAIL ($label): the transcript differs from cases/stepping.out:" >&2
		diff -u --label expected --label got "$here/cases/stepping.out" "$work/got" >&2
		status=1
	else
		echo "ok ($label)"
	fi
}

run "HOME and XDG_STATE_HOME unset"
run "XDG_STATE_HOME a fresh directory, HOME unset" XDG_STATE_HOME="$work/state"
if [ -n "$(ls -A "$work/state")" ]; then
	echo "FAIL: piped mode wrote under XDG_STATE_HOME:" >&2
	ls -lR "$work/state" >&2
	status=1
fi
run "XDG_STATE_HOME under a file, HOME unset" XDG_STATE_HOME="$work/not-a-dir/state"
run "XDG_STATE_HOME unset, HOME a fresh directory" HOME="$work/home"
if [ -n "$(ls -A "$work/home")" ]; then
	echo "FAIL: piped mode wrote under HOME:" >&2
	ls -lR "$work/home" >&2
	status=1
fi
exit $status
