#!/usr/bin/env python3
"""agree.py - compare the figures the TUI shows with the reports' (the
differential checks of tests/test-agree.sh).

    agree.py KSCOPE PART TRACE [ARGS]
    agree.py --parts

runs `KSCOPE tui --print VIEW -F json TRACE` and `KSCOPE report TRACE
NAME -F json`, compares every figure of PART, prints one line per
comparison ("ok ..." or "FAIL ...", the differing rows named) and exits
1 when one failed.  --parts lists the parts; tests/test-agree.sh runs
each over each trace.  A part is one function, registered with
@part("name") in its own section below (cpu; counts: syscalls, errors,
files, procs, overview; conn: connections; runq: run queue latency and
who ran instead; signals; hangs): adding one touches no other.

The TUI's JSON (tui/print.c): a first line {"view", "complete",
"fraction"}, then an array of rows keyed by the column titles in lower
case.  Figures are compared only when it says complete.
"""
import json
import subprocess
import sys

failures = 0
PARTS = {}


def part(name):
    """Register the decorated function as the check of part NAME."""
    def reg(fn):
        PARTS[name] = fn
        return fn
    return reg


def say(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        sys.exit("agree: %s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                             p.stderr.strip()))
    return p.stdout


def tui(kscope, view, trace, steps=None):
    """The header and rows of `kscope tui --print VIEW -F json`."""
    cmd = [kscope, "tui", "--print", view, "-F", "json"]
    if steps is not None:
        cmd += ["--steps", str(steps)]
    out = run(cmd + [trace])
    head, _, rest = out.partition("\n")
    return json.loads(head), json.loads(rest)


def report(kscope, name, trace):
    """`kscope report TRACE NAME -F json` with every row of its tables."""
    return json.loads(run([kscope, "report", trace, name, "-F", "json",
                           "-n", "1000000"]))


def compare(what, tui_by_key, rep_by_key, unit="ns"):
    """Every key of either side: the same figure (absent = 0)."""
    bad = []
    for k in sorted(set(tui_by_key) | set(rep_by_key)):
        a, b = tui_by_key.get(k, 0), rep_by_key.get(k, 0)
        if a != b:
            bad.append("%s: tui %s, report %s" % (k, a, b))
    say(not bad, "%s: %d rows agree%s" % (
        what, len(set(tui_by_key) | set(rep_by_key)),
        "" if not bad else "; differ: " + "; ".join(bad[:8]) +
        (" ... (%d)" % len(bad) if len(bad) > 8 else "")))


# ---- cpu: CPU, off-CPU and CPU busy ------------------------------------


def by_tid(rows):
    """{tid: its nonzero figures, sorted} of (tid, figure) rows."""
    out = {}
    for tid, fig in rows:
        if fig:
            out.setdefault(tid, []).append(fig)
    return {k: sorted(v) for k, v in out.items()}


@part("cpu")
def check_cpu(kscope, trace):
    h, procs = tui(kscope, "procs", trace)
    say(h["complete"], "procs: the TUI's figures are complete")
    _, threads = tui(kscope, "threads", trace)
    _, overview = tui(kscope, "overview", trace)
    cpu_doc = report(kscope, "cpu", trace)
    cpu = cpu_doc["tables"]
    off = report(kscope, "offcpu", trace)["tables"]

    # threads: CPU and off-CPU (the Threads view's PID column is the tid;
    # a reused tid has a row per life on both sides: its figures, sorted)
    compare("thread CPU",
            by_tid((t["pid"], t["cpu"]) for t in threads),
            by_tid((t["tid"], t["oncpu_ns"]) for t in cpu["by_thread"]))
    compare("thread off-CPU",
            by_tid((t["pid"], t["off-cpu"]) for t in threads),
            by_tid((t["tid"], t["offcpu_ns"]) for t in off["by_thread"]))

    # processes: CPU as the report sums it; off-CPU as the sum of the
    # process's threads in report offcpu.  A thread whose process the
    # trace does not know is a process of its own (pid null in the
    # report, its tid in the TUI)
    rep_cpu = {p["pid"]: p["oncpu_ns"] for p in cpu["by_process"]
               if p["pid"] is not None and p["oncpu_ns"]}
    rep_cpu.update({t["tid"]: t["oncpu_ns"] for t in cpu["by_thread"]
                    if t["pid"] is None and t["oncpu_ns"]})
    compare("process CPU",
            {p["pid"]: p["cpu"] for p in procs if p["cpu"]}, rep_cpu)
    rep_off = {}
    for t in off["by_thread"]:
        pid = t["pid"] if t["pid"] is not None else t["tid"]
        rep_off[pid] = rep_off.get(pid, 0) + t["offcpu_ns"]
    compare("process off-CPU",
            {p["pid"]: p["off-cpu"] for p in procs if p["off-cpu"]},
            {k: v for k, v in rep_off.items() if v})

    # CPU busy: per CPU, the report's utilization slices (percent to
    # 0.1) give the busy time to within their rounding
    busy = {r["figure"].split()[0]: r["value"] for r in overview
            if r["figure"].endswith(" busy_ns")}
    util = cpu.get("utilization", [])
    win = cpu_doc["window"]
    span = win["to_ts"] - win["from_ts"] + 1
    bad = []
    for c in sorted(set(busy) | {k for r in util for k in r
                                  if k.startswith("cpu")}):
        want = 0.0
        for i, r in enumerate(util):
            s0 = win["from_ts"] + span * i // len(util)
            s1 = win["from_ts"] + span * (i + 1) // len(util)
            want += r.get(c, 0) / 100 * (s1 - s0)
        got = busy.get(c, 0)
        if abs(got - want) > 0.0006 * span + 1:
            bad.append("%s: tui %d, report ~%d" % (c, got, want))
    say(not bad, "CPU busy per CPU: %d CPUs agree with report cpu's "
        "utilization%s" % (len(busy), "" if not bad else "; differ: " +
                           "; ".join(bad)))
    # and exactly: with no lost sched events, busy is the CPU time of the
    # tasks the report counts
    if not cpu_doc["lost"]["events"]:
        total = sum(p["oncpu_ns"] or 0 for p in cpu["by_process"])
        say(sum(busy.values()) == total, "CPU busy: all CPUs %d ns, the "
            "report's on-CPU time %d ns" % (sum(busy.values()), total))

    # while incomplete the figures are estimates, and say so
    h1, rows1 = tui(kscope, "procs", trace, steps=20)
    say(not h1["complete"] and h1["fraction"] < 1,
        "after 20 steps the TUI says its figures are estimates "
        "(fraction %.4f)" % h1["fraction"])
    text = run([kscope, "tui", "--print", "procs", "--steps", "20", trace])
    say(text.startswith("procs: estimates") and
        ("~" in text or not rows1 or
         all(r["cpu"] == 0 and r["off-cpu"] == 0 for r in rows1)),
        "estimates are marked ~ in text")


# ---- counts: syscalls, errors, files, per-process counts, overview ------

# The views fold with analyze/fold/ sysc, errs, files, tasks and ovw, the
# reports print from the same accumulators: every row of the view must be
# a row of the report with the same figures, and back.


def _num(v):
    """A report cell as the TUI's number: NULL (no timed call) is 0."""
    return v or 0


def _tui_complete(kscope, view, trace):
    h, rows = tui(kscope, view, trace)
    say(h["complete"], "%s: the TUI's figures are complete" % view)
    return rows


@part("syscalls")
def check_syscalls(kscope, trace):
    rows = _tui_complete(kscope, "syscalls", trace)
    t = {r["syscall"]: r for r in rows}
    rep = report(kscope, "syscalls", trace)["tables"]["by_syscall"]
    r = {x["syscall"]: x for x in rep}
    top = report(kscope, "summary", trace)["tables"]["top_syscalls"]
    s = {x["syscall"]: x for x in top}
    for col, rcol in (("calls", "calls"), ("errors", "errors"),
                      ("total", "total_ns"), ("avg", "avg_ns"),
                      ("max", "max_ns")):
        compare("syscalls %s (report syscalls)" % col,
                {k: v[col] for k, v in t.items()},
                {k: _num(v[rcol]) for k, v in r.items()})
    for col, rcol in (("calls", "calls"), ("errors", "errors"),
                      ("total", "total_ns"), ("max", "max_ns")):
        compare("syscalls %s (report summary top_syscalls)" % col,
                {k: v[col] for k, v in t.items()},
                {k: _num(v[rcol]) for k, v in s.items()})
    # while partial, sums are scaled to the window but a longest call is
    # one of those read: never more than the whole window's
    h, part = tui(kscope, "syscalls", trace, steps=10)
    over = ["%s: %d > %d" % (x["syscall"], x["max"], t[x["syscall"]]["max"])
            for x in part if x["max"] > t[x["syscall"]]["max"]]
    say(not over, "syscalls max after 10 steps (%s, %.0f%% read) within "
        "the whole's%s" % ("complete" if h["complete"] else "estimates",
                           h["fraction"] * 100,
                           "; over: " + "; ".join(over[:8]) if over else ""))


@part("errors")
def check_errors(kscope, trace):
    rows = _tui_complete(kscope, "errors", trace)
    rep = report(kscope, "errors", trace)["tables"]
    compare("errors by syscall and errno (report errors)",
            {(x["syscall"], x["errno"]): x["count"] for x in rows},
            {(x["syscall"], x["error"]): x["count"]
             for x in rep["by_syscall"]})
    summ = report(kscope, "summary", trace)["tables"]["errors"]
    compare("errors by syscall and errno (report summary errors)",
            {(x["syscall"], x["errno"]): x["count"] for x in rows},
            {(x["syscall"], x["error"]): x["count"] for x in summ})


@part("files")
def check_files(kscope, trace):
    rows = _tui_complete(kscope, "files", trace)
    rep = report(kscope, "files", trace)["tables"]["by_path"]
    for col, rcol in (("calls", "calls"), ("errors", "errors"),
                      ("time", "time_ns")):
        compare("files %s per path (report files by_path)" % col,
                {x["path"]: x[col] for x in rows},
                {x["path"]: x[rcol] for x in rep})


@part("procs")
def check_procs_counts(kscope, trace):
    rows = _tui_complete(kscope, "procs", trace)
    act = report(kscope, "procs", trace)["tables"]["activity"]
    busy = report(kscope, "summary", trace)["tables"]["busiest_processes"]
    for col, rcol in (("syscalls", "syscalls"), ("errors", "errors"),
                      ("in-sys", "syscall_ns"), ("net", "net_bytes")):
        compare("process %s (report procs activity)" % col,
                {x["pid"]: x[col] for x in rows if x[col]},
                {x["pid"]: x[rcol] for x in act if x[rcol]})
    for col, rcol in (("syscalls", "calls"), ("errors", "errors"),
                      ("in-sys", "syscall_time_ns")):
        compare("process %s (report summary busiest_processes)" % col,
                {x["pid"]: x[col] for x in rows if x[col]},
                {x["pid"]: x[rcol] for x in busy if x[rcol]})


@part("overview")
def check_overview_counts(kscope, trace):
    rows = _tui_complete(kscope, "overview", trace)
    t = {x["figure"]: x["value"] for x in rows}
    doc = report(kscope, "summary", trace)
    compare("overview events per table (report summary events)",
            {k[:-len(" events")]: v for k, v in t.items()
             if k.endswith(" events")},
            {x["table"]: x["events"] for x in doc["tables"]["events"]})
    say(t.get("lost") == doc["lost"]["events"],
        "overview lost: tui %s, report summary %s" %
        (t.get("lost"), doc["lost"]["events"]))
    errs = report(kscope, "errors", trace)["tables"]["by_errno"]
    total = sum(x["count"] for x in errs)
    say(t.get("syscall errors") == total,
        "overview syscall errors: tui %s, report errors %s" %
        (t.get("syscall errors"), total))


# ---- conn: connections --------------------------------------------------


def conn_key(r, start):
    return "%s -> %s at %s" % (r.get("local"), r.get("remote"), r.get(start))


@part("conn")
def check_conn(kscope, trace, served=None):
    """The Connections view against report net's connections table: the
    same rows (one per connection, keyed by both endpoints and the start)
    with the same process, role, lifetime, connect latency, bytes,
    retransmits, resets and state.  SERVED, when given, is the output of
    a tests/net-server.py run recorded in TRACE (the port it listened
    on, each peer's port and the bytes it received and sent): each of its
    connections must be two rows of the TUI, the server's end and the
    client's, with those endpoints and bytes."""
    h, rows = tui(kscope, "conns", trace)
    say(h["complete"], "conns: the TUI's figures are complete")
    rep = report(kscope, "net", trace)["tables"]["connections"]
    say(len(rows) == len(rep), "conns: %d rows in the TUI, %d in report net"
        % (len(rows), len(rep)))
    say(len({conn_key(r, "start") for r in rows}) == len(rows),
        "conns: the TUI's rows are one per connection")
    compare("connections",
            {conn_key(r, "start"): (r.get("pid"), r.get("comm"),
                                    r.get("role"), r.get("lifetime"),
                                    r.get("connect") or None, r.get("sent"),
                                    r.get("recv"), r.get("retr"),
                                    r.get("rst"), r.get("state"))
             for r in rows},
            {conn_key(r, "start_ts"): (r["pid"], r["comm"], r["role"],
                                       r["lifetime_ns"], r["connect_ns"],
                                       r["sent_bytes"], r["recv_bytes"],
                                       r["retransmits"], r["resets"],
                                       r["state"])
             for r in rep})
    if served is None:
        return
    lines = open(served).read().split("\n")
    port = int(lines[0].split()[1].split("=")[1])
    got = {(r.get("local"), r.get("remote")): (r.get("recv"), r.get("sent"))
           for r in rows}
    want = {}
    for ln in lines:
        if not ln.startswith("conn "):
            continue
        f = dict(kv.split("=") for kv in ln.split()[1:])
        srv, cli = "127.0.0.1:%d" % port, "127.0.0.1:%s" % f["peer_port"]
        want[(srv, cli)] = (int(f["recv"]), int(f["sent"]))
        want[(cli, srv)] = (int(f["sent"]), int(f["recv"]))
    say(len(want) >= 2, "served: %d connections served" % (len(want) // 2))
    compare("served connections (recv, sent) by endpoints; \"report\": "
            "the server's own figures",
            {k: got.get(k) for k in want}, want)


# ---- runq: the Run queue view, its histogram, who ran instead ---------

# The view folds with analyze/fold/runqlat.h, report runqlat prints from
# it; who ran instead is analyze/fold/instead.h over the thread states,
# report why's ran_instead.


@part("runq")
def check_runq(kscope, trace):
    h, rows = tui(kscope, "runq", trace)
    say(h["complete"], "runq: the TUI's figures are complete")
    rep = report(kscope, "runqlat", trace)["tables"]
    compare("run queue waits per thread (waits, total, avg, max)",
            {r["tid"]: (r["waits"], r["total"], r["avg"], r["max"])
             for r in rows},
            {r["tid"]: (r["runs"], r["total_ns"], r["avg_ns"], r["max_ns"])
             for r in rep["longest_waits"]})
    compare("run queue thread names",
            {r["tid"]: r["comm"] for r in rows},
            {r["tid"]: r["comm"] or "?" for r in rep["longest_waits"]})
    _, fig = tui(kscope, "runqlat", trace)
    got = {r["figure"]: r["value"] for r in fig}
    stats = rep["stats"][0] if rep["stats"] else {}
    want = {"waits": stats.get("runs", 0)}
    want.update({k: stats[k] for k in ("avg_ns", "p50_ns", "p90_ns",
                                       "p99_ns", "max_ns") if k in stats})
    want.update({"hist_us %d" % r["lo_us"]: r["count"]
                 for r in rep["histogram"]})
    compare("run queue latency of the window and its histogram",
            {k: v for k, v in got.items() if v},
            {k: v for k, v in want.items() if v})

    # who ran instead of the threads that waited longest: report why
    _, inst = tui(kscope, "instead", trace)
    top = sorted(rows, key=lambda r: (-r["total"], r["tid"]))[:5]
    for r in top:
        why = json.loads(run([kscope, "report", trace, "why", "--tid",
                              str(r["tid"]), "-F", "json", "-n",
                              "1000000"]))["tables"]["ran_instead"]
        compare("who ran instead of tid %d (report why)" % r["tid"],
                {(x["cpu"], x["ran_tid"]): (x["time"], x["times"])
                 for x in inst if x["tid"] == r["tid"]},
                {(x["cpu"], x["ran_tid"]): (x["time_ns"], x["times"])
                 for x in why})


# ---- signals: the Signals view ---------------------------------------------

# Its rows are the signals table's generate and oom_kill rows (checked
# against SQL), and every kill report summary names is one of them.


def _sender(r):
    """The Signals view's SENDER of a signals row from SQL."""
    if r["kind"] == "oom_kill":
        return "the OOM killer"
    if not r["sender_pid"]:
        return "the kernel"
    return "%s[%d]" % (r["sender_comm"], r["sender_pid"])


@part("signals")
def check_signals(kscope, trace):
    h, rows = tui(kscope, "signals", trace)
    say(h["complete"], "signals: the TUI's rows are complete")
    sql = json.loads(run([kscope, "query", trace, "-F", "json",
                          "SELECT ts, kind, sig, sender_pid, sender_comm,"
                          " target_pid, result, cgroup FROM signals WHERE"
                          " kind IN ('generate', 'oom_kill')"]) or "[]")
    key = lambda ts, n: (ts, n)
    got, want = {}, {}
    for r in rows:
        n = sum(1 for k in got if k[0] == r["time"])
        got[key(r["time"], n)] = (r["sender"], r["target"].rsplit("[")[-1],
                                  r["result"])
    for r in sql:
        n = sum(1 for k in want if k[0] == r["ts"])
        res = ("memcg %s" % r["cgroup"] if r["kind"] == "oom_kill" else
               ["delivered", "ignored", "already_pending",
                "overflow_fail", "lose_info"][r["result"]]
               if 0 <= r["result"] <= 4 else "result %d" % r["result"])
        want[key(r["ts"], n)] = (_sender(r), "%d]" % r["target_pid"], res)
    compare("signals rows (sender, target pid, result) by ts; \"report\": "
            "the signals table by SQL", got, want)

    killed = report(kscope, "summary", trace)["tables"].get("killed", [])
    bad = []
    for k in killed:
        by = k["killed_by"]
        if by is None:
            continue
        if by.startswith("the OOM killer (cgroup "):
            send, res = "the OOM killer", "memcg " + by[23:-1]
        elif by.endswith(" from the kernel"):
            send, res = "the kernel", None
        else:
            pid, comm = by.split(" from ", 1)[1].split(" ", 1)
            send, res = "%s[%s]" % (comm[1:-1], pid), None
        if not any(r["target"].endswith("[%d]" % k["pid"]) and
                   r["time"] <= k["ts"] and r["signal"] == k["signal"] and
                   (r["sender"] == send or send.startswith("?[")) and
                   (res is None or r["result"] == res) for r in rows):
            bad.append("pid %d: %s" % (k["pid"], by))
    say(not bad, "the %d kills report summary names are Signals rows%s" %
        (sum(1 for k in killed if k["killed_by"]), "" if not bad else
         "; missing: " + "; ".join(bad)))


# ---- hangs: calls still running at the end, in the Overview ----------------


@part("hangs")
def check_hangs(kscope, trace):
    h, rows = tui(kscope, "overview", trace)
    say(h["complete"], "overview: the TUI's figures are complete")
    got = [(r["figure"], r["value"]) for r in rows
           if r["figure"].startswith("unfinished ")]
    rep = report(kscope, "summary", trace)["tables"].get("unfinished", [])
    want = [("unfinished calls", len(rep))]
    want += [("unfinished tid %d %s%s" % (r["tid"], r["syscall"],
                                          " " + r["target"] if r["target"]
                                          else ""), r["running_ns"])
             for r in rep[:5]]
    say(got == want, "calls still running at the end: tui %s, report "
        "summary %s" % (got, want))


# ---- main ---------------------------------------------------------------


def main():
    if sys.argv[1:] == ["--parts"]:
        print(" ".join(sorted(PARTS)))
        return
    if len(sys.argv) < 4 or sys.argv[2] not in PARTS:
        sys.exit("usage: agree.py KSCOPE %s TRACE [ARGS] | agree.py "
                 "--parts" % "|".join(sorted(PARTS)))
    PARTS[sys.argv[2]](sys.argv[1], sys.argv[3], *sys.argv[4:])
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
