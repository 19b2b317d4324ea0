#!/bin/sh
# test-why.sh - thread_state and `kscope report why` on the planted trace
# of tests/synth_why.h, whose story is known: a worker blocked in futex
# on a mutex whose holder sleeps in nanosleep until a timer interrupt, a
# thread preempted while a hog runs, an fsync blocked (D) in ext4 until a
# block softirq.
#
#   - thread_state: every interval of the four stories, exactly;
#   - ts bounds (>=, >, <=, <, =) narrow the fold and give the same rows
#     as the whole table filtered afterwards;
#   - report why: its breakdown adds up to the wall time (over the whole
#     trace and windows cut through the stories), names futex and its
#     blocked_in, the hog that ran instead, the fsync's file; the
#     critical path names the holder, its nanosleep, and ends at a timer.
. "$(dirname "$0")/cli-lib.sh"
SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }

T=$TMP/why.kscope
"$SYNTH" -o "$T" --planted why >/dev/null || { echo "FAIL: synth"; exit 1; }
T0=3000000000000

# ---- thread_state, exactly ---------------------------------------------
COLS="ts - $T0 AS t, dur, tid, state, cpu, syscall, fd_name, blocked_in, stack_id, waker_tid, waker_comm, waker_ctx, waker_irq, partial"
run query "$T" -F csv "SELECT $COLS FROM thread_state WHERE tid IN (4001, 4002, 4003, 4005) ORDER BY tid, ts"
cat >"$TMP/want" <<'W'
t,dur,tid,state,cpu,syscall,fd_name,blocked_in,stack_id,waker_tid,waker_comm,waker_ctx,waker_irq,partial
1000,5000000,4001,running,1,,,,,,,,,0
5001000,56004000,4001,sleeping,1,futex,,futex_wait_queue,2,4002,holder,task,,0
61005000,495000,4001,runnable,1,futex,,,,,,,,0
61500000,18500000,4001,running,1,,,,,,,,,0
80000000,0,4001,dead,1,,,,,,,,,0
0,10000000,4002,running,0,,,,,,,,,0
10000000,50000000,4002,sleeping,0,clock_nanosleep,,hrtimer_nanosleep,1,0,,hardirq,hrtimer,0
60000000,500000,4002,runnable,0,,,,,,,,,0
60500000,9500000,4002,running,0,,,,,,,,,0
70000000,30000000,4002,sleeping,0,,,,,,,,,1
2000,19998000,4003,running,2,,,,,,,,,0
20000000,30000000,4003,runnable,2,,,,,,,,,0
50000000,40000000,4003,running,2,,,,,,,,,0
90000000,10000000,4003,sleeping,2,,,,,,,,,1
3000,30007000,4005,running,3,,,,,,,,,0
30010000,23990000,4005,blocked,3,fsync,/var/lib/app/data.log,folio_wait_writeback,3,0,,softirq,BLOCK,0
54000000,200000,4005,runnable,3,fsync,/var/lib/app/data.log,,,,,,,0
54200000,45800000,4005,running,3,,,,,,,,,0
100000000,0,4005,dead,3,,,,,,,,,0
W
tr -d '\r' <"$TMP/out" >"$TMP/got"
if [ "$rc" -eq 0 ] && cmp -s "$TMP/want" "$TMP/got"; then
	ok "the planted intervals"
else
	diff "$TMP/want" "$TMP/got"
	fail "thread_state differs from the planted story"
fi

# ---- ts bounds narrow the fold, not the answer -------------------------
# same WHERE: the rows with the bound on ts itself (the engine narrowed)
# equal those of the whole table filtered after it
same() {
	run query "$T" -F csv "SELECT * FROM thread_state WHERE $1 ORDER BY tid, ts"
	cp "$TMP/out" "$TMP/narrow"
	whole=$(printf '%s' "$1" | sed 's/\bts\b/ts + 0/g')
	run query "$T" -F csv "SELECT * FROM (SELECT * FROM thread_state) WHERE $whole ORDER BY tid, ts"
	if [ "$rc" -eq 0 ] && cmp -s "$TMP/narrow" "$TMP/out"; then
		ok "$1: $(($(wc -l <"$TMP/out") - 1)) rows"
	else
		diff "$TMP/narrow" "$TMP/out"
		fail "$1: the narrowed fold differs"
	fi
}
for x in 0 5001000 30000000 55000000 61005000 99999999; do
	lo=$((T0 + x))
	same "ts >= $lo"
	same "ts > $lo"
	same "ts <= $lo"
	same "ts < $lo"
	same "ts = $lo"
	same "ts BETWEEN $lo AND $((lo + 10000000))"
done

# ---- report why: the parts add up to the wall time ----------------------
# why_json ARGS: report why -F json into $TMP/why.json
why_check() {
	run report "$T" why -F json "$@"
	[ "$rc" -eq 0 ] || { fail "exit $rc"; return 1; }
	python3 - "$TMP/out" <<'PY' || fail "figures do not add up"
import json, sys
d = json.load(open(sys.argv[1]))["tables"]
for t in d["threads"]:
    parts = [p["time_ns"] for p in d["breakdown"] if p["tid"] == t["tid"]]
    by_state = (t["running_ns"] + t["runnable_ns"] + t["sleeping_ns"] +
                t["blocked_ns"] + t["unknown_ns"])
    if sum(parts) != t["wall_ns"] or by_state != t["wall_ns"]:
        print("tid %d: parts %d, states %d, wall %d" %
              (t["tid"], sum(parts), by_state, t["wall_ns"]))
        sys.exit(1)
    shares = sum(p["share_pct"] for p in d["breakdown"] if p["tid"] == t["tid"])
    if t["wall_ns"] and abs(shares - 100) > 0.05 * len(parts):
        print("tid %d: shares add up to %.2f" % (t["tid"], shares))
        sys.exit(1)
PY
	ok "parts = wall time"
}
why_check --tid 4001
why_check --tid 4003
why_check --comm writer
why_check --pid 4002
for w in "+0.003 +0.07" "+0.0055 +0.0612" "+0.06 +0.09" "+0.02 +0.021"; do
	set -- $w
	why_check --tid 4001 --from "$1" --to "$2"
	why_check --tid 4005 --from "$1" --to "$2"
done

# jq-like: field FILE PY-EXPR
field() {
	python3 -c "import json, sys; d = json.load(open(sys.argv[1]))['tables']; print($2)" "$1"
}

# a window that begins inside the futex wait still knows it is one
run report "$T" why --tid 4001 -F json --from +0.0055 --to +0.0612
got=$(field "$TMP/out" '[(t["wall_ns"], t["sleeping_ns"], t["runnable_ns"], t["unknown_ns"]) for t in d["threads"]]')
[ "$got" = "[(55700000, 55505000, 195000, 0)]" ] && ok "window in the wait: $got" ||
	fail "window in the wait: $got"

run report "$T" why --tid 4001 -F json
cp "$TMP/out" "$TMP/w.json"
got=$(field "$TMP/w.json" '[(p["what"], p["syscall"], p["blocked_in"], p["time_ns"]) for p in d["breakdown"]][0]')
[ "$got" = "('sleeping', 'futex', 'futex_wait_queue', 56004000)" ] &&
	ok "largest: $got" || fail "largest part: $got"
got=$(field "$TMP/w.json" '[(h["hop"], h["comm"], h["syscall"], h["blocked_in"], h["wait_ns"], h["woken_by"], h["ends_at"]) for h in d["critical_path"] if h["wait"] == 1]')
want="[(0, 'worker', 'futex', 'futex_wait_queue', 56004000, 'holder/4002', None), (1, 'holder', 'clock_nanosleep', 'hrtimer_nanosleep', 50000000, 'hardirq hrtimer', 'a timer')]"
[ "$got" = "$want" ] && ok "critical path" || fail "critical path: $got"

run report "$T" why --tid 4003 -F json
got=$(field "$TMP/out" '[(r["cpu"], r["ran_comm"], r["time_ns"]) for r in d["ran_instead"]]')
[ "$got" = "[(2, 'hog', 30000000)]" ] && ok "ran instead: $got" ||
	fail "ran instead: $got"

run report "$T" why --tid 4005 -F json
got=$(field "$TMP/out" '[(h["state"], h["syscall"], h["fd_name"], h["blocked_in"], h["woken_by"], h["ends_at"]) for h in d["critical_path"]]')
want="[('blocked', 'fsync', '/var/lib/app/data.log', 'folio_wait_writeback', 'softirq BLOCK', 'an interrupt')]"
[ "$got" = "$want" ] && ok "fsync" || fail "fsync: $got"

# ---- runqlat ranks by total wait; offcpu splits the wait -----------------
run report "$T" runqlat -F json
got=$(field "$TMP/out" '[(r["comm"], r["runs"], r["total_ns"])
	for r in d["longest_waits"]][:3]')
want="[('victim', 1, 30000000), ('starved', 3, 9000000), ('kworker', 1, 6000000)]"
[ "$got" = "$want" ] &&
	ok "runqlat by total: $got" || fail "runqlat order: $got"
run report "$T" offcpu -F json
got=$(field "$TMP/out" '[(r["tid"], r["waiting_ns"], r["woken_runnable_ns"], r["sleeping_ns"] + r["blocked_ns"] + r["other_ns"]) for r in d["by_thread"] if r["tid"] in (4001, 4002, 4005, 4006)]')
want="[(4006, 87000000, 9000000, 96000000), (4002, 80000000, 500000, 80500000), (4001, 56004000, 495000, 56499000), (4005, 23990000, 200000, 24190000)]"
[ "$got" = "$want" ] && ok "offcpu waiting / runnable after wakeup" ||
	fail "offcpu split: $got"

# text and CSV carry the same story
run report "$T" why --tid 4001
expect_out_has "holder/4002" && expect_out_has "a timer" && ok
run report "$T" why --tid 4001 -F csv
expect_out_has "# critical_path" && ok

# without a thread named: the one that spent the most time not running
run report "$T" why -F json
got=$(field "$TMP/out" '[r["tid"] for r in d["threads"]]')
[ "$got" = "[4006]" ] && ok "the longest waiter" || fail "picked $got"

[ "$fails" -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
