#!/usr/bin/env bash
# Compaction on the frame map: at a scanner's step both cursors stand on
# the map (▶ the migrate scanner at the zone's start, ◀ the free scanner
# near its end) with the legend naming them; pages isolated for migration
# are drawn as ●; a migration's step names its source and target in the
# event log.
. "$(dirname "$0")/lib.sh"
start 120 40 -- "$SRC/scenarios/28-compaction.lua"
keys : 'break compact_scan' Enter
continue_until 'migrate scanner: 0x0\.\.'
s=$(screen)
echo "$s" | grep -q '▶' || fail "no migrate scanner cursor on the frame map"
echo "$s" | grep -q '◀' || fail "no free scanner cursor on the frame map"
echo "$s" | grep -q 'scanners' || fail "the legend does not name the scanners"
echo "$s" | grep -q '●' || fail "no isolated frame is highlighted"
keys : 'delete' Enter : 'break remove_migration_pte' Enter
continue_until 'remove_migration_pte'
screen | grep -qE 'remove_migration_pte pid 1 0x[0-9a-f]+: migration entry 0x[0-9a-f]+' ||
	fail "the event log does not show the PTE update"
keys : 'delete' Enter : 'break migrated' Enter
continue_until 'moved to frame 0x'
screen | grep -qE 'frame 0x[0-9a-f]+ moved to frame 0x[0-9a-f]+: 1 PTE\(s\) now point at it' ||
	fail "the event log does not show the migration source and target"
echo "PASS"
