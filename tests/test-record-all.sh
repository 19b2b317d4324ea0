#!/bin/sh
# test-record-all.sh - `kscope record -a`: the whole system.  Processes
# outside any tree are there, the recorder is not, and a call still blocked
# when recording stops is written as unfinished.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

trace=$TMP/all.kscope
marker=$TMP/marker-file
echo marker > "$marker"

( while :; do cat "$marker" >/dev/null; sleep 0.02; done ) &
marker_pid=$!
"$KSCOPE" record -q -a -o "$trace" 2>"$TMP/rec.err" &
rec_pid=$!
# Ready once the marker loop's opens reach the trace.
wait_rows "$trace" "SELECT count(*) FROM syscalls WHERE path='$marker'"
sleep 30 &
sleeper=$!
"$WORKLOAD" alltest >"$TMP/wl.out"
# And the sleeper is asleep in its call before the recording stops.
wait_rows "$trace" "SELECT count(*) FROM sched_switch WHERE prev_tid=$sleeper AND (prev_state & 1) = 1 AND ts > (SELECT max(ts) FROM proc_events WHERE kind='exec' AND pid=$sleeper)"
kill -INT $rec_pid
wait $rec_pid
rc=$?
kill $marker_pid $sleeper 2>/dev/null
wait $marker_pid $sleeper 2>/dev/null
eq "record exits 0" "$rc" 0
[ "$rc" -eq 0 ] || { cat "$TMP/rec.err"; exit 1; }

pid=$(kv "$TMP/wl.out" pid)
open_path=$(kv "$TMP/wl.out" open_path)
exec_pid=$(kv "$TMP/wl.out" exec_pid)

ge "events of a process outside any target (the marker loop)" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE path='$marker'")" 1
eq "the workload's open is there" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE path='$open_path' AND pid=$pid AND name IN ('open','openat')")" 1
eq "its exec of /bin/true too" \
	"$(q "$trace" "SELECT count(*) FROM proc_events WHERE kind='exec' AND pid=$exec_pid AND filename='/bin/true'")" 1
eq "no events of the recorder itself" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE pid=$rec_pid")" 0
eq "the recorder is not in the processes table" \
	"$(q "$trace" "SELECT count(*) FROM processes WHERE pid=$rec_pid")" 0
eq "the snapshot holds pid 1 with a command line" \
	"$(q "$trace" "SELECT count(*) FROM processes WHERE pid=1 AND cmdline IS NOT NULL")" 1
eq "sleep 30 blocked at stop: written unfinished (flag 1, dur 0)" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE pid=$sleeper AND name IN ('clock_nanosleep','nanosleep') AND flags=1 AND dur=0")" 1
ge "scheduler events of other tasks" \
	"$(q "$trace" "SELECT count(DISTINCT prev_tid) FROM sched_switch")" 3
# Whatever else runs on the host shows up here too, so losses are possible
# under a heavy load from elsewhere: they must then be accounted for.
lost=$(q "$trace" "SELECT value FROM meta WHERE key='lost_total'")
check "lost events counted in meta ($lost)" test -n "$lost"
check "lost events match the lost table" test "$lost" = \
	"$(q "$trace" "SELECT coalesce(sum(count), 0) FROM lost")"
finish
