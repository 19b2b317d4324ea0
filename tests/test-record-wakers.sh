#!/bin/sh
# test-record-wakers.sh - who woke a thread (sched_wakeup.waker_ctx,
# waker_irq, waker_tid), live, on tests/wakers: a 10 ms nanosleep loop
# (the timer interrupt), a pipe read (the main thread) and a loopback TCP
# read (network receive).
#
# Oracle: the kernel's own context flags.  An ftrace instance records
# sched_waking for the workload's threads (comm kswk-*); each line's flags
# say hardirq (h, H), serving softirq (s), NMI (z, Z) or none (a task, the
# line's pid).  The trace's wakeups of each thread must match it one for
# one, in order.  /proc/softirqs says NET_RX ran during the TCP phase.
. "$srcdir/tests/record-lib.sh"
record_require
N=20
TRACEFS=/sys/kernel/tracing
[ -d "$TRACEFS/instances" ] || TRACEFS=/sys/kernel/debug/tracing
[ -d "$TRACEFS/instances" ] || skip "no tracefs instances (the oracle)"
INST=$TRACEFS/instances/kscope-wakers-$$
mkdir "$INST" || skip "cannot create an ftrace instance"
trap 'echo 0 >"$INST/events/sched/sched_waking/enable" 2>/dev/null
	rmdir "$INST" 2>/dev/null; rm -rf "$TMP"' EXIT

mkfifo "$TMP/go"
tests/wakers $N <"$TMP/go" >"$TMP/wk.out" &
wk=$!
exec 3>"$TMP/go"
wait_for "the workload" grep -q '^pid=' "$TMP/wk.out"
"$KSCOPE" record -f -e sched -p $wk -o "$TMP/t.kscope" 2>"$TMP/rec.err" &
rec=$!
wait_for "the recorder" ready "$TMP/rec.err"
echo 'comm ~ "kswk-*"' >"$INST/events/sched/sched_waking/filter"
echo 1 >"$INST/events/sched/sched_waking/enable"
echo go >&3
exec 3>&-
wait $wk
check "workload ran" test $? -eq 0
echo 0 >"$INST/events/sched/sched_waking/enable"
kill -INT $rec
wait_exit $rec
eq "recorder exit" "$rc" 0

main=$(kv "$TMP/wk.out" main_tid)
slp=$(kv "$TMP/wk.out" sleep_tid)
pip=$(kv "$TMP/wk.out" pipe_tid)
tcp=$(kv "$TMP/wk.out" tcp_tid)
t=$TMP/t.kscope
eq "no events lost (but block I/O)" "$(lost_but_block "$t")" 0

# Per thread, in order: "tid ctx waker" (waker 0 for an interrupt).
q "$t" "SELECT tid || ' ' || coalesce(waker_ctx, 'NULL') || ' ' ||
	waker_tid AS w FROM sched_wakeup WHERE new = 0 AND
	tid IN ($slp, $pip, $tcp) ORDER BY tid, ts" >"$TMP/ours"
sed -n 's/^ *\(.*\)-\([0-9]*\) *\[[0-9]*\] \(.....\) .* sched_waking: .* pid=\([0-9]*\) .*/\4 \3 \2/p' \
	"$INST/trace" | while read -r tid flags pid; do
	case $flags in
	??[hH]*) echo "$tid hardirq 0" ;;
	??s*) echo "$tid softirq 0" ;;
	??[zZ]*) echo "$tid nmi 0" ;;
	*) echo "$tid task $pid" ;;
	esac
done | grep -E "^($slp|$pip|$tcp) " | sort -s -n -k1,1 >"$TMP/oracle"
ge "oracle saw the wakeups" "$(wc -l <"$TMP/oracle")" $((3 * N))
# Runs of our programs the kernel skipped (an interrupt's wakeup inside
# the wakeup program's own run on that CPU) are counted, not recorded:
# such a wakeup may be missing from ours, never different.  On this VM
# the programs also, rarely (about 1 run of this test in 10), do not run
# for an interrupt that lands on the VM agent's threads, and the kernel
# counts nothing: then the switch that ran the woken thread is missing
# too, a hole in the thread's switches (out twice, no in between) that
# the recorder counts in lost_unseen (docs/RECORD.md, "Lost events").  A
# missing wakeup is accepted only where those counts cover it, and every
# hole here must be counted.
skipped=$(meta "$t" lost_skipped)
unseen=$(meta "$t" lost_unseen)
check "meta lost_skipped counts skipped program runs" [ -n "$skipped" ]
check "meta lost_unseen counts switches not seen" [ -n "$unseen" ]
holes=$(q "$t" "WITH ev AS (SELECT ts, prev_tid AS tid, 1 AS o FROM
	sched_switch WHERE prev_tid IN ($slp, $pip, $tcp) UNION ALL
	SELECT ts, next_tid, 0 FROM sched_switch WHERE
	next_tid IN ($slp, $pip, $tcp)) SELECT count(*) FROM (SELECT o,
	lag(o) OVER (PARTITION BY tid ORDER BY ts) AS p FROM ev) WHERE
	(o = 1 AND p = 1) OR (o = 0 AND p = 0)")
check "every hole in the workload's switches is counted ($holes)" \
	[ "${holes:-0}" -le $((${skipped:-0} + ${unseen:-0})) ]
skipped=$((${skipped:-0} + ${unseen:-0}))
missing=$(diff "$TMP/ours" "$TMP/oracle" | grep -c '^>')
differ=$(diff "$TMP/ours" "$TMP/oracle" | grep -c '^<')
if cmp -s "$TMP/ours" "$TMP/oracle"; then
	echo "ok   every wakeup's context and waker as the kernel's flags say"
elif [ "$differ" -eq 0 ] && [ "$missing" -le "${skipped:-0}" ]; then
	echo "ok   every wakeup's context and waker as the kernel's flags say" \
		"($missing missing; lost_skipped + lost_unseen = $skipped)"
else
	echo "FAIL wakeups differ from the kernel's flags (ours, oracle):"
	diff "$TMP/ours" "$TMP/oracle" | head -n 20
	failures=$((failures + 1))
fi

# The sleeper: the timer interrupt, never the task it interrupted.
ge "nanosleep woken by the timer (hardirq, hrtimer, waker 0)" \
	"$(q "$t" "SELECT count(*) FROM sched_wakeup WHERE tid = $slp AND
		waker_ctx = 'hardirq' AND waker_irq = 'hrtimer' AND
		waker_tid = 0")" $((N - ${skipped:-0}))
eq "nanosleep never woken by a task" \
	"$(q "$t" "SELECT count(*) FROM sched_wakeup WHERE tid = $slp AND
		new = 0 AND (waker_ctx <> 'hardirq' OR waker_tid <> 0)")" 0

# The pipe reader: the main thread, a task.
ge "pipe read woken by the writing thread" \
	"$(q "$t" "SELECT count(*) FROM sched_wakeup WHERE tid = $pip AND
		waker_ctx = 'task' AND waker_tid = $main AND
		waker_irq IS NULL")" $((N - ${skipped:-0}))

# The TCP reader: loopback delivers in the NET_RX softirq, run on the
# sender's CPU when it re-enables bottom halves (current = the sender,
# but the waker is the softirq).
ge "tcp read woken by NET_RX" \
	"$(q "$t" "SELECT count(*) FROM sched_wakeup WHERE tid = $tcp AND
		waker_ctx = 'softirq' AND waker_irq = 'NET_RX' AND
		waker_tid = 0")" $((N - ${skipped:-0}))
ge "NET_RX ran during the tcp phase (/proc/softirqs)" \
	"$(kv "$TMP/wk.out" netrx)" $N
eq "interrupt wakers have no waker_tid, tasks no waker_irq" \
	"$(q "$t" "SELECT count(*) FROM sched_wakeup WHERE
		(waker_ctx = 'task' AND waker_irq IS NOT NULL) OR
		(waker_ctx <> 'task' AND waker_tid <> 0)")" 0

# Replay names the interrupt as the waker.
"$KSCOPE" replay "$t" "kind = wakeup and tid = $tcp" >"$TMP/replay" 2>&1
ge "replay: softirq NET_RX wakes the tcp reader" \
	"$(grep -c "] softirq NET_RX  *wakeup [^ ]*/$tcp " "$TMP/replay")" $N
finish
