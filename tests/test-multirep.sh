#!/bin/sh
# test-multirep.sh - `kscope info`, `report` and `export` over several
# traces: three kscope-synth traces (seeds 1, 2, 3: hosts db-prod-01, -02,
# -03, pids that overlap between them), a copy of the first (the same
# host again) and two tests/synth-fleet traces (hosts db-prod-11, -12).
#
#   info    several = each single one under its heading; JSON = an array
#           of {trace, host, info} whose info is the single JSON;
#   report  without --merge: each trace's report objects are the single
#           ones plus the host; with --merge: the syscalls and errors
#           figures equal the sum of the per-trace reports AND an
#           independent count with `kscope query` (SQL count/sum, and
#           nearest-rank percentiles computed here from every duration);
#           failed calls per (host, pid) never join pids of two hosts, and
#           join those of two traces of one host; merged files equal SQL
#           per path text, per (host, pid) and per (host, fd name); merged
#           net per connection (with its host) and per peer; a report
#           that cannot be merged says so in one line;
#   export  csv: each file is the singles' rows, trace and host first;
#           perfetto: each trace's events are the single export's, pids
#           and tids shifted into the trace's namespace, times shifted by
#           the wall-clock difference of the starts;
#   errors  a missing file, a file that is not a trace: one line, exit 1.
. "$(dirname "$0")/cli-lib.sh"
SYNTH=${SYNTH:-tests/kscope-synth}
FLEET=${FLEET:-tests/synth-fleet}
for p in "$SYNTH" "$FLEET"; do
	[ -x "$p" ] || { echo "SKIP: $p not built"; exit 77; }
done
have_python || { echo "SKIP: no python3 with json, csv"; exit 77; }

# expect_err_has TEXT: stderr holds TEXT
expect_err_has() {
	grep -qF -- "$1" "$TMP/err" || { fail "stderr lacks '$1'"; return 1; }
}

# objs(PATH): the JSON values of a file, one after the other (a report
# prints one object per report)
cat >"$TMP/mrlib.py" <<'EOF'
import json
def objs(path):
    s, d, out, i = open(path).read(), json.JSONDecoder(), [], 0
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i == len(s):
            return out
        o, i = d.raw_decode(s, i)
        out.append(o)
EOF
export PYTHONPATH="$TMP"

A=$TMP/a.kscope B=$TMP/b.kscope C=$TMP/c.kscope
for s in 1 2 3; do
	f=$(echo "$A $B $C" | cut -d' ' -f$s)
	"$SYNTH" -o "$f" -n 20000 --seed $s >/dev/null ||
		{ echo "FAIL: kscope-synth"; exit 1; }
done
A2=$TMP/a2.kscope
cp "$A" "$A2"

# ---- info ----------------------------------------------------------
run info "$A" "$B" "$C"
expect_rc 0
: >"$TMP/want"
for f in "$A" "$B" "$C"; do
	[ "$f" = "$A" ] || echo >>"$TMP/want"
	h=$("$KSCOPE" query "$f" "SELECT value FROM meta WHERE key = 'host'" \
		-F csv | tail -n 1 | tr -d '\r')
	echo "==> $f (host $h) <==" >>"$TMP/want"
	"$KSCOPE" info "$f" >>"$TMP/want"
done
cmp -s "$TMP/out" "$TMP/want" && ok "text = the singles under headings" ||
	fail "text differs from the singles: $(diff "$TMP/want" "$TMP/out" | head -5)"
run info "$A"
"$KSCOPE" info "$A" >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want" && ok "one trace as before" || fail "one trace"

"$KSCOPE" info "$A" "$B" -F json >"$TMP/multi.json"
"$KSCOPE" info "$A" -F json >"$TMP/a.json"
"$KSCOPE" info "$B" -F json >"$TMP/b.json"
last="kscope info A B -F json"
python3 - "$TMP" "$A" "$B" <<'EOF' && ok "an array of the singles" || fail "json"
import json, sys
tmp, a, b = sys.argv[1:]
m = json.load(open(tmp + "/multi.json"))
want = [(a, "db-prod-01", json.load(open(tmp + "/a.json"))),
        (b, "db-prod-02", json.load(open(tmp + "/b.json")))]
got = [(x["trace"], x["host"], x["info"]) for x in m]
sys.exit(0 if got == want else 1)
EOF

# ---- report, each trace -------------------------------------------
for f in "$A" "$B"; do
	"$KSCOPE" report "$f" syscalls errors -F json --top 1000 >>"$TMP/singles.json"
done
run report "$A" "$B" syscalls errors -F json --top 1000
expect_rc 0
python3 - "$TMP" <<'EOF' && ok "each trace's reports = the singles + host" ||
import sys
from mrlib import objs
single = objs(sys.argv[1] + "/singles.json")
multi = objs(sys.argv[1] + "/out")
hosts = [o.pop("host") for o in multi]
ok = multi == single and hosts == ["db-prod-01"] * 2 + ["db-prod-02"] * 2
sys.exit(0 if ok else 1)
EOF
	fail "per-trace reports differ from the singles"
run report "$A" "$B" syscalls
expect_out_has "kscope report syscalls: $A (host db-prod-01)" &&
	expect_out_has "kscope report syscalls: $B (host db-prod-02)" &&
	ok "text headers name trace and host"

# ---- report --merge -------------------------------------------------
for f in "$A" "$B" "$C"; do
	"$KSCOPE" report "$f" syscalls errors -F json --top 100000 \
		>"$TMP/$(basename "$f").rep"
	"$KSCOPE" query "$f" -F csv "SELECT name, count(*),
		sum(ret >= -4095 AND ret < 0 AND (flags & 1) = 0),
		sum(CASE WHEN flags & 1 THEN 0 ELSE dur END)
		FROM syscalls GROUP BY name" >"$TMP/$(basename "$f").q1"
	"$KSCOPE" query "$f" -F csv "SELECT pid, name, ret, count(*)
		FROM syscalls WHERE ret >= -4095 AND ret < 0 AND
		(flags & 1) = 0 GROUP BY pid, name, ret" \
		>"$TMP/$(basename "$f").q2"
	"$KSCOPE" query "$f" -F csv "SELECT name, dur FROM syscalls
		WHERE (flags & 1) = 0 AND name IN ('read', 'openat',
		'epoll_wait')" >"$TMP/$(basename "$f").q3"
done
run report "$A" "$B" "$C" --merge syscalls errors -F json --top 100000
expect_rc 0
cp "$TMP/out" "$TMP/merged.json"
python3 - "$TMP" "$A" "$B" "$C" <<'EOF' && ok "merged = sum of the traces = SQL" ||
import csv, json, math, sys
from collections import Counter
tmp, paths = sys.argv[1], sys.argv[2:]
hosts = ["db-prod-01", "db-prod-02", "db-prod-03"]
from mrlib import objs
def rows(path):
    return list(csv.reader(open(path, newline="")))[1:]
bad = []
def check(what, got, want):
    if got != want:
        bad.append(what)
        print("FAIL detail:", what, "got", str(got)[:300], "want",
              str(want)[:300])
merged = objs(tmp + "/merged.json")
msc, mer = merged[0], merged[1]
check("merged flag", (msc.get("merged"), [t["trace"] for t in msc["traces"]],
      [t["host"] for t in msc["traces"]]), (True, paths, hosts))
# per-trace reports added up
calls, errs, tot = Counter(), Counter(), Counter()
byerrno, byproc = Counter(), Counter()
for p in paths:
    sc, er = objs(tmp + "/" + p.split("/")[-1] + ".rep")
    for r in sc["tables"]["by_syscall"]:
        calls[r["syscall"]] += r["calls"]
        errs[r["syscall"]] += r["errors"]
        tot[r["syscall"]] += r["total_ns"]
    for r in er["tables"]["by_errno"]:
        byerrno[r["ret"]] += r["count"]
m = msc["tables"]["by_syscall"]
check("calls = sum of traces", {r["syscall"]: r["calls"] for r in m},
      dict(calls))
check("errors = sum of traces", {r["syscall"]: r["errors"] for r in m},
      dict(errs))
check("total = sum of traces", {r["syscall"]: r["total_ns"] for r in m},
      dict(tot))
check("by_errno = sum of traces",
      {r["ret"]: r["count"] for r in mer["tables"]["by_errno"]},
      dict(byerrno))
# the SQL oracle
qcalls, qerrs, qtot, qproc = Counter(), Counter(), Counter(), Counter()
qerrno, qkey, durs = Counter(), Counter(), {}
for h, p in zip(hosts, paths):
    b = tmp + "/" + p.split("/")[-1]
    for name, n, e, t in rows(b + ".q1"):
        qcalls[name] += int(n)
        qerrs[name] += int(e)
        qtot[name] += int(t)
    for pid, name, ret, n in rows(b + ".q2"):
        qproc[(h, int(pid), name, int(ret))] += int(n)
        qerrno[int(ret)] += int(n)
        qkey[(name, int(ret))] += int(n)
    for name, d in rows(b + ".q3"):
        durs.setdefault(name, []).append(int(d))
check("calls = SQL", {r["syscall"]: r["calls"] for r in m}, dict(qcalls))
check("errors = SQL", {r["syscall"]: r["errors"] for r in m},
      {k: v for k, v in qerrs.items()})
check("total = SQL", {r["syscall"]: r["total_ns"] for r in m}, dict(qtot))
check("by_errno = SQL",
      {r["ret"]: r["count"] for r in mer["tables"]["by_errno"]},
      dict(qerrno))
check("by_syscall errors = SQL",
      {(r["syscall"], r["ret"]): r["count"]
       for r in mer["tables"]["by_syscall"]}, dict(qkey))
# failed calls per (host, pid): hosts never joined
label = {r["error"]: r["ret"] for r in mer["tables"]["by_errno"]}
got = {(r["host"], r["pid"], r["syscall"], label[r["error"]]): r["count"]
       for r in mer["tables"]["by_process"]}
check("by_process = SQL per host", got, dict(qproc))
shared = {k[1] for k in got if k[0] == hosts[0]} & \
         {k[1] for k in got if k[0] == hosts[1]}
check("some pid fails on two hosts (the test's premise)", bool(shared), True)
# processes per (syscall, errno): distinct (host, pid)
procs = Counter((k[2], k[3]) for k in qproc)
check("processes = distinct (host, pid)",
      {(r["syscall"], r["ret"]): r["processes"]
       for r in mer["tables"]["by_syscall"]}, dict(procs))
# nearest-rank percentiles over every trace's durations
def pct(v, p):
    v = sorted(v)
    rank = max(1, min(len(v), math.ceil(p / 100 * len(v) - 1e-9)))
    return v[rank - 1]
for r in m:
    if r["syscall"] in durs:
        d = durs[r["syscall"]]
        check("percentiles of " + r["syscall"],
              (r["p50_ns"], r["p90_ns"], r["p99_ns"], r["max_ns"]),
              (pct(d, 50), pct(d, 90), pct(d, 99), max(d)))
sys.exit(1 if bad else 0)
EOF
	fail "merged figures"

# the slowest calls of all: the N slowest durations of the union (SQL),
# each row with its trace's host
for f in "$A" "$B" "$C"; do
	"$KSCOPE" query "$f" -F csv "SELECT dur, tid FROM syscalls
		WHERE (flags & 1) = 0 ORDER BY dur DESC LIMIT 25" |
		tail -n +2 | tr -d '\r' | sed "s/^/$(basename "$f"),/"
done >"$TMP/slow.q"
run report "$A" "$B" "$C" --merge slow -F json --top 25
cp "$TMP/out" "$TMP/slow.json"
python3 - "$TMP" <<'EOF' && ok "merged slow = the slowest of the union" ||
import json, sys
tmp = sys.argv[1]
host = {"a.kscope": "db-prod-01", "b.kscope": "db-prod-02",
        "c.kscope": "db-prod-03"}
q = [l.strip().split(",") for l in open(tmp + "/slow.q")]
want = sorted(((int(d), host[f], int(t)) for f, d, t in q),
              key=lambda x: -x[0])[:25]
got = json.load(open(tmp + "/slow.json"))["tables"]["slowest"]
sys.exit(0 if [r["dur_ns"] for r in got] == [w[0] for w in want] and
         all((r["dur_ns"], r["host"], r["tid"]) in set(want) for r in got)
         else 1)
EOF
	fail "merged slow"

# run queue latency: the histogram and the waits of every trace added up
# (each trace's report), the percentiles over every wait (paired here from
# each trace's wakeups and switches by SQL, by the rule of
# analyze/fold/runqlat.h: a wait starts at a wakeup of a thread that is
# not running or at a switch-out still runnable, and ends at its
# switch-in), the threads of each host
for f in "$A" "$B" "$C"; do
	"$KSCOPE" report "$f" runqlat -F json --top 100000 \
		>"$TMP/$(basename "$f").rq"
	"$KSCOPE" query "$f" -F csv "SELECT ts, 0, tid, 0, 0
		FROM sched_wakeup UNION ALL SELECT ts, 1, next_tid, prev_tid,
		prev_state FROM sched_switch
		ORDER BY 1, 2" >"$TMP/$(basename "$f").rqq"
done
run report "$A" "$B" "$C" --merge runqlat -F json --top 100000
cp "$TMP/out" "$TMP/rq.json"
python3 - "$TMP" <<'EOF' && ok "merged runqlat = sum of the traces, waits paired by SQL" ||
import csv, json, math, sys
from collections import Counter
tmp = sys.argv[1]
names = ["a.kscope", "b.kscope", "c.kscope"]
hosts = ["db-prod-01", "db-prod-02", "db-prod-03"]
m = json.load(open(tmp + "/rq.json"))["tables"]
hist, runs, rows, waits = Counter(), 0, set(), []
for n, h in zip(names, hosts):
    t = json.load(open(tmp + "/" + n + ".rq"))["tables"]
    for b in t["histogram"]:
        hist[b["lo_us"]] += b["count"]
    runs += t["stats"][0]["runs"] if t["stats"] else 0
    rows |= {(h, r["tid"], r["runs"], r["total_ns"])
             for r in t["longest_waits"]}
    pend, running = {}, set()
    for ts, kind, tid, prev, state in \
            list(csv.reader(open(tmp + "/" + n + ".rqq")))[1:]:
        ts, tid, prev = int(ts), int(tid), int(prev)
        if kind == "0":
            if tid not in running:
                pend.setdefault(tid, ts)
            continue
        running.discard(prev)
        pend.pop(prev, None)  # it ran: a wait seen from a wakeup is none
        if state == "0" and prev:
            pend[prev] = ts   # preempted: runnable from here
        if tid in pend:
            waits.append(ts - pend.pop(tid))
        running.add(tid)
def pct(v, p):
    v = sorted(v)
    return v[max(1, min(len(v), math.ceil(p / 100 * len(v) - 1e-9))) - 1]
got_hist = Counter({b["lo_us"]: b["count"] for b in m["histogram"]})
st = m["stats"][0]
got_rows = {(r["host"], r["tid"], r["runs"], r["total_ns"])
            for r in m["longest_waits"]}
checks = [
    ("histogram", +got_hist, +hist),
    ("runs", st["runs"], runs),
    ("runs = SQL pairs", st["runs"], len(waits)),
    ("percentiles = SQL pairs", (st["p50_ns"], st["p90_ns"], st["p99_ns"],
     st["max_ns"]), (pct(waits, 50), pct(waits, 90), pct(waits, 99),
     max(waits))),
    ("threads by host", got_rows, rows),
]
bad = [c for c in checks if c[1] != c[2]]
for c in bad:
    print("FAIL detail:", c[0], str(c[1])[:200], str(c[2])[:200])
sys.exit(1 if bad else 0)
EOF
	fail "merged runqlat"

# two traces of one host: their pids are one host's, and join
run report "$A" "$A2" --merge errors -F json --top 100000
"$KSCOPE" report "$A" errors -F json --top 100000 >"$TMP/a.err"
cp "$TMP/out" "$TMP/aa.err"
last="kscope report A copy-of-A --merge errors"
python3 - "$TMP" <<'EOF' && ok "one host's pids join, counts doubled" ||
import json, sys
one = json.load(open(sys.argv[1] + "/a.err"))["tables"]["by_process"]
two = json.load(open(sys.argv[1] + "/aa.err"))["tables"]["by_process"]
want = {(r["pid"], r["syscall"], r["error"]): 2 * r["count"] for r in one}
got = {(r["pid"], r["syscall"], r["error"]): r["count"] for r in two}
sys.exit(0 if got == want and all(r["host"] == "db-prod-01" for r in two)
         else 1)
EOF
	fail "same host"

# files: per path (by its text) the opens, failures and calls naming it,
# per (path, errno) the failed opens, per (host, pid) the file activity
# (A's copy is the same host: its pids join A's) -- against SQL over each
# trace; per (host, fd name) the calls on an open file: two fleet traces,
# whose process 92001 fsyncs the fd of /var/lib/db/wal on each host
F1=$TMP/f1.kscope F2=$TMP/f2.kscope
"$FLEET" "$F1" 11 5 3 && "$FLEET" "$F2" 12 7 2 ||
	{ echo "FAIL: synth-fleet"; exit 1; }
OPEN="name IN ('open', 'openat', 'openat2', 'creat')"
FAILED="ret >= -4095 AND ret < 0"
FIN="(flags & 1) = 0"
R="name IN ('read', 'pread64', 'readv', 'preadv', 'preadv2')"
W="name IN ('write', 'pwrite64', 'writev', 'pwritev', 'pwritev2')"
S="name IN ('fsync', 'fdatasync', 'sync_file_range')"
IO="sum($FIN AND $R), sum(CASE WHEN $FIN AND $R AND ret > 0 THEN ret
	ELSE 0 END), sum($FIN AND $W), sum(CASE WHEN $FIN AND $W AND ret > 0
	THEN ret ELSE 0 END), sum($FIN AND $S), sum(CASE WHEN $FIN AND $S
	THEN dur ELSE 0 END)"
for f in "$A" "$B" "$C" "$A2" "$F1" "$F2"; do
	q="$TMP/$(basename "$f").fq"
	"$KSCOPE" query "$f" -F csv "SELECT value FROM meta
		WHERE key = 'host'" >"$q.host"
	"$KSCOPE" query "$f" -F csv "SELECT coalesce(path, ''), count(*),
		sum($FAILED) FROM syscalls WHERE $OPEN AND $FIN
		GROUP BY 1" >"$q.open"
	"$KSCOPE" query "$f" -F csv "SELECT path, ret, count(*)
		FROM syscalls WHERE $OPEN AND $FIN AND $FAILED
		GROUP BY 1, 2" >"$q.fail"
	"$KSCOPE" query "$f" -F csv "SELECT path, count(*),
		sum($FIN AND $FAILED), sum(CASE WHEN $FIN THEN dur ELSE 0 END)
		FROM syscalls WHERE path IS NOT NULL GROUP BY 1" >"$q.path"
	"$KSCOPE" query "$f" -F csv "SELECT pid, sum($OPEN),
		sum($OPEN AND $FAILED), $IO FROM syscalls
		WHERE $FIN AND ($OPEN OR $R OR $W OR $S) GROUP BY 1" >"$q.proc"
	"$KSCOPE" query "$f" -F csv "SELECT fd_name, count(*),
		sum($FIN AND $FAILED), sum(CASE WHEN $FIN THEN dur ELSE 0 END),
		$IO FROM syscalls WHERE fd_name IS NOT NULL GROUP BY 1" >"$q.fd"
done
run report "$A" "$B" "$C" "$A2" --merge files -F json --top 100000
cp "$TMP/out" "$TMP/files.json"
run report "$F1" "$F2" --merge files -F json --top 100000
cp "$TMP/out" "$TMP/ffiles.json"
python3 - "$TMP" <<'EOF' && ok "merged files = SQL: paths by text, processes and files by host" ||
import csv, errno, json, sys
tmp = sys.argv[1]
def q(n, kind):
    return list(csv.reader(open("%s/%s.fq.%s" % (tmp, n, kind), newline="",
                                errors="surrogateescape")))[1:]
def add(d, k, v):
    d[k] = [a + int(b or 0) for a, b in zip(d.get(k, [0] * len(v)), v)]
bad = 0
def check(what, got, want):
    global bad
    if got != want:
        print("FAIL detail:", what, sorted(got.items())[:3],
              sorted(want.items())[:3], len(got), len(want))
        bad = 1
io = ["reads", "read_bytes", "writes", "write_bytes", "fsyncs", "fsync_ns"]
for names, js in ((["a.kscope", "b.kscope", "c.kscope", "a2.kscope"],
                   "files.json"), (["f1.kscope", "f2.kscope"], "ffiles.json")):
    m = json.load(open(tmp + "/" + js))["tables"]
    want = [{} for _ in range(5)]
    for n in names:
        h = q(n, "host")[0][0]
        for r in q(n, "open"):
            add(want[0], r[0], r[1:])
        for r in q(n, "fail"):
            add(want[1], (r[0], errno.errorcode[-int(r[1])]), r[2:])
        for r in q(n, "path"):
            add(want[2], r[0], r[1:])
        for r in q(n, "proc"):
            add(want[3], (h, int(r[0])), r[1:])
        for r in q(n, "fd"):
            add(want[4], (h, r[0]), r[1:])
    if js == "ffiles.json":   # the planted path's bytes: not compared
        want[0] = want[1] = want[2] = {}
        m["most_opened"] = m["failed_opens"] = m["by_path"] = []
    check("most_opened", {r["path"]: [r["opens"], r["failed"]]
                          for r in m["most_opened"]}, want[0])
    check("failed_opens", {(r["path"], r["error"]): [r["count"]]
                           for r in m["failed_opens"]}, want[1])
    check("by_path", {r["path"]: [r["calls"], r["errors"], r["time_ns"]]
                      for r in m["by_path"]}, want[2])
    check("by_process", {(r["host"], r["pid"]): [r["opens"],
          r["failed_opens"]] + [r[k] for k in io]
          for r in m["by_process"]}, want[3])
    check("by_file", {(r["host"], r["file"]): [r["calls"], r["errors"],
          r["time_ns"]] + [r[k] for k in io] for r in m["by_file"]}, want[4])
sys.exit(bad or len(want[4]) != 2)
EOF
	fail "merged files"

# net: per connection (one per sock: the synth traces reuse none) its host
# and bytes; per remote endpoint the connections, failures and bytes added
# up across hosts, except loopback peers and accepted connections' local
# endpoints, which stay their host's (A's copy is A's host: they join) --
# against SQL over each trace's net_events
for f in "$A" "$B" "$C" "$A2"; do
	q="$TMP/$(basename "$f").nq"
	"$KSCOPE" query "$f" -F csv "SELECT value FROM meta
		WHERE key = 'host'" >"$q.host"
	"$KSCOPE" query "$f" -F csv "SELECT sock,
		max(new_state = 'SYN_RECV' OR old_state IN ('SYN_RECV',
			'LISTEN')),
		max(new_state = 'SYN_SENT') AND NOT
			max(new_state = 'ESTABLISHED') AND
			max(new_state = 'CLOSE' OR kind = 'reset_recv'),
		sum(CASE WHEN kind = 'send' THEN bytes ELSE 0 END),
		sum(CASE WHEN kind = 'recv' THEN bytes ELSE 0 END),
		max(saddr), max(sport), max(daddr), max(dport)
		FROM net_events WHERE sock != 0 GROUP BY sock" >"$q.socks"
done
run report "$A" "$B" "$C" "$A2" --merge net -F json --top 100000
cp "$TMP/out" "$TMP/net.json"
python3 - "$TMP" <<'EOF' && ok "merged net = SQL: connections by host, endpoints by peer" ||
import csv, json, sys
from collections import Counter
tmp = sys.argv[1]
m = json.load(open(tmp + "/net.json"))["tables"]
conns, ends = Counter(), {}
def ep(a, p):
    return ("[%s]:%s" if ":" in a else "%s:%s") % (a, p)
for n in ["a.kscope", "b.kscope", "c.kscope", "a2.kscope"]:
    rows = list(csv.reader(open("%s/%s.nq.socks" % (tmp, n), newline="")))
    h = list(csv.reader(open("%s/%s.nq.host" % (tmp, n))))[1][0]
    for sock, passive, failed, sent, recv, sa, sp, da, dp in rows[1:]:
        conns[(h, int(sent), int(recv))] += 1
        if passive == "1":
            k = (h, ep(sa, sp), "local")
        else:
            k = (h if da.startswith("127.") else None, ep(da, dp), "remote")
        e = ends.setdefault(k, [0, 0, 0, 0])
        for i, v in enumerate((1, int(failed), int(sent), int(recv))):
            e[i] += v
got_conns = Counter((r["host"], r["sent_bytes"], r["recv_bytes"])
                    for r in m["connections"])
got_ends = {(r["host"], r["endpoint"], r["side"]): (r["connections"],
            r["failed"], r["sent_bytes"], r["recv_bytes"])
            for r in m["by_endpoint"]}
ends = {k: tuple(v) for k, v in ends.items()}
bad = 0
for what, got, want in (("connections", got_conns, conns),
                        ("by_endpoint", got_ends, ends)):
    if got != want:
        print("FAIL detail:", what, len(got), len(want),
              sorted(set(got.items()) ^ set(want.items()), key=str)[:4])
        bad = 1
# the loopback peer is each host's; a peer of every host is one row
hosts = {r["host"] for r in m["by_endpoint"]
         if r["endpoint"].startswith("127.")}
sys.exit(bad or None in hosts or not hosts or
         not any(r["host"] is None for r in m["by_endpoint"]))
EOF
	fail "merged net"

run report "$A" "$B" --merge why
expect_rc 0 && expect_out_has "not merged: the why report cannot be added up" &&
	expect_out_has "trace   $B (host db-prod-02)" &&
	ok "an unmergeable report says so"
run report "$A" "$B" --merge
expect_rc 0 && expect_out_has "kscope report syscalls: 2 traces merged" &&
	expect_out_has "kscope report errors: 2 traces merged" &&
	ok "--merge alone: syscalls and errors"
run report "$A" "$B" --merge errors -F csv --top 3
expect_rc 0 && expect_out_has "report,trace,host,from_ts" &&
	expect_out_has "errors,$B,db-prod-02," && expect_out_has "host,pid,comm" &&
	ok "merged csv: a header row per trace, a host column"

# ---- export ---------------------------------------------------------
"$KSCOPE" export "$A" -F csv -o "$TMP/ea" &&
	"$KSCOPE" export "$B" -F csv -o "$TMP/eb" &&
	run export "$A" "$B" -F csv -o "$TMP/eab"
expect_rc 0
python3 - "$TMP" "$A" "$B" <<'EOF' && ok "csv = the singles' rows, trace and host first" ||
import csv, os, sys
tmp, a, b = sys.argv[1:]
def rows(p):
    return list(csv.reader(open(p, newline="")))
bad = 0
for f in sorted(os.listdir(tmp + "/ea")):
    ra, rb, m = rows(tmp + "/ea/" + f), rows(tmp + "/eb/" + f), \
                rows(tmp + "/eab/" + f)
    want = [["trace", "host"] + ra[0]] + \
           [[a, "db-prod-01"] + r for r in ra[1:]] + \
           [[b, "db-prod-02"] + r for r in rb[1:]]
    if ra[0] != rb[0] or m != want:
        print("FAIL detail:", f)
        bad = 1
sys.exit(bad or len(os.listdir(tmp + "/eab")) != len(os.listdir(tmp + "/ea")))
EOF
	fail "csv of two traces"

"$KSCOPE" export "$A" -F perfetto -o "$TMP/pa.json" &&
	"$KSCOPE" export "$B" -F perfetto -o "$TMP/pb.json" &&
	run export "$A" "$B" -F perfetto -o "$TMP/pab.json"
expect_rc 0
for f in "$A" "$B"; do
	"$KSCOPE" query "$f" -F csv "SELECT (SELECT value FROM meta WHERE
		key = 'start_ts'), (SELECT value FROM meta WHERE
		key = 'clock_offset_ns')" | tail -n 1 | tr -d '\r'
done >"$TMP/starts"
last="kscope export A B -F perfetto"
python3 - "$TMP" <<'EOF' && ok "perfetto = the singles, namespaced and aligned" ||
import json, sys
tmp = sys.argv[1]
starts = [tuple(int(x) for x in l.split(",")) for l in open(tmp + "/starts")]
wall0 = min(s + o for s, o in starts)
m = json.load(open(tmp + "/pab.json"))
span = m["otherData"]["traces"][1]["pid_base"]
bad = 0
for k, f in enumerate(("pa", "pb")):
    single = json.load(open("%s/%s.json" % (tmp, f)))["traceEvents"]
    shift = (starts[k][0] + starts[k][1] - wall0) / 1000.0
    host = m["otherData"]["traces"][k]["host"]
    got = []
    for e in m["traceEvents"]:
        if e["pid"] // span != k:
            continue
        e = dict(e)
        e["pid"] -= k * span
        e["tid"] -= k * span
        e.pop("id", None)
        if e["ph"] != "M":
            e["ts"] = round(e["ts"] - shift, 3)
        if e.get("name") == "process_name":
            assert e["args"]["name"].startswith(host + ": ")
            e["args"] = {"name": e["args"]["name"][len(host) + 2:]}
        got.append(json.dumps(e, sort_keys=True))
    want = []
    for e in single:
        e = dict(e)
        e.pop("id", None)
        if e["ph"] != "M":
            e["ts"] = round(e["ts"], 3)
        want.append(json.dumps(e, sort_keys=True))
    if sorted(got) != sorted(want):
        print("FAIL detail: trace", k, len(got), len(want))
        bad = 1
sys.exit(bad or k != 1 or span < 1 << 23)
EOF
	fail "perfetto of two traces"

# ---- errors ---------------------------------------------------------
echo "not a trace" >"$TMP/junk.txt"
for cmd in info report; do
	run $cmd "$A" "$TMP/missing.kscope"
	expect_one_error 1 "cannot open '$TMP/missing.kscope': No such file or directory" &&
		ok "$cmd: a missing trace"
	run $cmd "$A" "$TMP/junk.txt"
	[ "$rc" -eq 1 ] && [ -z "$out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
		expect_err_has "cannot open '$TMP/junk.txt'" &&
		ok "$cmd: a file that is not a trace"
done
run export "$A" "$TMP/missing.kscope" -F csv -o "$TMP/never"
expect_one_error 1 "cannot open '$TMP/missing.kscope': No such file or directory" &&
	[ ! -e "$TMP/never" ] && ok "export: a missing trace"
run report "$A" errors "$B"
expect_one_error 2 "report: '$B' is a trace: the traces come before the report names"
run export "$A" 'comm = x' "$B" -F csv -o "$TMP/never"
expect_one_error 2 "export: '$B' is a trace: the traces come before the filter" &&
	[ ! -e "$TMP/never" ] && ok "export: a trace after the filter"
run report "$A" "$B" --merge syscalls nosuchcall
expect_rc 2 && expect_err_has "'nosuchcall' is not a syscall name" &&
	ok "merge: a name that is no syscall"

finish
