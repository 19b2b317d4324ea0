#!/bin/sh
# test-record-runqlat.sh - `kscope report runqlat` against perf sched
# timehist over the same run: a write+fsync loop (tests/blkio io, on a
# file under /var/tmp) and then two processes pinned to one CPU passing a
# byte back and forth through pipes (each preempts the other when it
# wakes it), recorded by kscope and, system-wide around it, by perf.
#
# The oracle: for each workload thread, perf's run queue waits are the
# "wait time" of each run that follows a switch-out still runnable (R)
# and the "sch delay" of the others (wakeup to running).  kscope's total
# wait of those threads must be within 10% (and 2 ms) of perf's: not
# inflated by wakeups that came while the thread still ran (a fsync's
# waiter woken before it called schedule()), not short of the waits
# after a preemption.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
BLKIO=${BLKIO:-tests/blkio}
[ -x "$BLKIO" ] || skip "no $BLKIO"
command -v perf >/dev/null 2>&1 || skip "no perf"
command -v python3 >/dev/null 2>&1 || skip "no python3"
command -v taskset >/dev/null 2>&1 || skip "no taskset"
perf sched record -o "$TMP/probe.data" -- true >/dev/null 2>&1 ||
	skip "perf sched record cannot run here"

dir=$(mktemp -d /var/tmp/kscope-runqlat.XXXXXX) || skip "no /var/tmp"
trap 'rm -rf "$TMP" "$dir"' EXIT
cat >"$TMP/pingpong.py" <<'EOF'
import os, sys
n = int(sys.argv[1])
a, b = os.pipe()
c, d = os.pipe()
child = os.fork()
if child == 0:
    for _ in range(n):
        os.read(a, 1)
        os.write(d, b"x")
    os._exit(0)
print("pp_pid=%d\npp_child=%d" % (os.getpid(), child), flush=True)
for _ in range(n):
    os.write(b, b"x")
    os.read(c, 1)
os.waitpid(child, 0)
EOF

trace=$TMP/runqlat.kscope
perf sched record -a -o "$TMP/perf.data" -- \
	"$KSCOPE" record -q -o "$trace" -- sh -c "
		env '$NOLEAKS' '$BLKIO' io '$dir/data' 200 4096 &&
		exec taskset -c 0 python3 '$TMP/pingpong.py' 5000" \
	>"$TMP/work.out" 2>"$TMP/rec.err"
eq "perf and kscope record the workloads" "$?" 0
cat "$TMP/work.out"
tids="$(kv "$TMP/work.out" pid) $(kv "$TMP/work.out" pp_pid)"
tids="$tids $(kv "$TMP/work.out" pp_child)"
[ "$(echo $tids | wc -w)" -eq 3 ] || { echo "FAIL workload output"; exit 1; }

"$KSCOPE" report "$trace" runqlat -F json --top 100000 >"$TMP/rq.json" ||
	{ echo "FAIL kscope report runqlat"; exit 1; }
perf sched timehist --state -i "$TMP/perf.data" >"$TMP/timehist" \
	2>/dev/null || { echo "FAIL perf sched timehist"; exit 1; }

# per thread: kscope's total wait, perf's, in ns
python3 - "$TMP/rq.json" "$TMP/timehist" $tids >"$TMP/cmp" <<'EOF'
import json, re, sys
rq, th, tids = sys.argv[1], sys.argv[2], [int(t) for t in sys.argv[3:]]
k = {r["tid"]: r["total_ns"] for r in json.load(open(rq))["tables"]
     ["longest_waits"]}
p, last = {t: 0.0 for t in tids}, {}
for line in open(th):
    m = re.search(r"\[(\d+)(?:/\d+)?\]\s+([\d.]+)\s+([\d.]+)\s+[\d.]+\s+(\S+)",
                  line)
    if not m or int(m.group(1)) not in p:
        continue
    t = int(m.group(1))
    p[t] += float(m.group(2) if last.get(t) == "R" else m.group(3)) * 1e6
    last[t] = m.group(4)
for t in tids:
    print(t, k.get(t, 0), int(p[t]))
EOF
cat "$TMP/cmp"
K=$(awk '{ s += $2 } END { print s }' "$TMP/cmp")
P=$(awk '{ s += $3 } END { print s }' "$TMP/cmp")
ge "perf sees run queue waits (ns)" "$P" 1
slack=$((P / 10 + 2000000))
ge "kscope's total wait within 10% of perf's ($K ns, perf $P)" \
	"$((K + slack))" "$P"
ge "kscope's total wait not over perf's by 10% ($K ns, perf $P)" \
	"$((P + slack))" "$K"
finish
