#!/usr/bin/env bash
# timed.sh LABEL TARGET_SECONDS COMMAND…: run it, report the time against
# the target.  A report, not a test: it exits with the command's status.
label=$1 target=$2
shift 2
start=$(date +%s.%N)
"$@" >/dev/null
rc=$?
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l 2>/dev/null || awk "BEGIN{print $end - $start}")
met=$(awk "BEGIN{print ($secs < $target) ? \"met\" : \"MISSED\"}")
printf '%s: %.2f s (target < %s s): %s\n' "$label" "$secs" "$target" "$met"
exit $rc
