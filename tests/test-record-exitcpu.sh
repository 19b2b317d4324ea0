#!/bin/sh
# test-record-exitcpu.sh - a traced task's end, perf stat as the oracle:
# /bin/true under `perf stat -e task-clock`, recorded with `-- CMD`: its
# final switch-out is in the trace with a dead state (Z or X), after its
# exit row, and `report cpu` brackets perf's task-clock (from its exec on,
# as perf counts).  Skips (77) where perf cannot count task-clock.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v perf >/dev/null 2>&1 || skip "perf is not installed (linux-perf)"
perf stat -x, -e task-clock -o "$TMP/probe.perf" /bin/true 2>/dev/null &&
	grep -q task-clock "$TMP/probe.perf" ||
	skip "perf stat -e task-clock does not work here"

trace=$TMP/true.kscope
"$KSCOPE" record -q -o "$trace" -- \
	perf stat -x, -e task-clock -o "$TMP/perf.out" /bin/true \
	2>"$TMP/true.err"
eq "true: record exits 0" "$?" 0
tp=$(q "$trace" "SELECT pid FROM proc_events WHERE kind='exec' AND filename='/bin/true'")
exec_ts=$(q "$trace" "SELECT ts FROM proc_events WHERE kind='exec' AND pid=$tp")
exit_ts=$(q "$trace" "SELECT ts FROM proc_events WHERE kind='exit' AND tid=$tp")
check "true: exec and exit rows ($tp)" test -n "$tp" -a -n "$exec_ts" -a -n "$exit_ts"
eq "true: last switch-out is after the exit row, state dead (Z/X bits)" \
	"$(q "$trace" "SELECT ts > $exit_ts, (prev_state & 48) != 0 FROM sched_switch WHERE prev_tid=$tp ORDER BY ts DESC LIMIT 1")" \
	"1,1"
last=$("$KSCOPE" replay "$trace" "prev_tid = $tp" | tail -n 1)
check "true: replay prints the final switch as Z or X ($last)" \
	sh -c "echo '$last' | grep -q 'true/$tp ([ZX])'"
eq "true: no switch-in after the final switch-out" \
	"$(q "$trace" "SELECT count(*) FROM sched_switch WHERE next_tid=$tp AND ts > (SELECT max(ts) FROM sched_switch WHERE prev_tid=$tp)")" 0
# perf counts from the exec (enable_on_exec) until perf_event_exit_task,
# late in do_exit: after the exit row (sched_process_exit) and before the
# final switch-out, where kscope stops.  So perf's figure lies between
# kscope's on-CPU time from the exec to the exit row and from the exec to
# the end; each bound within 10% (+ 30 us for the few instructions either
# side of the points where each starts and stops counting).  The part
# after perf stops grows when the exit path waits for contended locks
# on a busy machine, which is why the end is a bound, not the figure.
perf_ns=$(awk -F, '$3 == "task-clock" { printf "%d", $1 * 1000000 }' "$TMP/perf.out")
ks_ns=$("$KSCOPE" report "$trace" cpu -p "$tp" --from "@$exec_ts" -F csv |
	awk -F, -v p="$tp" '$1 == p && $2 == "true" { print $4; exit }')
# what it ran after the exit row: at most the time from there to its final
# switch-out (the report has no switch inside a window that ends at the
# exit row when the task ran through it, so this is taken off instead)
after=$(q "$trace" "SELECT max(ts) - $exit_ts FROM sched_switch WHERE prev_tid=$tp")
ks_exit_ns=$((ks_ns - after))
echo "true: on-CPU kscope at most ${ks_exit_ns} ns to the exit row, ${ks_ns} ns to the end; perf task-clock ${perf_ns} ns"
# before the dead task stayed traced the report was off by 100x
check "true: report cpu to the exit row <= perf's task-clock (+10%)" \
	awk -v a="$ks_exit_ns" -v b="$perf_ns" 'BEGIN {
		exit !(a > 0 && b > 0 && a <= b + b / 10 + 30000) }'
check "true: report cpu to the end >= perf's task-clock (-10%)" \
	awk -v a="$ks_ns" -v b="$perf_ns" 'BEGIN {
		exit !(a > 0 && b > 0 && a + a / 10 + 30000 >= b) }'
finish
