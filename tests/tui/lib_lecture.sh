# Helpers for the lecture tests, on top of lib.sh.
# next_server: end this test's tmux server and use a fresh one for the next
# start (a new server on the old socket may meet the old one exiting).
next_server() {
	T kill-server 2>/dev/null
	SOCK="$SOCK-n"
}
