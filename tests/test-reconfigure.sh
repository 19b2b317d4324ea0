#!/bin/sh
# test-reconfigure.sh - configuring again with other arguments (as
# `./setup.sh --enable-sanitizers` after `./setup.sh` does, or the
# reverse) rebuilds the objects with the new flags, and configuring with
# the same arguments rebuilds nothing.  Runs in a copy of this build tree
# (configure takes seconds) on two objects: the main program's and one of
# a file that does not include config.h itself; nm says whether an object
# holds ASan's instrumentation.  The build directory is left alone.
set -u
if [ "${srcdir:-.}" != . ] || [ ! -f config.status ] || [ ! -x configure ]; then
	echo "SKIP: needs the build configured in the source tree"
	exit 77
fi
command -v nm >/dev/null || { echo "SKIP: no nm"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test-reconfigure.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# the tree with its objects and their times (not .git, traces, test logs)
tar -c --exclude=./.git --exclude='*.kscope' --exclude='./tests/*.log' \
	--exclude='./tests/*.trs' . | (mkdir "$TMP/tree" && cd "$TMP/tree" && tar -x) ||
	exit 99
cd "$TMP/tree" || exit 99

OBJS="kscope-kscope.o store/libstore_a-vtab.o"
# build OBJS; the number of them compiled in $built
build() {
	make V=1 $OBJS >"$TMP/make.out" 2>&1 || { cat "$TMP/make.out"; exit 99; }
	built=$(grep -c -e ' -c ' "$TMP/make.out")
}
# check WHAT: both objects were compiled, with ASan iff configured so
check() {
	[ "$built" -eq 2 ] || { fail "$1: $built of 2 objects rebuilt"; return; }
	want=without
	grep -q '^SANITIZER_FLAGS = .*-fsanitize=address' Makefile && want=with
	for o in $OBJS; do
		has=without
		nm "$o" | grep -q __asan_ && has=with
		[ "$has" = "$want" ] || fail "$1: $o built $has ASan, wanted $want"
	done
	echo "ok: $1: both objects rebuilt $want ASan"
}

./config.status --recheck >/dev/null && ./config.status >/dev/null || exit 99
build
[ "$built" -eq 0 ] && echo "ok: the same arguments: nothing rebuilt" ||
	fail "the same arguments: $built objects rebuilt"

if grep -q '^SANITIZER_FLAGS = .*-fsanitize' Makefile; then
	first="" second=--enable-sanitizers
else
	first=--enable-sanitizers second=""
fi
./configure -q $first >/dev/null || exit 99
build
check "configure ${first:-without sanitizers}"
./configure -q $second >/dev/null || exit 99
build
check "then configure ${second:-without sanitizers}"

[ "$fails" -eq 0 ] || exit 1
