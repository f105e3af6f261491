#!/usr/bin/env bash
# A REPL transcript test: cases/NAME.cmd is piped into `memstep --repl
# [ARGS]` (ARGS from cases/NAME.args, if any) in a scratch directory holding
# copies of the scenarios here; what it prints (stdout, then stderr and the
# exit status) must equal cases/NAME.out byte for byte.  cases/NAME.after, if
# any, runs next in the same directory (bash, with $MEMSTEP) and its output
# is compared too.  cases/NAME.facts, if any, lists lines worked out by
# hand from the kernel's rules (not from memstep's output) that the
# transcript must contain; they hold in --regen mode too, so a transcript
# is never only compared with itself.
#
# Piped mode must need no history: HOME is unset and XDG_STATE_HOME points at
# an empty directory that must still be empty afterwards.
#
# usage: run.sh NAME            compare (a diff on failure)
#        run.sh --regen NAME    rewrite cases/NAME.out from what memstep prints
set -u
here=$(cd "$(dirname "$0")" && pwd)
regen=0
if [ "${1:-}" = --regen ]; then
	regen=1
	shift
fi
name=${1:?usage: run.sh [--regen] NAME}
MEMSTEP=${MEMSTEP:-$here/../../build/memstep}
case $MEMSTEP in /*) ;; *) MEMSTEP=$PWD/$MEMSTEP ;; esac
export MEMSTEP
cmd=$here/cases/$name.cmd
want=$here/cases/$name.out
[ -f "$cmd" ] || { echo "no such case: $cmd" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/memstep-repl.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$here"/*.lua "$work"/
mkdir "$work/state"
args=()
if [ -f "$here/cases/$name.args" ]; then
	read -r -a args < "$here/cases/$name.args"
fi

got=$work/got
(
	cd "$work" || exit 2
	env -u HOME XDG_STATE_HOME="$work/state" LC_ALL=C NO_COLOR=1 \
		"$MEMSTEP" --repl "${args[@]}" < "$cmd" > out 2> err
	rc=$?
	cat out
	if [ -s err ]; then
		echo "[stderr]"
		cat err
	fi
	echo "[exit $rc]"
	rm -f out err
	if [ -f "$here/cases/$name.after" ]; then
		echo "[after]"
		env -u HOME XDG_STATE_HOME="$work/state" LC_ALL=C NO_COLOR=1 bash "$here/cases/$name.after" 2>&1
	fi
) > "$got"

status=0
if [ -n "$(ls -A "$work/state")" ]; then
	echo "FAIL $name: piped mode wrote under XDG_STATE_HOME:" >&2
	ls -lR "$work/state" >&2
	status=1
fi

facts=$here/cases/$name.facts
if [ -f "$facts" ]; then
	while IFS= read -r fact; do
		case $fact in '' | '#'*) continue ;; esac
		if ! grep -qF -- "$fact" "$got"; then
			echo "FAIL $name: the transcript lacks a fact worked out by hand: $fact" >&2
			status=1
		fi
	done < "$facts"
	[ $status = 0 ] || { [ $regen = 1 ] && echo "not rewriting $want" >&2; exit 1; }
fi

if [ $regen = 1 ]; then
	cp "$got" "$want"
	echo "wrote $want"
	exit $status
fi
if ! cmp -s "$want" "$got"; then
	echo "FAIL $name: the transcript differs from cases/$name.out (- expected, + got):" >&2
	diff -u --label expected --label got "$want" "$got" >&2
	echo "the changed lines with invisible bytes shown (cat -v):" >&2
	diff -u --label expected --label got "$want" "$got" | grep '^[-+][^-+]' | cat -v >&2
	status=1
fi
exit $status
