#!/usr/bin/env bash
# lua.sh MEMSTEP: `memstep course … --lua` writes a scenario that runs under
# --check and reaches what the simulator computes: the same final hit and
# miss counts for paging-policy, the same final free list for malloc.
set -u
memstep=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$memstep" course paging-policy -s 3 -p CLOCK -n 40 -C 4 --lua >"$tmp/pp.lua" || fail "paging --lua"
got=$("$memstep" --batch --check --trace=none "$tmp/pp.lua" | grep " hits, " | tail -1)
want=$("$memstep" course paging-policy -s 3 -p CLOCK -n 40 -C 4 -c | sed -n 's/^FINALSTATS hits \([0-9]*\)   misses \([0-9]*\).*/-- \1 hits, \2 misses/p')
[ -n "$want" ] && [ "$got" = "$want" ] || fail "paging: scenario says '$got', the simulator '$want'"
"$memstep" course malloc -s 5 -n 30 -C -p WORST --lua >"$tmp/m.lua" || fail "malloc --lua"
echo 'local l = {} for _, r in ipairs(fl.list) do l[#l + 1] = "[ addr:" .. r.addr .. " sz:" .. r.size .. " ]" end
print("Free List [ Size " .. #fl.list .. " ]: " .. table.concat(l))' >>"$tmp/m.lua"
got=$("$memstep" --batch --check --trace=none "$tmp/m.lua" | grep "^Free List" | tail -1)
want=$("$memstep" course malloc -s 5 -n 30 -C -p WORST -c | grep '^Free List' | tail -1)
[ "$got" = "$want" ] || fail "malloc: scenario ends with '$got', the simulator with '$want'"
echo PASS
