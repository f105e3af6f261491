#!/usr/bin/env bash
# The man page names every option --help prints and every command of the
# command table, renders without warnings, and `meson install` puts it, the
# binary and the scenarios in place; an installed scenario is found by name.
set -u
MEMSTEP=${MEMSTEP:?} SRC=${SRC:?} BUILD=${BUILD:?}
fail() { echo "FAIL: $*"; exit 1; }
page="$SRC/assets/memstep.1"
for opt in $("$MEMSTEP" --help | grep -oE -- '--[a-z-]+' | sort -u); do
	grep -qF -- "$(echo "$opt" | sed 's/-/\\-/g')" "$page" || fail "the man page lacks $opt"
done
for cmd in $("$MEMSTEP" --reference | sed -nE 's/^\| `([a-z-]+).*/\1/p'); do
	grep -qE "^\.BR? $(echo "$cmd" | sed 's/-/\\\\-/g')( |$)" "$page" || fail "the man page lacks the command $cmd"
done
if command -v man >/dev/null; then
	warn=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warn" ] || fail "the man page renders with warnings: $warn"
fi
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$BUILD" --destdir "$dest" --no-rebuild --quiet >/dev/null 2>&1 || fail "meson install failed"
bin=$(find "$dest" -path '*/bin/memstep' -type f)
[ -x "$bin" ] || fail "memstep was not installed"
man1=$(find "$dest" -path '*/man1/memstep.1*' | head -1)
[ -n "$man1" ] || fail "the man page was not installed"
scen=$(find "$dest" -path '*/share/memstep/scenarios/01-buddy-basics.lua')
[ -n "$scen" ] || fail "the scenarios were not installed under share/memstep"
# by name: the installed directory (through MEMSTEP_PATH, as DESTDIR moved it)
out=$(MEMSTEP_PATH="/nonexistent:$(dirname "$scen")" "$bin" --batch --trace=none 01-buddy-basics) ||
	fail "memstep 01-buddy-basics did not run: $out"
echo "$out" | grep -q 'Buddy' || fail "the scenario found by name is not 01-buddy-basics: $out"
# the compiled-in place is the install prefix's
strings "$bin" | grep -q "share/memstep/scenarios" || fail "the binary does not know where scenarios are installed"
out=$(cd "$dest" && "$bin" --batch nosuch-scenario 2>&1)
[ $? -eq 2 ] || fail "an unknown name should exit 2"
echo "$out" | grep -q 'nosuch-scenario' || fail "the error does not name what was typed: $out"
echo "PASS"
