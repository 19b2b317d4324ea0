#!/bin/sh
# test-readme.sh - every command line of README.md's ```sh blocks, in
# order, as a reader on a fresh machine types them, after `make install`
# (here into a DESTDIR: /usr/local in a line becomes the staged prefix).
# A line that fails fails the test.
#
# The lines run in a scratch directory, where ./kscope is the built one;
# `make` runs in the build directory, with DESTDIR set.  Lines that cannot
# run here are skipped with a reason, and say so:
#   ./setup.sh            the tree is built already (make check runs after
#                         it); `./setup.sh && REST` runs REST
#   make check/distcheck  the suite this test is part of
#   --enable-sanitizers   rebuilds the tree (tests/test-reconfigure.sh and
#                         .ci/run cover it)
#   kscope record         needs root and BPF; without them its -o trace is
#                         made by tests/test-mktrace, so later lines run
#   kscope tui            runs in a tmux pane (tests/tui-lib.sh) and quits
#   sqlite3, man          need those programs
set -u
srcdir=$(cd "${srcdir:-.}" && pwd) || exit 99
README=$srcdir/README.md
BUILD=$(pwd)
KSCOPE_BIN=$BUILD/kscope
MKTRACE=$BUILD/tests/test-mktrace
[ -f "$README" ] || { echo "SKIP: no $README"; exit 77; }
[ -x "$KSCOPE_BIN" ] || { echo "SKIP: $KSCOPE_BIN not built"; exit 77; }
[ -x "$MKTRACE" ] || { echo "SKIP: $MKTRACE not built"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test-readme.XXXXXX") || exit 99
trap 'command -v tui_stop >/dev/null && tui_stop; rm -rf "$TMP"' EXIT
fails=0 ran=0 skipped=0

ROOT=$TMP/root
prefix=$(sed -n 's/^prefix = //p' Makefile)
[ -n "$prefix" ] || { echo "FAIL: no prefix in Makefile"; exit 99; }
export PATH="$ROOT$prefix/bin:$PATH" MANPATH="$ROOT$prefix/share/man"
# An extension built with the sanitizers loads only into a sqlite3 that
# starts with their runtimes (as in tests/test-sqlext.sh).
SAN_RT=$(ldd "$BUILD/.libs/kscope.so" 2>/dev/null |
	awk '$1 ~ /^lib(asan|ubsan)\.so/ { printf "%s ", $3 }')

# what the lines call: make in the build directory, staged
make() { command "${MAKE:-make}" -C "$BUILD" DESTDIR="$ROOT" "$@"; }
sqlite3() { LD_PRELOAD="$SAN_RT${LD_PRELOAD:+ $LD_PRELOAD}" command sqlite3 "$@"; }

mkdir "$TMP/work" && ln -s "$KSCOPE_BIN" "$TMP/work/kscope" || exit 99
cd "$TMP/work" || exit 99

can_record() {
	[ "$(id -u)" -eq 0 ] && [ -r /sys/kernel/btf/vmlinux ] &&
		"$KSCOPE_BIN" record -q -f -e proc -d 0.1 -o "$TMP/probe.kscope" \
			>/dev/null 2>&1
}
if can_record; then record=yes; else record=no; fi

skip() { # LINE REASON
	echo "skip: $1"
	echo "      ($2)"
	skipped=$((skipped + 1))
}

# tui LINE: run it in a tmux pane, wait for the overview, quit with q
tui() {
	command -v tmux >/dev/null || { skip "$1" "no tmux"; return; }
	. "$srcdir/tests/tui-lib.sh"
	tui_start 80 24 || { skip "$1" "tmux does not start"; return; }
	tui_run "$1"
	if tui_wait 'Overview' && tui_keys q && tui_wait '^tui-prompt\$$' &&
	   tui_run 'echo readme-rc=$?' && tui_wait 'readme-rc=0'; then
		echo "ok:   $1 (quit with q)"
	else
		echo "FAIL: $1"
		tui_screen | sed 's/^/    /'
		fails=$((fails + 1))
	fi
	ran=$((ran + 1))
	tui_stop
}

# run LINE: eval it here (the functions above apply), stdin empty
run() {
	( eval "$1" ) </dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
	ran=$((ran + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok:   $1"
		return
	fi
	echo "FAIL: $1: exit $rc"
	sed 's/^/    stdout: /' "$TMP/out" | head -10
	sed 's/^/    stderr: /' "$TMP/err" | head -10
	fails=$((fails + 1))
}

# the lines of the ```sh blocks, in order
awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on && NF' "$README" \
	>"$TMP/lines"
[ -s "$TMP/lines" ] || { echo "FAIL: no sh block in $README"; exit 1; }

while IFS= read -r line; do
	case "$line" in
	"./setup.sh && "*)
		echo "done: ./setup.sh (this runs on the built tree)"
		line=${line#./setup.sh && } ;;
	esac
	case "$line" in
	*"make check"* | *"make distcheck"*)
		skip "$line" "the test suite this test is part of"
		continue ;;
	./setup.sh*--enable-sanitizers*)
		skip "$line" "rebuilds the tree: tests/test-reconfigure.sh, .ci/run"
		continue ;;
	./setup.sh*)
		skip "$line" "done: this runs on the built tree"
		continue ;;
	esac
	line=$(printf '%s\n' "$line" | sed "s|/usr/local/|$ROOT$prefix/|g")
	case "$line" in
	*"kscope record "*)
		if [ "$record" = no ]; then
			out=$(printf '%s\n' "$line" | awk '{ for (i = 1; i < NF;
				i++) { if ($i == "--") exit; if ($i == "-o") {
				print $(i + 1); exit } } }')
			skip "$line" "needs root and BPF; $out made by test-mktrace"
			"$MKTRACE" "$out" >/dev/null || exit 99
			continue
		fi ;;
	*"kscope tui "*)
		tui "$line"
		continue ;;
	sqlite3\ * | man\ *)
		if ! command -v "${line%% *}" >/dev/null; then
			skip "$line" "no ${line%% *} program"
			continue
		fi ;;
	esac
	run "$line"
done <"$TMP/lines"

echo "$ran lines ran, $skipped skipped, $fails failed"
[ "$fails" -eq 0 ] || exit 1
