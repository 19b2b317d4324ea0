#!/bin/sh
# test-record-info-live.sh - `kscope info` on a trace while its recorder
# runs says it is being recorded, by the recorder's pid (text and JSON);
# once the recorder has finished, info says nothing of the kind; after a
# SIGKILL, it says the recording did not finish cleanly.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

t=$TMP/live.kscope
"$KSCOPE" record -q -a -e syscall -o "$t" 2>"$TMP/rec.err" &
rec=$!
wait_rows "$t" "SELECT count(*) FROM syscalls"
"$KSCOPE" info "$t" >"$TMP/info" 2>&1
eq "live: info exits 0" "$?" 0
check "live: info names the recorder's pid $rec" \
	grep -q "^file  *$t (being recorded by pid $rec" "$TMP/info"
check "live: not called unfinished" \
	sh -c "! grep -q 'did not finish' '$TMP/info'"
"$KSCOPE" info "$t" --format json >"$TMP/json" 2>&1
check "live: JSON recording_pid $rec" \
	grep -q "\"recording_pid\": *$rec[,}]" "$TMP/json"
kill -INT $rec
wait_exit $rec
eq "the recorder exits 0" "$rc" 0
"$KSCOPE" info "$t" >"$TMP/info" 2>&1
check "finished: info says nothing of a recording" \
	sh -c "! grep -q -e 'being recorded' -e 'did not finish' '$TMP/info'"
"$KSCOPE" info "$t" --format json >"$TMP/json" 2>&1
check "finished: JSON recording_pid null" \
	grep -q '"recording_pid": *null' "$TMP/json"

# killed: the file stays with its -wal, and no one records it any more
t=$TMP/killed.kscope
"$KSCOPE" record -q -a -e syscall -o "$t" 2>"$TMP/rec.err" &
rec=$!
wait_rows "$t" "SELECT count(*) FROM syscalls"
kill -KILL $rec
wait $rec 2>/dev/null
"$KSCOPE" info "$t" >"$TMP/info" 2>&1
check "killed: info says the recording did not finish cleanly" \
	grep -q "^file  *$t (with its -wal: the recording did not finish cleanly)" "$TMP/info"
check "killed: not called being recorded" \
	sh -c "! grep -q 'being recorded' '$TMP/info'"
finish
