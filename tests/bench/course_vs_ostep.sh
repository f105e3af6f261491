#!/usr/bin/env bash
# course_vs_ostep.sh MEMSTEP: `memstep course` against the OSTEP simulators
# themselves on the same input, CPU seconds (user + sys) of each, and the
# ratio.  The simulators are not in this repository: point OSTEP_HOMEWORK at
# a copy of remzi-arpacidusseau/ostep-homework (its vm-freespace/malloc.py
# and vm-beyondphys-policy/paging-policy.py).  A report: always exits 0.
memstep=$1
dir=${OSTEP_HOMEWORK:-}
mops=${MALLOC_OPS:-1000000}
refs=${PAGING_REFS:-10000000}
if [ -z "$dir" ] || [ ! -f "$dir/vm-freespace/malloc.py" ]; then
	echo "course vs OSTEP: set OSTEP_HOMEWORK to a copy of ostep-homework to compare (skipped)"
	exit 0
fi
cpu() { # cpu OUTFILE CMD…: run, print user+sys seconds
	local out=$1
	shift
	/usr/bin/time -f "%U %S" -o "$out.time" "$@" >"$out" 2>/dev/null
	awk '{ printf "%.2f", $1 + $2 }' "$out.time"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
compare() { # compare LABEL SIMULATOR.py MEMSTEP-SIMULATOR ARGS…
	local label=$1 py=$2 sim=$3
	shift 3
	local a b same
	a=$(cpu "$tmp/ms" "$memstep" course "$sim" "$@")
	b=$(cpu "$tmp/py" python3 "$py" "$@")
	cmp -s "$tmp/ms" "$tmp/py" && same="same output" || same="OUTPUTS DIFFER"
	awk -v l="$label" -v a="$a" -v b="$b" -v s="$same" \
		'BEGIN { printf "%s: memstep %.2f s, simulator %.2f s CPU: %.0fx faster (target 50x), %s\n", l, a, b, (a > 0 ? b / a : 0), s }'
}
compare "free list, $mops random ops (-c -C)" "$dir/vm-freespace/malloc.py" malloc \
	-s 1 -n "$mops" -S 10000 -r 50 -c -C
compare "replacement, $refs FIFO references (-c -N)" "$dir/vm-beyondphys-policy/paging-policy.py" \
	paging-policy -s 1 -n "$refs" -p FIFO -c -N
compare "replacement, $refs LRU references, 50 frames (-c -N)" "$dir/vm-beyondphys-policy/paging-policy.py" \
	paging-policy -s 1 -n "$refs" -p LRU -C 50 -m 200 -c -N
