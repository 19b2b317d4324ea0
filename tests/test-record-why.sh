#!/bin/sh
# test-record-why.sh - `report why` and thread_state on a recorded mutex
# wait whose story is known: tests/mutexsleep's holder takes a mutex and
# sleeps 50 ms in nanosleep while the waiter blocks on the mutex.
#
# The oracle is the workload's own CLOCK_BOOTTIME readings (the trace's
# clock): the waiter's futex sleep lies within its lock call's bracket
# and ends after the holder's nanosleep returned; the holder's sleep lies
# within its nanosleep's bracket.  report why of the waiter names futex
# as the largest wait, adds up to the waiter's wall time, and its critical
# path names the holder and its nanosleep.  That the path ends at a timer
# needs the recorder's waker_ctx: checked only when the trace has it.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
MUTEXSLEEP=${MUTEXSLEEP:-tests/mutexsleep}
[ -x "$MUTEXSLEEP" ] || skip "no $MUTEXSLEEP"
command -v python3 >/dev/null 2>&1 || skip "no python3"

trace=$TMP/why.kscope
# record -- CMD attaches before it starts CMD: nothing to wait for
"$KSCOPE" record -q -e syscall,sched -o "$trace" -- "$MUTEXSLEEP" 50 \
	>"$TMP/ms.out" 2>"$TMP/rec.err"
eq "record exits with the workload's status" "$?" 0
cat "$TMP/ms.out" "$TMP/rec.err"
W=$(kv "$TMP/ms.out" waiter_tid)
H=$(kv "$TMP/ms.out" holder_tid)
wf=$(kv "$TMP/ms.out" wait_from)
wt=$(kv "$TMP/ms.out" wait_to)
sf=$(kv "$TMP/ms.out" sleep_from)
st=$(kv "$TMP/ms.out" sleep_to)
[ -n "$W" ] && [ -n "$st" ] || { echo "FAIL workload output"; exit 1; }

# the waiter's futex sleep, inside its lock call, ended by the holder
# after its nanosleep
row=$(q "$trace" "SELECT ts, ts + dur, waker_tid FROM thread_state WHERE tid = $W AND state IN ('sleeping', 'blocked') AND syscall = 'futex' AND ts >= $wf AND ts + dur <= $wt ORDER BY dur DESC LIMIT 1")
echo "waiter's futex sleep: $row"
a=${row%%,*}
rest=${row#*,}
z=${rest%%,*}
waker=${rest#*,}
check "a futex sleep of the waiter within its lock call" [ -n "$row" ]
check "it ends after the holder's nanosleep returned" [ "${z:-0}" -ge "$st" ]
eq "its waker is the holder" "$waker" "$H"
n=$(q "$trace" "SELECT count(*) FROM thread_state WHERE tid = $H AND state = 'sleeping' AND syscall IN ('nanosleep', 'clock_nanosleep') AND ts >= $sf AND ts + dur <= $st")
eq "the holder's nanosleep sleep is within its bracket" "$n" 1

run_why() {
	"$KSCOPE" report "$trace" why --tid "$W" -F json >"$TMP/why.json" \
		2>"$TMP/why.err"
}
run_why
eq "report why exits 0" "$?" 0
python3 - "$TMP/why.json" "$H" <<'PY' >"$TMP/why.check"
import json, sys
d = json.load(open(sys.argv[1]))["tables"]
holder = int(sys.argv[2])
t = d["threads"][0]
parts = sum(p["time_ns"] for p in d["breakdown"])
print("sum", int(parts == t["wall_ns"]))
waits = [p for p in d["breakdown"] if p["what"] in ("sleeping", "blocked")]
print("top_wait", waits[0]["syscall"] if waits else None)
hops = [h for h in d["critical_path"] if h["wait"] == 1]
print("hop0", hops[0]["syscall"], hops[0]["woken_by"] or "")
h1 = hops[1] if len(hops) > 1 else {}
print("hop1", h1.get("tid"), h1.get("syscall"))
print("ends", hops[-1]["ends_at"])
PY
cat "$TMP/why.check"
kv2() { sed -n "s/^$1 //p" "$TMP/why.check" | head -n1; }
eq "breakdown adds up to the wall time" "$(kv2 sum)" 1
eq "the largest wait is in futex" "$(kv2 top_wait)" futex
check "hop 0: futex, woken by the holder" \
	grep -q "^hop0 futex .*/$H\$" "$TMP/why.check"
check "hop 1: the holder in its nanosleep" \
	grep -qE "^hop1 $H (clock_)?nanosleep\$" "$TMP/why.check"
ctx=$(q "$trace" "SELECT count(*) FROM sched_wakeup WHERE waker_ctx IS NOT NULL")
if [ "${ctx:-0}" -gt 0 ]; then
	eq "the path ends at a timer" "$(kv2 ends)" "a timer"
else
	echo "skip the path's end: this recorder writes no waker_ctx"
fi
finish
