#!/usr/bin/env bash
# determinism.sh MEMSTEP CHECK: the same input gives the same output, byte
# for byte (DESIGN.md: no hidden randomness, no dependence on time).
#   files    every golden, check and teaching scenario gives the same text
#            and the same JSON twice; --seed changes nothing for those that
#            do not use math.random
#   seed     math.random repeats for the same machine{seed=}, whatever --seed
#            says; machine{} without a seed follows --seed
#   default  math.random before any machine{} follows --seed too
#   pairs    pairs() over string keys visits them in the same order every run
#            (Lua seeds its string hashes from addresses and the time)
set -u
memstep=$1 check=$2
here=$(cd "$(dirname "$0")" && pwd)
status=0

# same WHAT A B / differ WHAT A B: compare two outputs.
same() {
	if [ "$2" == "$3" ]; then echo "ok $1"; return; fi
	echo "FAIL $1: the outputs differ"
	diff <(echo "$2") <(echo "$3") | head -20
	status=1
}
differ() {
	if [ "$2" != "$3" ]; then echo "ok $1"; return; fi
	echo "FAIL $1: the outputs are the same"
	status=1
}
# run FILE OPTIONS…: the output and exit status of a scenario, run from its folder.
run() {
	local f=$1
	shift
	(cd "$(dirname "$f")" && "$memstep" --batch "$(basename "$f")" "$@" 2>&1; echo "exit $?")
}
# draw SEED CODE: what a chunk of Lua given with -e prints.
draw() {
	"$memstep" --batch --seed "$1" -e "$2" 2>&1
}
numbers='local t = {} for i = 1, 6 do t[i] = math.random(1, 1 << 40) end print(table.concat(t, " "))'

case $check in
files)
	# Outputs go to files, never into shell strings: under meson's
	# MALLOC_PERTURB_ bash's growing of a long string costs seconds.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# files_same WHAT A B: compare two output files.
	files_same() {
		if cmp -s "$2" "$3"; then echo "ok $1"; return; fi
		echo "FAIL $1: the outputs differ"
		diff "$2" "$3" | head -20
		status=1
	}
	for f in "$here"/golden/*.lua "$here"/checks/*.lua "$here"/../../scenarios/*.lua; do
		[ -e "$f" ] || continue
		name=${f#"$here"/}
		run "$f" >"$tmp/base"
		run "$f" >"$tmp/again"
		files_same "$name: text twice" "$tmp/base" "$tmp/again"
		run "$f" --trace=json >"$tmp/json"
		run "$f" --trace=json >"$tmp/again"
		files_same "$name: JSON twice" "$tmp/json" "$tmp/again"
		grep -q 'math%.random\|math\.random' "$f" && continue
		for seed in 1 987654321; do
			run "$f" --seed "$seed" >"$tmp/again"
			files_same "$name: --seed $seed" "$tmp/base" "$tmp/again"
		done
	done
	;;
seed)
	fixed="machine{seed = 42} $numbers"
	same "machine{seed=42} twice" "$(draw 1 "$fixed")" "$(draw 1 "$fixed")"
	same "machine{seed=42} whatever --seed" "$(draw 1 "$fixed")" "$(draw 2 "$fixed")"
	same "machine{seed=42} twice in one run" "$(draw 1 "$fixed $fixed" | sed -n 1p)" \
		"$(draw 1 "$fixed $fixed" | sed -n 2p)"
	free="machine{} $numbers"
	same "machine{} with --seed 7 twice" "$(draw 7 "$free")" "$(draw 7 "$free")"
	same "machine{} with --seed 7 is machine{seed=7}" "$(draw 7 "$free")" "$(draw 1 "machine{seed = 7} $numbers")"
	differ "machine{} with --seed 7 and 8" "$(draw 7 "$free")" "$(draw 8 "$free")"
	;;
default)
	same "no machine{}, --seed 7 twice" "$(draw 7 "$numbers")" "$(draw 7 "$numbers")"
	differ "no machine{}, --seed 7 and 8" "$(draw 7 "$numbers")" "$(draw 8 "$numbers")"
	;;
pairs)
	f=$here/determinism/pairs_order.lua
	first=$(run "$f")
	for i in 2 3 4 5 6; do same "pairs_order.lua: run $i as run 1" "$first" "$(run "$f")"; done
	;;
*)
	echo "determinism.sh: no check '$check'"
	exit 2
	;;
esac
exit "$status"
