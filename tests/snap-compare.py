#!/usr/bin/env python3
"""snap-compare.py - compare kscope's payloads and decoded arguments with
strace's view of the same run (tests/test-record-snap.sh).

    snap-compare.py STRACE_OUT CALLS_CSV REPLAY_TXT SNAPLEN

STRACE_OUT: `strace -qq -xx -s SNAPLEN -o` of the workload (one process);
CALLS_CSV: name,arg0,ret,hex(payload) of its calls, in order;
REPLAY_TXT: `kscope replay` lines of the same calls.  Prints one line per
check ("ok ..." or "FAIL ..."); exits 1 on any failure.
"""
import csv
import re
import sys

DATA = ("read", "write", "pread64", "pwrite64", "sendto", "recvfrom")
IOV = ("readv", "writev", "sendmsg", "recvmsg")
# calls whose arguments kscope writes exactly as strace does
EXACT = ("nanosleep", "clock_nanosleep", "getsockopt", "futex")

failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
    if not ok:
        failures += 1


def xx_bytes(s):
    """The bytes of a strace -xx string body ("\\x41\\x42")."""
    return bytes(int(h, 16) for h in re.findall(r"\\x([0-9a-f]{2})", s))


def strace_calls(path):
    """(name, args text, ret text) per finished call, in order."""
    out = []
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(\w+)\((.*)\) += (-?\d+|\?)", line)
        if m:
            out.append((m.group(1), m.group(2), m.group(3)))
    return out


def first_string(args):
    """The first quoted -xx string of ARGS: its bytes and whether it is
    cut ("..." after it)."""
    m = re.search(r'"((?:\\x[0-9a-f]{2})*)"(\.\.\.)?', args)
    return (xx_bytes(m.group(1)), bool(m.group(2))) if m else (None, False)


def main():
    strace_out, calls_csv, replay_txt, snaplen = sys.argv[1:5]
    snaplen = int(snaplen)
    st = strace_calls(strace_out)
    ks = []
    # (kscope query's CSV quotes an empty string, "", apart from NULL)
    for f in csv.reader(open(calls_csv)):
        if len(f) >= 4:
            ks.append((f[0], int(f[1]), int(f[2]), f[3]))
    replay = [l.rstrip("\n") for l in open(replay_txt)]

    # payloads: the same calls in the same order, byte for byte
    sd = [c for c in st if c[0] in DATA + IOV]
    kd = [c for c in ks if c[0] in DATA + IOV]
    check("as many data calls as strace saw (%d)" % len(sd),
          len(sd) == len(kd), "kscope %d" % len(kd))
    compared = cut = 0
    for (sname, sargs, sret), (kname, fd, ret, hexp) in zip(sd, kd):
        if sname != kname or int(sret) != ret:
            check("same call", False, "%s = %s vs %s = %d" %
                  (sname, sret, kname, ret))
            break
        want, wcut = first_string(sargs)
        if ret <= 0:
            check("%s = %d: no payload" % (kname, ret), hexp == "",
                  hexp)
            continue
        got = bytes.fromhex(hexp)
        if kname in IOV:
            # the first buffer of the vector, as much as snaplen allows
            want = want[:min(snaplen, ret)]
        if got != want:
            check("%s(%d) payload equals strace's" % (kname, fd), False,
                  "%r vs %r" % (got, want))
            continue
        compared += 1
        if kname in DATA and wcut != (len(got) < ret):
            check("%s(%d) cut as strace cuts it" % (kname, fd), False,
                  "len %d ret %d strace cut %s" % (len(got), ret, wcut))
        cut += len(got) < ret
    check("payloads equal strace's (%d calls, %d cut)" % (compared, cut),
          compared > 0 and cut > 0)

    # decoded arguments: the exact ones, and the timeouts
    def replay_args(name):
        out = []
        for l in replay:
            m = re.search(r"\s%s\((.*)\) = (-?\d+)" % name, l)
            if m:
                out.append(m.group(1))
        return out

    for name in EXACT:
        s = [c[1] for c in st if c[0] == name]
        k = replay_args(name)
        if name == "futex":  # the timed wait only (strace shows the rest too)
            s = [a for a in s if "tv_sec" in a]
            k = [a for a in k if "tv_sec" in a]
        check("%s: arguments as strace writes them" % name,
              len(s) > 0 and s == k, "%s vs %s" % (s, k))
    for name, pat in (("ppoll", r"\{tv_sec=\d+, tv_nsec=\d+\}"),
                      ("select", r"\{tv_sec=\d+, tv_usec=\d+\}"),
                      ("pselect6", r"\{tv_sec=\d+, tv_nsec=\d+\}")):
        s = [re.search(pat, c[1]).group(0) for c in st
             if c[0] == name and re.search(pat, c[1])]
        k = [re.search(pat, a).group(0) for a in replay_args(name)
             if re.search(pat, a)]
        check("%s: timeout as strace decodes it" % name,
              len(s) > 0 and s == k, "%s vs %s" % (s, k))
    # poll: fds and events from strace's arguments, revents from its result
    spoll = []
    for line in open(strace_out):
        m = re.match(r"^poll\((\[.*?\]), (\d+), (-?\d+)\) += (\d+)"
                     r"(?: \((\[.*\])\))?", line)
        if m:
            fds = re.findall(r"\{fd=(\d+), events=([\w|]+)\}", m.group(1))
            rev = re.findall(r"\{fd=(\d+), revents=([\w|]+)\}",
                             m.group(5) or "")
            # strace lists only the entries with revents, in order
            spoll.append([(fd, ev, None) for fd, ev in fds])
            j = 0
            for i, (fd, ev, _) in enumerate(spoll[-1]):
                if j < len(rev) and rev[j][0] == fd:
                    spoll[-1][i] = (fd, ev, rev[j][1])
                    j += 1
    kpoll = []
    for a in replay_args("poll"):
        kpoll.append(re.findall(r"\{fd=(\d+), events=([\w|]+)"
                                r"(?:, revents=([\w|]+))?\}", a))
    ok = len(spoll) == len(kpoll) and len(spoll) > 0
    for s, k in zip(spoll, kpoll):
        k = [(fd, ev, rev or None) for fd, ev, rev in k]
        ok = ok and s[:len(k)] == k and len(k) == min(len(s), 8)
    check("poll: pollfd sets (fd, events, revents) as strace's", ok,
          "%s vs %s" % (spoll, kpoll))
    check("poll: a set longer than 8 entries is marked cut",
          any(a.endswith(", ...]") or ", ...]," in a for a in replay_args("poll")))
    sys.exit(1 if failures else 0)


main()
