# Helpers for tmux-driven screen tests: start memstep in a detached tmux of a
# fixed size, type keys, read the screen.  Each test has its own tmux server.
set -u
MEMSTEP=${MEMSTEP:?path to memstep}
SRC=${SRC:?source root}
SOCK="memstep-tui-$$"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
T() { tmux -L "$SOCK" "$@"; }
trap 'T kill-server 2>/dev/null' EXIT

fail() { echo "FAIL: $*"; echo "--- screen ---"; screen; exit 1; }

# start COLS ROWS [ENV=VAL…] -- ARGS…: memstep in a new window
start() {
	local cols=$1 rows=$2
	shift 2
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	T new-session -d -x "$cols" -y "$rows" env "${envs[@]}" "$MEMSTEP" "$@"
	wait_for 'step [0-9]'
}

keys() { T send-keys "$@"; }
screen() { T capture-pane -p; }
screen_escapes() { T capture-pane -p -e; }

# wait_for REGEX: until the screen matches (5 s at most)
wait_for() {
	for _ in $(seq 50); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	fail "the screen never showed /$1/"
}

# settle: until two captures a moment apart agree (animation over); a
# screen that is still changing after about 5 s fails the test
settle() {
	local a b
	for _ in $(seq 30); do
		a=$(screen); sleep 0.15; b=$(screen)
		[ "$a" = "$b" ] && return 0
	done
	fail "the screen never settled"
}

# continue_until REGEX: press c (the scenario may pause first) until the
# screen matches, five times at most
continue_until() {
	for _ in 1 2 3 4 5; do
		keys c
		settle
		screen | grep -qE -- "$1" && return 0
	done
	fail "continue never reached /$1/"
}

pid() { T list-panes -F '#{pane_pid}'; }
