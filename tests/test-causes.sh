#!/bin/sh
# test-causes.sh - what the analysis shows of the planted causes of
# tests/synth_causes.h (kscope-synth --planted causes): the summary's pointers
# (each the right pid, path, sender, cgroup, figure, and a next command
# naming the trace file that runs and shows the cause), replay text and
# JSON of signals, block_io and stacks, the filter on the new kinds, and
# the Perfetto export's wakeup arrows, irq marks, block slices and signal
# instants.
. "$(dirname "$0")/cli-lib.sh"

SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
have_python || { echo "SKIP: python3 with json needed"; exit 77; }

T=$TMP/causes.kscope
"$SYNTH" -o "$T" --planted causes || { echo "FAIL: kscope-synth"; exit 1; }

# ---- the summary ---------------------------------------------------------

run report "$T" --format json
expect_rc 0 && ok
last="summary pointers (JSON)"
python3 - "$TMP/out" "$T" <<'PY' && ok || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
trace = sys.argv[2]
t = d["tables"]

f = t["failed_before_exit"]
assert [r["pid"] for r in f] == [61001, 61001], f  # not tidy, which exit 0
assert f[0]["syscall"] == "openat" and f[0]["error"] == "ENOENT", f
assert f[0]["target"] == "/etc/app.conf" and f[0]["exit_code"] == 1, f
assert f[1]["target"] == "/etc/ld.so.preload", f

k = {r["pid"]: r for r in t["killed"]}
assert sorted(k) == [61012, 61020, 61021, 61022], k
assert k[61012]["signal"] == "SIGKILL", k
assert k[61012]["killed_by"] == "SIGKILL from 61011 (killer)", k
assert k[61020]["killed_by"] == "the OOM killer (cgroup /kscope-test/oom)"
assert k[61021]["killed_by"] == "the OOM killer (cgroup /kscope-test/oom2)"
assert k[61022]["signal"] == "SIGSEGV" and k[61022]["killed_by"] is None, k

u = t["unfinished"]
assert [(r["tid"], r["syscall"]) for r in u] == \
    [(61031, "read"), (61032, "futex")], u
assert u[0]["target"] == "pipe:[4242]" and u[0]["running_ns"] == 2900000000

b = t["busy_polls"]
assert [(r["tid"], r["syscall"]) for r in b] == [(61041, "epoll_wait")], b
assert b[0]["zero_timeout_polls"] == 3000 and b[0]["in_busiest_second"] == 3000

q = t["runnable"]
assert [(r["tid"], r["runnable_ns"], r["preempted_ns"], r["after_wakeup_ns"])
        for r in q] == [(61060, 70000000, 50000000, 20000000),
                        (61061, 15000000, 10000000, 5000000)], q

e = t["fd_exhaustion"]
assert [(r["pid"], r["syscall"], r["error"], r["count"]) for r in e] == \
    [(61050, "openat", "EMFILE", 5)], e

notes = d["notes"]
want = [
    "pid 61001 (app) exited with 1; its last failed call: openat "
    "/etc/app.conf = ENOENT: kscope replay %s 'pid = 61001'",
    "pid 61012 (sleep) was killed by SIGKILL from 61011 (killer): kscope "
    "replay %s 'kind = signal and pid = 61012'",
    "pid 61020 (hog) was killed by the OOM killer (cgroup /kscope-test/oom):"
    " kscope replay %s 'kind = signal and pid = 61020'",
    "pid 61022 (crash) was killed by SIGSEGV (the trace does not say by "
    "whom): kscope replay %s 'kind = signal and pid = 61022'",
    "pid 61021 (hog2) was killed by the OOM killer (cgroup "
    "/kscope-test/oom2): kscope replay %s 'kind = signal and pid = 61021'",
    "2 calls were still running at the end; the longest, read pipe:[4242] "
    "in tid 61031 (pid 61030), for 2.900 s: kscope replay %s 'tid = 61031'",
    "tid 61041 (pid 61040) polls without waiting: 3000 zero-timeout "
    "epoll_wait calls in one second: kscope replay %s "
    "'tid = 61041 and name = epoll_wait'",
    "tid 61060 (runq) waited longest for a CPU, 70.00 ms in 2 waits: "
    "kscope report %s runqlat --pid 61060",
    "pid 61050 (leaky) ran out of file descriptors: 5 openat failed with "
    "EMFILE: kscope report %s files --pid 61050",
]
for w in want:
    assert w % trace in notes, (w % trace, notes)
with open(sys.argv[1] + ".cmds", "w") as o:
    for n in notes[:len(want)]:
        o.write(n.split(": kscope ", 1)[1] + "\n")
PY

# each next command runs and shows its cause
while IFS= read -r line; do
	eval "set -- $line"
	case "$*" in
	*"pid = 61001"*) text='"/etc/app.conf", O_RDONLY) = -2 ENOENT' ;;
	*"pid = 61012"*) text='signal SIGKILL from killer/61011 to sleep/61012 generate' ;;
	*"pid = 61020"*) text='oom_kill cgroup="/kscope-test/oom"' ;;
	*"pid = 61021"*) text='oom_kill cgroup="/kscope-test/oom2"' ;;
	*"pid = 61022"*) text='' ;;
	*"tid = 61031"*) text='read(5' ;;
	*"tid = 61041"*) text='epoll_wait(4, NULL, 16, 0) = 0' ;;
	*runqlat*) text='61060' ;;
	*files*) text='/tmp/leak/' ;;
	*) text='?' ;;
	esac
	run "$@"
	if [ -z "$text" ]; then
		expect_rc 0 && [ ! -s "$TMP/out" ] && ok "no signals row" ||
			fail "a signals row"
	else
		expect_rc 0 && expect_out_has "$text" && ok "shows $text"
	fi
done <"$TMP/out.cmds"

# the runnable figures are thread_state's (one rule, two folds): on a
# synthetic trace, the summary's top threads against SQL
"$SYNTH" -o "$TMP/s.kscope" -n 30000 >/dev/null || fail "kscope-synth"
run report "$TMP/s.kscope" --format json --top 10
expect_rc 0
python3 - "$TMP/out" >"$TMP/rq" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["tables"]["runnable"]:
    print("%d|%d|%d" % (r["tid"], r["runnable_ns"], r["waits"]))
PY
run query "$TMP/s.kscope" -F csv "SELECT tid || '|' || sum(dur) || '|' ||
	count(*) AS r FROM thread_state WHERE state = 'runnable' GROUP BY tid
	ORDER BY sum(dur) DESC, tid LIMIT 10"
last="summary runnable = SQL thread_state"
tail -n +2 "$TMP/out" | tr -d '\r' >"$TMP/rq.sql"
[ -s "$TMP/rq" ] && diff "$TMP/rq.sql" "$TMP/rq" && ok || fail "differ"

# text leaves out the empty pointers; --pid narrows them
run report "$T" --pid 61050
expect_rc 0 && expect_out_has "Out of file descriptors" &&
	! grep -q "Killed by a signal\|Last failed calls" "$TMP/out" && ok ||
	fail "pointers of other processes shown"

# ---- replay --------------------------------------------------------------

run replay "$T" 'kind = signal or kind = block'
expect_rc 0
last="replay text of the new kinds"
sed 's/^[^ ]* - \[[0-9]*\] *[^ ]* *//' "$TMP/out" >"$TMP/text"
cat >"$TMP/want" <<'EOF'
block vda read 512 bytes at sector 99 <30.00 ms> error=EIO
block vda flush 0 bytes at sector 0 <5.00 ms>
block vda write 4096 bytes at sector 2048 <1.50 ms>
signal SIGTERM from killer/61011 to sleep/61012 generate
signal SIGKILL from killer/61011 to sleep/61012 generate
signal SIGKILL from killer/61011 to sleep/61012 deliver
signal SIGKILL from hog/61020 to hog/61020 generate
signal SIGKILL from the kernel to hog/61020 oom_kill cgroup="/kscope-test/oom"
signal SIGKILL from the kernel to hog2/61021 oom_kill cgroup="/kscope-test/oom2"
EOF
diff "$TMP/want" "$TMP/text" >"$TMP/diff" && ok || { cat "$TMP/diff"; fail "differs"; }

run replay "$T"
expect_rc 0 && ! grep -q ' stack ' "$TMP/out" && expect_out_has "signal SIGKILL" &&
	ok "stacks rows (a dictionary) are not in the default stream" ||
	fail "a stack row in the default stream"
run replay "$T" 'kind = stack and stack_id = 7'
expect_rc 0 && [ "$(wc -l <"$TMP/out")" -eq 1 ] && expect_out_has \
	"runq/61060           stack 7 entry_SYSCALL_64;do_syscall_64;ksys_read;vfs_read;pipe_read;schedule" &&
	ok || fail "one stack row wanted"
run replay "$T" 'kind = stack or kind = signal'
expect_rc 0 && ! grep -q ' stack ' "$TMP/out" &&
	ok "stacks only with a filter that matches nothing else" ||
	fail "a stack row with other kinds"

# the filter: the kinds and sub-kinds, pid = P on sender or target
run replay "$T" 'kind = oom_kill'
expect_rc 0 && [ "$(wc -l <"$TMP/out")" -eq 2 ] &&
	expect_out_has "[001] kernel/0             signal SIGKILL from the kernel" &&
	ok || fail "two oom_kill, the kernel's"
run replay "$T" 'kind = signal and pid = 61012'
expect_rc 0 && [ "$(wc -l <"$TMP/out")" -eq 3 ] && ok || fail "3 signals to 61012"
run replay "$T" 'kind = signal and pid = 61011'
expect_rc 0 && [ "$(wc -l <"$TMP/out")" -eq 3 ] && ok || fail "3 signals from 61011"
run replay "$T" 'kind = block and error = -5'
expect_rc 0 && [ "$(wc -l <"$TMP/out")" -eq 1 ] && expect_out_has "error=EIO" &&
	ok || fail "one failed request"
run replay "$T" 'kind = write and bytes > 1000'
expect_rc 0 && [ "$(wc -l <"$TMP/out")" -eq 1 ] && expect_out_has "block vda write" &&
	ok || fail "one write of more than 1000 bytes"

run replay "$T" 'kind = signal or kind = block' --format json
expect_rc 0
last="replay JSON of the new kinds"
python3 - "$TMP/out" <<'PY' && ok || fail "see above"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sig = [r for r in rows if r["event"] == "signal"]
blk = [r for r in rows if r["event"] == "block"]
assert len(sig) == 6 and len(blk) == 3, rows
oom = [r for r in sig if r["kind"] == "oom_kill"][0]
assert oom["signal"] == "SIGKILL" and oom["cgroup"] == "/kscope-test/oom"
assert oom["sender_pid"] == 0 and oom["target_pid"] == 61020
gen = [r for r in sig if r["kind"] == "generate" and r["sig"] == 9][0]
assert gen["sender_comm"] == "killer" and gen["target_pid"] == 61012
assert gen["text"] == "signal SIGKILL from killer/61011 to sleep/61012 generate"
r = [b for b in blk if b["op"] == "read"][0]
assert r["error"] == -5 and r["errno"] == "EIO" and r["dev"] == "vda"
assert r["dur"] == 30000000 and r["bytes"] == 512 and r["pid"] == 61030
assert "errno" not in [b for b in blk if b["op"] == "write"][0]
PY

# ---- Perfetto ------------------------------------------------------------

run export "$T" --format perfetto -o "$TMP/causes.json"
expect_rc 0
last="Perfetto export of the new kinds"
python3 - "$TMP/causes.json" <<'PY' && ok || fail "see above"
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
CPUS, CPU0 = 4194400, 4194401
IRQ1 = CPUS + 1 + 65536 + 1
BLOCK = CPUS + 1 + 2 * 65536
us = lambda ms: ms * 1000.0
for e in ev:
    assert e["ph"] in ("M", "X", "i", "s", "f"), e
meta = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev
        if e["ph"] == "M" and e["name"] in ("thread_name", "process_name")}

# wakeup arrows: one per wakeup whose thread ran, start and finish paired
fl = {}
for e in ev:
    if e["ph"] in ("s", "f"):
        assert e["cat"] == "wakeup" and e["pid"] == CPUS, e
        fl.setdefault(e["id"], {})[e["ph"]] = e
assert len(fl) == 2, fl
a, b = fl[1], fl[2]
# runq-b (on CPU 0) wakes runq at 780 ms; runq runs on CPU 0 at 800 ms
assert (a["s"]["tid"], a["s"]["ts"]) == (CPU0, us(780)), a
assert (a["f"]["tid"], a["f"]["ts"], a["f"]["bp"]) == (CPU0, us(800), "e"), a
# a TIMER softirq on CPU 1 wakes runq-b at 805 ms; it runs at 810 ms
assert (b["s"]["tid"], b["s"]["ts"]) == (IRQ1, us(805)), b
assert (b["f"]["tid"], b["f"]["ts"]) == (CPU0, us(810)), b
assert meta[(CPUS, IRQ1)] == "CPU 1 irq"
mark = [e for e in ev if e["ph"] == "X" and e["tid"] == IRQ1]
assert [(m["name"], m["ts"], m["cat"]) for m in mark] == \
    [("softirq TIMER", us(805), "irq")], mark
# the arrow ends in the woken thread's on-CPU slice, which starts there
cpu0 = [e for e in ev if e["ph"] == "X" and e["tid"] == CPU0]
assert any(s["ts"] == us(800) and s["name"] == "runq/61060" for s in cpu0)
assert any(s["ts"] <= us(780) < s["ts"] + s["dur"] and
           s["name"] == "runq-b/61061" for s in cpu0)

# block I/O: per-device tracks, overlapping requests on a second one
assert meta[(BLOCK, BLOCK)] == "Block I/O"
blk = sorted((e for e in ev if e.get("cat") == "block"), key=lambda e: e["ts"])
assert [(meta[(e["pid"], e["tid"])], e["name"], e["ts"], e["dur"])
        for e in blk] == [("vda", "read", us(150), us(30)),
                          ("vda (2)", "flush", us(160), us(5)),
                          ("vda", "write", us(265), us(1.5))], blk
assert blk[0]["args"]["errno"] == "EIO" and blk[0]["args"]["pid"] == 61030
for t in set(e["tid"] for e in blk):	# slices on a track never overlap
    s = sorted((e["ts"], e["ts"] + e["dur"]) for e in blk if e["tid"] == t)
    assert all(x[1] <= y[0] for x, y in zip(s, s[1:])), s

# signals: instants on the target's track
sig = [(e["pid"], e["tid"], e["name"], e["ts"]) for e in ev
       if e["ph"] == "i" and e["cat"] == "proc" and
       ("SIG" in e["name"] or e["name"] == "oom_kill")]
assert (61012, 61012, "SIGKILL generate", us(400)) in sig, sig
assert (61020, 61020, "oom_kill", us(500.01)) in sig, sig
assert not [e for e in ev if "stack" in e.get("name", "")]

# thread states (analyze/fold/tstate.h): a track per thread drawn
st = [e for e in ev if e["ph"] == "X" and e["cat"] == "state" and
      e["args"]["tid"] == 61060]
assert st and meta[(61060, st[0]["tid"])] == "runq/61060 state", st
assert len(set(e["tid"] for e in st)) == 1
assert [(e["name"], e["ts"], e["dur"]) for e in st][:6] == [
    ("running", us(700), us(10)), ("runnable", us(710), us(50)),
    ("running", us(760), us(10)), ("sleeping", us(770), us(10)),
    ("runnable", us(780), us(20)), ("running", us(800), us(10))], st
sl = st[3]["args"]
assert sl["blocked_in"] == "pipe_read" and sl["waker_tid"] == 61061, sl
assert sl["waker_ctx"] == "task", sl
b2 = [e for e in ev if e["ph"] == "X" and e["cat"] == "state" and
      e["args"]["tid"] == 61061 and e["name"] == "sleeping"][0]["args"]
assert b2["waker_ctx"] == "softirq" and b2["waker_irq"] == "TIMER", b2
PY

[ "$fails" -eq 0 ] || exit 1
exit 0
