#!/usr/bin/env bash
# Under a memory limit the journal cannot grow: the TUI says where time
# travel ends, keeps working, and says why a motion back goes nowhere.
. "$(dirname "$0")/lib.sh"
wrap=$(mktemp)
trap 'T kill-server 2>/dev/null; rm -f "$wrap"' EXIT
printf '#!/usr/bin/env bash\nulimit -v 150000\nexec "%s" "$@"\n' "$MEMSTEP" >"$wrap"
chmod +x "$wrap"
MEMSTEP=$wrap
start 120 40 -- "$SRC/tests/scenarios/journal_full.lua"
keys ':' 'continue' Enter
for _ in $(seq 100); do screen | grep -q 'time travel now ends at step' && break; sleep 0.2; done
wait_for 'time travel now ends at step [0-9]+: the journal could not grow'
keys ':' 'goto 0' Enter
wait_for 'time travel ended at step [0-9]+: the journal is full'
keys ':' 'print(alloc_pages(2).order)' Enter
wait_for '^2'
keys x q
sleep 0.5
T list-panes >/dev/null 2>&1 && fail "memstep did not quit"
echo "PASS"
