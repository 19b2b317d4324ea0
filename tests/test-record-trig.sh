#!/bin/sh
# test-record-trig.sh - --trigger FILTER --trigger-after D: a planted slow
# call (a 600 ms sleep of a known pid) after seconds of other activity
# makes a --ring recording write a snapshot holding the seconds before the
# call, the call, and D after it; the recording goes on and triggers once
# for it.  Without --ring the recording stops D after the match.  A bad
# filter is refused in one line.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

"$WORKLOAD" --loop 100000000 &
load=$!
rec=
trap 'kill $load $rec $sleeper 2>/dev/null; rm -rf "$TMP"' EXIT

# sleeper: a process that sleeps 600 ms once $TMP/go is written; its pid
# is known before the recorder starts, for the trigger to name it.
sleeper() {
	rm -f "$TMP/go"
	mkfifo "$TMP/go"
	( read x <"$TMP/go"; exec sleep 0.6 ) &
	sleeper=$!
}
trig() {
	echo "name ~ nanosleep and dur > 500ms and pid = $sleeper"
}
# Load events spanning 2 s in the live trace $1: seconds of activity.
two_seconds() {
	wait_rows "$1" "SELECT (max(ts) - min(ts)) >= 2000000000 FROM syscalls WHERE pid=$load"
}
snapshot_line() { grep -q "^kscope: record: snapshot '" "$TMP/rec.err"; }

# --ring: a snapshot D after the match.
sleeper
out=$TMP/ring.kscope
"$KSCOPE" record -a -e syscall,sched,proc --max-size 64M --ring \
	--trigger "$(trig)" --trigger-after 1s -o "$out" 2>"$TMP/rec.err" &
rec=$!
two_seconds "$out"
echo go >"$TMP/go"
wait "$sleeper"
wait_for "the trigger's snapshot" snapshot_line
check "the recorder said the trigger matched" \
	grep -q "^kscope: record: trigger matched a syscall clock_nanosleep\|^kscope: record: trigger matched a syscall nanosleep" "$TMP/rec.err"
snap=$(sed -n "s/^kscope: record: snapshot '\([^']*\)'.*/\1/p" "$TMP/rec.err" | head -n1)
eq "the snapshot's name" "$snap" "$TMP/ring.snap-1.kscope"
eq "snapshot: mode 0600" "$(stat -c %a "$snap")" 600
eq "snapshot: snapshot_of" "$(meta "$snap" snapshot_of)" "$out"
check "snapshot: snapshot_reason names the trigger" \
	sh -c "\"$KSCOPE\" query \"$snap\" \"SELECT value FROM meta WHERE key='snapshot_reason'\" | grep -q \"trigger 'name ~ nanosleep\""
eq "snapshot: the slow call" \
	"$(q "$snap" "SELECT count(*) FROM syscalls WHERE pid=$sleeper AND name LIKE '%nanosleep' AND dur > 500000000")" 1
t=$(q "$snap" "SELECT ts FROM syscalls WHERE pid=$sleeper AND name LIKE '%nanosleep' AND dur > 500000000")
e=$(q "$snap" "SELECT ts + dur FROM syscalls WHERE pid=$sleeper AND name LIKE '%nanosleep' AND dur > 500000000")
ge "snapshot: load events from more than 1 s before the slow call" \
	"$(q "$snap" "SELECT count(*) FROM syscalls WHERE pid=$load AND ts < $t - 1000000000")" 1000
ge "snapshot: load events during the slow call" \
	"$(q "$snap" "SELECT count(*) FROM syscalls WHERE pid=$load AND ts > $t AND ts < $e")" 100
ge "snapshot: load events from more than D/2 after it ended" \
	"$(q "$snap" "SELECT count(*) FROM syscalls WHERE pid=$load AND ts > $e + 500000000")" 100
check "snapshot: end_ts at least D after the slow call ended" \
	test "$(meta "$snap" end_ts)" -ge $((e + 1000000000))
for c in "info" "report" "replay" "tui --print overview"; do
	check "snapshot: kscope $c opens it" \
		sh -c "\"$KSCOPE\" $c \"$snap\" >/dev/null"
done
check "snapshot: kscope query opens it" \
	sh -c "\"$KSCOPE\" query \"$snap\" \"SELECT 1\" >/dev/null"
check "the recorder still runs" kill -0 $rec
s_end=$(meta "$snap" end_ts)
wait_rows "$out" "SELECT count(*) FROM syscalls WHERE pid=$load AND ts > $s_end" 1000
kill -INT $rec
wait_exit $rec
rec=
eq "the recording: exit 0" "$rc" 0
eq "one snapshot for one match" \
	"$(grep -c "^kscope: record: snapshot '" "$TMP/rec.err")" 1
eq "the recording: meta trigger" "$(meta "$out" trigger)" "$(trig)"
ge "the recording: load events after the snapshot" \
	"$(q "$out" "SELECT count(*) FROM syscalls WHERE pid=$load AND ts > $s_end")" 1000

# Without --ring: the recording stops D after the match.
sleeper
out=$TMP/stop.kscope
"$KSCOPE" record -a -e syscall,proc --trigger "$(trig)" --trigger-after 500ms \
	-o "$out" 2>"$TMP/stop.err" &
rec=$!
wait_rows "$out" "SELECT count(*) FROM syscalls WHERE pid=$load" 1000
echo go >"$TMP/go"
wait "$sleeper"
wait_exit $rec
rec=
eq "no --ring: it stopped by itself, exit 0" "$rc" 0
check "no --ring: it said it would stop" grep -q "stopping in 0.500 s" "$TMP/stop.err"
eq "no --ring: trigger_ts is the slow call's ts" "$(meta "$out" trigger_ts)" \
	"$(q "$out" "SELECT ts FROM syscalls WHERE pid=$sleeper AND name LIKE '%nanosleep' AND dur > 500000000")"
check "no --ring: no snapshot file" test ! -e "$TMP/stop.snap-1.kscope"

"$KSCOPE" record --trigger "dur >" -a -d 1 -o "$TMP/bad.kscope" 2>"$TMP/bad.err"
eq "a bad filter: exit 2" "$?" 2
check "a bad filter: one line" test "$(wc -l <"$TMP/bad.err")" -eq 1
check "a bad filter: says --trigger" grep -q -- "--trigger: bad filter" "$TMP/bad.err"
"$KSCOPE" record --trigger-after 1s -a -d 1 -o "$TMP/bad.kscope" 2>"$TMP/bad.err"
check "--trigger-after alone: refused" grep -q "needs --trigger" "$TMP/bad.err"
finish
