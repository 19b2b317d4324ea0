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
if [ "$(id -u)" -eq 0 ] && mknod "$TMP/null" c 1 3 2>/dev/null; then
	chmod 0666 "$TMP/null"
	"$KSCOPE" record -f -d 1 -o "$TMP/null" >"$TMP/out" 2>"$TMP/err" </dev/null
	eq "-f on a device node: exit 1, one line" "$?:$(wc -l < "$TMP/err")" "1:1"
	check "-f on a device node: says why" grep -q "it is a character device" "$TMP/err"
	check "-f on a device node: still one" test -c "$TMP/null"
	eq "-f on a device node: same device, same mode" \
		"$(stat -c '%t:%T %a' "$TMP/null")" "1:3 666"
fi
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

# --cgroup must name a cgroup v2 directory under the cgroup2 mount: a
# directory elsewhere (absolute, or reached with ..) or a file in the
# mount is one line and no trace, not a filter that matches nothing.
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ]; then
	up=$(echo "$cg2" | sed 's|/[^/]*|../|g')
	for c in /etc "${up}etc" "$cg2/cgroup.procs"; do
		rm -f "$TMP/cg.kscope"
		"$KSCOPE" record -q -a --cgroup "$c" -d 0.2 -o "$TMP/cg.kscope" \
			>"$TMP/out" 2>"$TMP/err"
		eq "--cgroup $c: exit 1, one line" "$?:$(wc -l < "$TMP/err")" "1:1"
		eq "--cgroup $c: says why" "$(cat "$TMP/err")" \
			"kscope: record: cannot use cgroup '$c': not a cgroup v2 directory under $cg2"
		check "--cgroup $c: no trace" test ! -e "$TMP/cg.kscope"
	done
fi

# Without privilege: one sentence naming what is missing.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 0755 "$TMP"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$KSCOPE" record -d 1 -o "$TMP/np.kscope" >"$TMP/out" 2>"$TMP/err"
	eq "unprivileged: exit 1" "$?" 1
	eq "unprivileged: one sentence" "$(cat "$TMP/err")" \
		"kscope: record: loading eBPF programs needs root (CAP_BPF and CAP_PERFMON)"
elif [ "$(id -u)" -ne 0 ]; then
	"$KSCOPE" record -d 1 -o "$TMP/np.kscope" >"$TMP/out" 2>"$TMP/err"
	eq "unprivileged: exit 1" "$?" 1
	check "unprivileged: says root is needed" grep -q "needs root" "$TMP/err"
fi
finish
