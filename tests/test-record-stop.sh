#!/bin/sh
# test-record-stop.sh - how a recording ends: SIGINT stops it cleanly,
# SIGKILL leaves a trace that opens with what was flushed (about once a
# second), and --max-size stops it with a message and a non-zero exit.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

# Load for the recorder to see: syscalls in a loop.
"$WORKLOAD" --loop 100000000 &
load=$!
trap 'kill $load 2>/dev/null; umount "$TMP/full" 2>/dev/null; rm -rf "$TMP"' EXIT

# SIGINT: drain, flush, close, exit 0.
"$KSCOPE" record -q -a -e syscall,proc -o "$TMP/int.kscope" 2>"$TMP/int.err" &
rec=$!
wait_rows "$TMP/int.kscope" "SELECT count(*) FROM syscalls WHERE pid=$load" 1000
kill -INT $rec
wait $rec
eq "SIGINT: exit 0" "$?" 0
ge "SIGINT: events of the load" \
	"$(q "$TMP/int.kscope" "SELECT count(*) FROM syscalls WHERE pid=$load")" 1000
check "SIGINT: end_ts in meta" \
	test -n "$(q "$TMP/int.kscope" "SELECT value FROM meta WHERE key='end_ts'")"
check "SIGINT: a single file left (no -wal)" test ! -e "$TMP/int.kscope-wal"

# SIGKILL: no chance to close; what a flush committed must stay readable.
# Wait (reading the live trace) until a flush has committed load events.
"$KSCOPE" record -q -a -e syscall -o "$TMP/kill.kscope" 2>"$TMP/kill.err" &
rec=$!
seen=0
i=0
while [ "${seen:-0}" -lt 1000 ] && [ $i -lt 200 ]; do
	sleep 0.1
	seen=$(q "$TMP/kill.kscope" "SELECT count(*) FROM syscalls WHERE pid=$load" 2>/dev/null)
	i=$((i + 1))
done
kill -KILL $rec
wait $rec 2>/dev/null
"$KSCOPE" info "$TMP/kill.kscope" >"$TMP/kill.info" 2>&1
eq "SIGKILL: kscope info opens the trace" "$?" 0
ge "SIGKILL: events committed before the kill are there" \
	"$(q "$TMP/kill.kscope" "SELECT count(*) FROM syscalls WHERE pid=$load")" "${seen:-1000}"

# --max-size: stop at the limit, say so, exit non-zero, keep a valid trace.
"$KSCOPE" record -a -e syscall --max-size 2M -o "$TMP/max.kscope" \
	>"$TMP/max.out" 2>"$TMP/max.err" &
rec=$!
i=0
while kill -0 $rec 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $rec 2>/dev/null; then
	kill -INT $rec
	echo "FAIL --max-size: still running after 30 s"
	failures=$((failures + 1))
fi
wait $rec
rc=$?
eq "--max-size: exit 1" "$rc" 1
check "--max-size: message names the limit" grep -q "max-size" "$TMP/max.err"
size=$(stat -c %s "$TMP/max.kscope")
check "--max-size: file within the limit ($size bytes)" \
	test "$size" -le $((2 * 1024 * 1024 + 256 * 1024))
ge "--max-size: trace opens with events" \
	"$(q "$TMP/max.kscope" "SELECT count(*) FROM syscalls")" 1000
# A full disk: stop with a message naming it, exit 1, keep a valid trace
# with what was committed (at least the meta and /proc snapshot).
mkdir "$TMP/full"
if mount -t tmpfs -o size=1536k tmpfs "$TMP/full" 2>/dev/null; then
	"$KSCOPE" record -a -e syscall -o "$TMP/full/t.kscope" \
		>"$TMP/full.out" 2>"$TMP/full.err"
	rc=$?
	eq "disk full: exit 1" "$rc" 1
	check "disk full: message says so" grep -q "disk is full" "$TMP/full.err"
	eq "disk full: trace opens, with its meta" \
		"$(q "$TMP/full/t.kscope" "SELECT value FROM meta WHERE key='host'")" \
		"$(uname -n)"
	umount "$TMP/full"
else
	echo "skip disk full: cannot mount a small tmpfs"
fi
finish
