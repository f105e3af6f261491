# Shared by scripts/run, scripts/test and scripts/bench: install what is
# missing (Debian 12, as root), then configure and build a build directory.

MEMSTEP_PACKAGES="meson ninja-build pkg-config gcc liblua5.4-dev libncurses-dev libreadline-dev libcmocka-dev tmux jq"

ensure_packages() {
	local missing=()
	for p in $MEMSTEP_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "memstep: installing ${missing[*]}" >&2
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	$sudo apt-get update -qq >&2 &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# ensure_build DIR [meson options…]: configure DIR once, then build it.
ensure_build() {
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log" >&2; return 1; }
		rm -f "$dir.setup.log"
	fi
	ninja -C "$dir" >&2
}
