#!/bin/sh
# test-record-exitcpu.sh - a traced task's end, perf stat as the oracle:
# /bin/true under `perf stat -e task-clock`, recorded with `-- CMD`: its
# final switch-out is in the trace with a dead state (Z or X), after its
# exit row, and `report cpu` gives it perf's task-clock (from its exec on,
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
# perf counts from the exec (enable_on_exec) to the exit: the same
# window in the report.
perf_ns=$(awk -F, '$3 == "task-clock" { printf "%d", $1 * 1000000 }' "$TMP/perf.out")
ks_ns=$("$KSCOPE" report "$trace" cpu -p "$tp" --from "@$exec_ts" -F csv |
	awk -F, -v p="$tp" '$1 == p && $2 == "true" { print $4; exit }')
echo "true: on-CPU kscope ${ks_ns} ns, perf task-clock ${perf_ns} ns"
# Within 10% (+ 30 us for the few instructions either side of the
# points where each starts and stops counting); before the dead task
# stayed traced the report was off by 100x.
check "true: report cpu within 10% of perf's task-clock" \
	awk -v a="$ks_ns" -v b="$perf_ns" 'BEGIN {
		d = a - b; if (d < 0) d = -d;
		exit !(a > 0 && b > 0 && d <= b / 10 + 30000) }'
finish
