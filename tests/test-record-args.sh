#!/bin/sh
# test-record-args.sh - `kscope record` command-line handling that needs no
# BPF: help, bad arguments (one line on stderr, exit 2), and the one
# sentence a user without privilege gets (exit 1).
. "${srcdir:-.}/tests/record-lib.sh"

"$KSCOPE" record --help >"$TMP/help" 2>&1
eq "--help exits 0" "$?" 0
check "--help names the default output" grep -q "trace.kscope" "$TMP/help"
"$KSCOPE" help record >/dev/null 2>&1
eq "kscope help record exits 0" "$?" 0

bad() {
	what=$1
	shift
	"$KSCOPE" record "$@" -o "$TMP/never.kscope" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	lines=$(wc -l < "$TMP/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$TMP/out" ]; then
		echo "ok   $what: $(cat "$TMP/err")"
	else
		echo "FAIL $what: exit $rc, $lines line(s) on stderr"
		failures=$((failures + 1))
	fi
}
bad "bad duration" -d 10x
bad "negative duration" -d -5
bad "bad class" -e syscall,disk
bad "bad pid list" -p 12,abc
bad "bad size" --max-size lots
bad "buffer too large" --buffer-size 64G
bad "--ring without --max-size" --ring
bad "-p with a command" -p 1 -- true
bad "-p with -a" -p 1 -a
bad "unknown option" --frobnicate
bad "bad budget" --budget cpu=x
bad "budget rate without /s" --budget rate=2M
bad "budget unknown key" --budget mem=5
"$KSCOPE" record -d 2>"$TMP/err"
eq "missing argument: exit 2, one line" "$?:$(wc -l < "$TMP/err")" "2:1"
check "missing argument: says so" grep -q "^kscope: record: -d needs a value; see .kscope record --help.$" "$TMP/err"
check "nothing was created" test ! -e "$TMP/never.kscope"

# -f replaces a regular file, nothing else: a FIFO and a copy of the
# /dev/null device node are refused (exit 1, one line) and left as they
# were; so is a symbolic link, whose target stays untouched.
mkfifo "$TMP/fifo"
"$KSCOPE" record -f -d 1 -o "$TMP/fifo" >"$TMP/out" 2>"$TMP/err" </dev/null
eq "-f on a FIFO: exit 1, one line" "$?:$(wc -l < "$TMP/err")" "1:1"
check "-f on a FIFO: says why" grep -q "cannot replace '$TMP/fifo': it is a FIFO" "$TMP/err"
check "-f on a FIFO: still a FIFO" test -p "$TMP/fifo"
echo precious > "$TMP/target"
ln -s "$TMP/target" "$TMP/link"
"$KSCOPE" record -f -d 1 -o "$TMP/link" >"$TMP/out" 2>"$TMP/err" </dev/null
eq "-f on a symbolic link: exit 1, one line" "$?:$(wc -l < "$TMP/err")" "1:1"
check "-f on a symbolic link: says why" grep -q "it is a symbolic link" "$TMP/err"
check "-f on a symbolic link: still a link" test -L "$TMP/link"
eq "-f on a symbolic link: target untouched" "$(cat "$TMP/target")" precious
"$KSCOPE" record -d 1 -o "$TMP/target" >"$TMP/out" 2>"$TMP/err" </dev/null
eq "an existing file without -f: exit 1" "$?" 1
check "an existing file without -f: says so" grep -q "already exists (use -f to replace it)" "$TMP/err"

# Without privilege: one sentence naming what is missing (as root:
# test-record-args-root.sh runs kscope as nobody).
if [ "$(id -u)" -ne 0 ]; then
	"$KSCOPE" record -d 1 -o "$TMP/np.kscope" >"$TMP/out" 2>"$TMP/err"
	eq "unprivileged: exit 1" "$?" 1
	check "unprivileged: says root is needed" grep -q "needs root" "$TMP/err"
fi
finish
