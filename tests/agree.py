#!/usr/bin/env python3
"""agree.py - compare the figures the TUI shows with the reports' (the
differential checks of tests/test-agree.sh).

    agree.py KSCOPE CHECK TRACE [ARGS]

runs `KSCOPE tui --print VIEW -F json TRACE` and `KSCOPE report TRACE
NAME -F json`, compares every figure of part CHECK, prints one line per
comparison ("ok ..." or "FAIL ...", the differing rows named) and exits
1 when one failed.  Each part is a function registered in CHECKS below;
a part adds its own function and entry, and its section in
tests/test-agree.sh, without touching the others.

The TUI's JSON (tui/print.c): a first line {"view", "complete",
"fraction"}, then an array of rows keyed by the column titles in lower
case.  Figures are compared only when it says complete.
"""
import json
import subprocess
import sys

failures = 0


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


# ---- conns: connections -----------------------------------------------


def conn_key(r, start):
    return "%s -> %s at %s" % (r.get("local"), r.get("remote"), r.get(start))


def check_conns(kscope, trace):
    """The Connections view against report net's connections table: the
    same rows (one per connection, keyed by both endpoints and the start)
    with the same process, role, lifetime, connect latency, bytes,
    retransmits, resets and state."""
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
    return rows


def check_conns_served(kscope, trace, served):
    """check_conns, and every connection a tests/net-server.py run served
    (its output SERVED: the port it listened on, each peer's port and the
    bytes it received and sent) is two rows of the TUI: the server's end
    and the client's, with those endpoints and bytes."""
    rows = check_conns(kscope, trace)
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


CHECKS = {
    "conns": check_conns,
    "conns-served": check_conns_served,
}


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in CHECKS:
        sys.exit("usage: agree.py KSCOPE %s TRACE [ARGS]" % "|".join(CHECKS))
    CHECKS[sys.argv[2]](sys.argv[1], sys.argv[3], *sys.argv[4:])
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
