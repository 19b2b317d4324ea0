#!/bin/sh
# test-export.sh - `kscope export` end to end.  Perfetto JSON: the known
# trace of tests/test-mktrace.c gives exact slices, instants and names; a
# synthetic trace (tests/kscope-synth) gives scale: every syscall becomes a
# slice, slices on a track nest, per-CPU slices never overlap.  CSV: one
# file per table with the rows `kscope query` returns.  Bad usage.
. "$(dirname "$0")/cli-lib.sh"

SYNTH=${SYNTH:-tests/kscope-synth}
have_python || { echo "SKIP: python3 with json, csv, sqlite3 needed"; exit 77; }

T=$TMP/t.kscope
"$MKTRACE" "$T" >/dev/null || { echo "FAIL: mktrace"; exit 1; }

run export "$T" --format perfetto -o "$TMP/t.json"
expect_rc 0 && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ] && ok "perfetto to a file"
[ "$(stat -c %a "$TMP/t.json")" = 600 ] && ok "mode 0600" || fail "mode $(stat -c %a "$TMP/t.json")"
last="perfetto JSON of the known trace"
python3 - "$TMP/t.json" <<'PY' && ok "known slices, instants and names" || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["displayTimeUnit"] == "ns"
assert d["otherData"]["host"] == "test-host"
ev = d["traceEvents"]
for e in ev:
    assert e["ph"] in ("M", "X", "i", "s", "f"), e
    assert isinstance(e["pid"], int) and isinstance(e["tid"], int), e
    assert isinstance(e["ts"], (int, float)), e
    if e["ph"] == "X":
        assert e["dur"] >= 0, e
meta = {(e["name"], e["pid"], e["tid"]): e["args"] for e in ev if e["ph"] == "M"}
for p in (100, 101, 102):
    assert meta[("process_name", p, p)]["name"] == "proc-%d" % p
    assert meta[("thread_name", p, p)]["name"] == "proc-%d" % p
CPUS = 4194400
assert meta[("process_name", CPUS, CPUS)]["name"] == "CPUs"
for c in range(4):
    assert meta[("thread_name", CPUS, CPUS + 1 + c)]["name"] == "CPU %d" % c
sc = [e for e in ev if e["ph"] == "X" and e["cat"] == "syscall"]
assert len(sc) == 1000, len(sc)
# syscall i = 5: ts 1e9 + 5e6 + 1 (start 1e9), dur 1005 ns, pid 102, write
s5 = [e for e in sc if e["ts"] == 5000.001]
assert len(s5) == 1, s5
s5 = s5[0]
assert (s5["name"], s5["pid"], s5["tid"], s5["dur"]) == ("write", 102, 102, 1.005), s5
assert s5["args"]["ret"] == 5 and 'path="/tmp/a,b' in s5["args"]["text"], s5
# failed calls carry their errno: i % 10 == 0
err = [e for e in sc if e["args"].get("errno") == "ENOENT"]
assert len(err) == 100 and all(e["args"]["ret"] == -2 for e in err)
inst = [(e["name"], e["cat"], e["pid"], e["ts"], e["s"]) for e in ev if e["ph"] == "i"]
assert inst == [("fork", "proc", 102, 2000000.0, "t"),
                ("exec", "proc", 102, 2000000.001, "t"),
                ("exit", "proc", 102, 2000000.002, "t"),
                ("tcp state", "net", 101, 2500000.0, "t"),
                ("tcp state", "net", 101, 2500000.001, "t")], inst
# CPU 2 switches at 2 and 6 us: 100 ran before (from the first recorded
# switch, at 0), then 101
cpu2 = [(e["name"], e["ts"], e["dur"]) for e in ev
        if e["ph"] == "X" and e["tid"] == CPUS + 3]
assert cpu2[:2] == [("proc-100/100", 0.0, 2.0), ("proc-101/101", 2.0, 4.0)], cpu2
# the last runs to the last event (net, 2.5 s + 1 ns)
assert cpu2[2:] == [("proc-101/101", 6.0, 2499994.001)], cpu2
# CPU 1 lost sched events in the second at 2 s (ts 1 s from the start):
# who ran there from 0 to 2 s is not known; after it, 101 again
cpu1 = [(e["name"], e["ts"], e["dur"]) for e in ev
        if e["ph"] == "X" and e["tid"] == CPUS + 2]
assert cpu1 == [("proc-101/101", 2000000.0, 500000.001)], cpu1
PY

# a filter and a window narrow it
run export "$T" -F perfetto 'kind = proc' --from +1s
expect_rc 0
last="perfetto JSON, kind = proc from +1s"
printf '%s\n' "$out" | python3 -c '
import json, sys
ev = json.load(sys.stdin)["traceEvents"]
assert [e["name"] for e in ev if e["ph"] != "M"] == ["fork", "exec", "exit"]
' && ok "three proc instants" || fail "filtered export"

# scale: a synthetic trace
"$SYNTH" -o "$TMP/s.kscope" -n 30000 >/dev/null || { fail "kscope-synth"; finish; }
run export "$TMP/s.kscope" -F perfetto -o "$TMP/s.json"
expect_rc 0
nsys=$("$KSCOPE" query "$TMP/s.kscope" -F csv 'SELECT count(*) FROM syscalls' | tail -1 | tr -d '\r')
# a switch ends the slice of the thread its CPU's previous switch let in
# (the first on a CPU: of its prev_tid), unless that is the idle thread
nsw=$("$KSCOPE" query "$TMP/s.kscope" -F csv "SELECT count(*) FROM (SELECT prev_tid, lag(next_tid) OVER (PARTITION BY cpu ORDER BY ts) AS ran FROM sched_switch) WHERE coalesce(ran, prev_tid) != 0" | tail -1 | tr -d '\r')
last="perfetto JSON of a synthetic trace"
python3 - "$TMP/s.json" "$nsys" "$nsw" <<'PY' && ok "$nsys syscall slices nest on their tracks" || fail "see above"
import json, sys
from collections import defaultdict
ev = json.load(open(sys.argv[1]))["traceEvents"]
nsys, nsw = int(sys.argv[2]), int(sys.argv[3])
sc = [e for e in ev if e["ph"] == "X" and e["cat"] == "syscall"]
assert len(sc) == nsys, (len(sc), nsys)
cpu = [e for e in ev if e["ph"] == "X" and e["cat"] == "sched"]
# thread states: per state track, intervals one after the other
state = defaultdict(list)
for e in ev:
    if e["ph"] == "X" and e["cat"] == "state":
        state[e["tid"]].append((round(e["ts"] * 1000), round(e["dur"] * 1000)))
assert state, "no thread-state tracks"
for k, sl in state.items():
    sl.sort()
    assert all(a[0] + a[1] <= b[0] for a, b in zip(sl, sl[1:])), k
# one slice per switch away from a real thread (plus one per CPU whose
# thread was running at the end)
assert nsw <= len(cpu) <= nsw + 64, (len(cpu), nsw)
tracks = defaultdict(list)
for e in sc + cpu:
    tracks[(e["pid"], e["tid"])].append((round(e["ts"] * 1000), round(e["dur"] * 1000)))
for k, sl in tracks.items():
    sl.sort(key=lambda s: (s[0], -s[1]))
    stack = []
    for ts, dur in sl:
        while stack and ts >= stack[-1]:
            stack.pop()
        if stack:
            assert ts + dur <= stack[-1], ("overlap on", k, ts, dur)
        stack.append(ts + dur)
    if k[0] == 4194400:
        ends = [ts + dur for ts, dur in sl]
        assert all(sl[i + 1][0] >= ends[i] for i in range(len(sl) - 1)), k
# wakeup arrows: each id has one start and one finish, no later than it,
# on the CPU tracks; the finish is where an on-CPU slice begins
flows = defaultdict(dict)
for e in ev:
    if e["ph"] in ("s", "f"):
        assert e["cat"] == "wakeup" and e["pid"] == 4194400, e
        assert e["ph"] not in flows[e["id"]], ("twice", e)
        flows[e["id"]][e["ph"]] = e
assert flows, "no wakeup arrows"
starts = {(e["tid"], e["ts"]) for e in cpu}
for i, f in flows.items():
    assert set(f) == {"s", "f"}, f
    assert f["s"]["ts"] <= f["f"]["ts"] and f["f"]["bp"] == "e", f
    assert (f["f"]["tid"], f["f"]["ts"]) in starts, ("no run there", f)
PY

# CSV: a file per table, the rows SQL gives
run export "$T" --format csv -o "$TMP/csv"
expect_rc 0 && [ ! -s "$TMP/err" ] && ok "csv to a directory"
for t in syscalls sched_switch sched_wakeup sched_migrate proc_events net_events processes threads lost meta; do
	[ -f "$TMP/csv/$t.csv" ] || fail "no $t.csv"
done
last="csv files"
python3 - "$TMP/csv" "$T" <<'PY' && ok "csv rows equal the tables" || fail "see above"
import csv, sys, subprocess
d, t = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(d + "/syscalls.csv", newline="")))
assert rows[0][:6] == ["ts", "dur", "cpu", "pid", "tid", "comm"], rows[0]
assert len(rows) == 1001, len(rows)
assert rows[6][rows[0].index("path")] == '/tmp/a,b "q"\nx', rows[6]
assert [r[rows[0].index("ret")] for r in rows[1:4]] == ["-2", "1", "2"]
proc = list(csv.reader(open(d + "/proc_events.csv", newline="")))
assert [r[proc[0].index("kind")] for r in proc[1:]] == ["fork", "exec", "exit"]
assert len(list(csv.reader(open(d + "/sched_migrate.csv")))) <= 1
meta = dict(csv.reader(open(d + "/meta.csv", newline="")))
assert meta["host"] == "test-host"
PY
run export "$T" --format csv -o "$TMP/csv2" 'kind = syscall and errno = ENOENT'
expect_rc 0 && [ "$(wc -l < "$TMP/csv2/syscalls.csv")" -eq 101 ] &&
	[ "$(wc -l < "$TMP/csv2/sched_switch.csv")" -le 1 ] && ok "filtered csv" ||
	fail "filtered csv"

# standard output, and a reader that goes away
run export "$T" -F perfetto
expect_rc 0 && expect_out_has '"traceEvents":[' && ok "perfetto to stdout"
( "$KSCOPE" export "$TMP/s.kscope" -F perfetto 2>"$TMP/err"; echo $? >"$TMP/rc" ) | head -c 100 >/dev/null
last="kscope export | head -c 100"
[ "$(cat "$TMP/rc")" -eq 0 ] && [ ! -s "$TMP/err" ] && ok "quiet on a closed pipe" ||
	fail "exit $(cat "$TMP/rc"), '$(cat "$TMP/err")'"

# a corrupt chunk: one line naming the chunk, exit 1
cp "$T" "$TMP/flip.kscope"
flip_chunk "$TMP/flip.kscope"
for f in perfetto csv clickhouse; do
	"$KSCOPE" export "$TMP/flip.kscope" -F $f -o "$TMP/flip.$f" >/dev/null 2>"$TMP/err"
	rc=$?
	last="kscope export flip.kscope -F $f"
	[ "$rc" -eq 1 ] && [ "$(wc -l < "$TMP/err")" -eq 1 ] &&
		grep -q '^kscope: export: chunk [0-9]* of syscalls' "$TMP/err" &&
		[ ! -e "$TMP/flip.$f" ] &&
		ok "$(cat "$TMP/err")" || fail "exit $rc, '$(cat "$TMP/err")'"
done

# Planted outputs in a world-writable directory: a symbolic link to a file
# the exporter can write (root: any file), and a pre-made 0666 file that
# would hand the trace's command lines to anyone.  Never written through,
# never reused; -f replaces the name, not what it points to.
PUB=$TMP/pub
mkdir "$PUB" && chmod 1777 "$PUB"
printf 'secret\n' > "$TMP/secret"
chmod 0600 "$TMP/secret"
secret_sum=$(sha256sum < "$TMP/secret")
mkdir "$PUB/out"
ln -s "$TMP/secret" "$PUB/out/meta.csv"
: > "$PUB/out/processes.csv"
chmod 0666 "$PUB/out/processes.csv"
ln "$PUB/out/processes.csv" "$TMP/processes-old"  # the pre-made file's inode
run export "$T" -F csv -o "$PUB/out"
expect_one_error 1 "export: '$PUB/out' already exists (use -f to replace it)"
run export "$T" -F csv -o "$PUB/out" -f
expect_rc 0 && [ ! -s "$TMP/err" ] && ok "csv -f replaces an earlier export"
last="csv over planted files"
[ "$(sha256sum < "$TMP/secret")" = "$secret_sum" ] && ok "the link's target is untouched" ||
	fail "the link's target changed"
[ ! -s "$TMP/processes-old" ] && ok "nothing written into the pre-made file" ||
	fail "the pre-made 0666 file got $(wc -c < "$TMP/processes-old") bytes"
[ ! -L "$PUB/out/meta.csv" ] && grep -q '^host,test-host' "$PUB/out/meta.csv" &&
	ok "meta.csv is a new file" || fail "meta.csv: $(ls -l "$PUB/out/meta.csv")"
[ "$(stat -c %a "$PUB/out")" = 700 ] && ok "directory 0700" ||
	fail "directory mode $(stat -c %a "$PUB/out")"
modes=$(stat -c %a "$PUB"/out/*.csv | sort -u)
[ "$modes" = 600 ] && ok "every file 0600" || fail "file modes $modes"
[ -z "$(ls -A "$PUB" | grep -v '^out$')" ] && ok "no temporary left" ||
	fail "left in $PUB: $(ls -A "$PUB")"
# a directory of other files is not an earlier export: refused, kept
mkdir "$PUB/mine"
echo keep > "$PUB/mine/notes.txt"
run export "$T" -F csv -o "$PUB/mine" -f
expect_one_error 1 "export: cannot replace '$PUB/mine': it holds 'notes.txt', which an export did not write"
[ "$(cat "$PUB/mine/notes.txt")" = keep ] && [ "$(ls "$PUB/mine")" = notes.txt ] &&
	ok "left as it was" || fail "changed: $(ls "$PUB/mine")"
# a link to a directory is not replaced or followed
mkdir "$TMP/realdir"
ln -s "$TMP/realdir" "$PUB/dirlink"
run export "$T" -F csv -o "$PUB/dirlink" -f
expect_one_error 1 "export: cannot replace '$PUB/dirlink': it is a symbolic link *"
[ -z "$(ls -A "$TMP/realdir")" ] && ok "nothing written into its target" || fail "files appeared"

# perfetto -o: the same rules for a file
ln -s "$TMP/secret" "$PUB/t.json"
run export "$T" -F perfetto -o "$PUB/t.json"
expect_one_error 1 "export: '$PUB/t.json' already exists (use -f to replace it)"
run export "$T" -F perfetto -o "$PUB/t.json" -f
expect_one_error 1 "export: cannot replace '$PUB/t.json': it is a symbolic link (-f replaces only a regular file)"
last="perfetto over a planted link"
[ "$(sha256sum < "$TMP/secret")" = "$secret_sum" ] && [ -L "$PUB/t.json" ] &&
	ok "the link and its target are untouched" || fail "the link or its target changed"
: > "$PUB/p.json"
chmod 0666 "$PUB/p.json"
ln "$PUB/p.json" "$TMP/p-old"
run export "$T" -F perfetto -o "$PUB/p.json"
expect_one_error 1 "export: '$PUB/p.json' already exists (use -f to replace it)"
run export "$T" -F perfetto -o "$PUB/p.json" -f
expect_rc 0 && [ ! -s "$TMP/err" ] && ok "-f replaces a regular file"
last="perfetto over a pre-made 0666 file"
[ ! -s "$TMP/p-old" ] && ok "nothing written into the pre-made file" ||
	fail "the pre-made file got $(wc -c < "$TMP/p-old") bytes"
[ "$(stat -c %a "$PUB/p.json")" = 600 ] && grep -q traceEvents "$PUB/p.json" &&
	ok "a new 0600 file" || fail "mode $(stat -c %a "$PUB/p.json")"
mkfifo "$PUB/fifo"
run export "$T" -F perfetto -o "$PUB/fifo" -f
expect_one_error 1 "export: cannot replace '$PUB/fifo': it is a FIFO (-f replaces only a regular file)"
[ -p "$PUB/fifo" ] && ok "still a FIFO" || fail "the FIFO was replaced"
[ -z "$(ls -A "$PUB" | grep -v -e '^out$' -e '^mine$' -e '^dirlink$' -e '^t.json$' -e '^p.json$' -e '^fifo$')" ] &&
	ok "no temporary left" || fail "left in $PUB: $(ls -A "$PUB")"

# bad usage
run export "$T"
expect_one_error 2 "export: which format? give --format perfetto, csv or clickhouse"
run export "$T" -F xml
expect_one_error 2 "export: unknown format 'xml' (perfetto, csv or clickhouse)"
run export "$T" -F csv
expect_one_error 2 "export: csv writes one file per table: give the directory with -o DIR"
run export -F perfetto
expect_one_error 2 "export: no trace file given; see 'kscope export --help'"
run export "$T" -F perfetto --to never
expect_one_error 2 "export: --to: bad time 'never': *"
run export "$T" -F perfetto --from @1 --to @0 -o "$TMP/backwards.json"
expect_one_error 2 "export: --to '@0' is before --from '@1'"
run export "$T" -F perfetto -o "$TMP/no/such/dir/x.json"
expect_one_error 1 "export: cannot create '$TMP/no/such/dir/x.json': No such file or directory"
run export "$T" -F perfetto 'comm ='
expect_rc 2 && grep -q "^kscope: export: bad filter at column 7: expected a value after '='" "$TMP/err" &&
	ok "bad filter" || fail "bad filter"
run export --help
expect_rc 0 && expect_out_has "usage: kscope export FILE" && ok "--help"


# a window outside the trace: written (empty), and one line says why
run export "$T" --format perfetto -o "$TMP/late.json" --from +50s --to +60s
expect_rc 0 && [ -s "$TMP/late.json" ] &&
	[ "$err" = "kscope: export: the window +50 s .. +60 s is after the trace's end (+2.5 s)" ] &&
	ok "$err" || fail "no line saying the window is after the end"
run export "$T" --format csv -o "$TMP/late.d" --from +50s --to +60s
expect_rc 0 && [ "$err" = "kscope: export: the window +50 s .. +60 s is after the trace's end (+2.5 s)" ] &&
	ok "$err" || fail "no line saying the window is after the end (csv)"

# a filter that matched nothing: written, and one line says so
run export "$T" 'pid = 99999' --format perfetto -o "$TMP/none.json"
expect_rc 0 && [ -s "$TMP/none.json" ] &&
	[ "$err" = "kscope: export: no event matched 'pid = 99999'" ] &&
	ok "$err" || fail "no line saying the filter matched nothing"
run export "$T" 'pid = 99999' --format csv -o "$TMP/none.d" --from +0.1s --to +0.2s
expect_rc 0 && [ "$err" = "kscope: export: no event matched 'pid = 99999' in the window +0.1 s .. +0.2 s" ] &&
	ok "$err" || fail "no line saying the filter matched nothing (csv)"
run export "$T" 'pid = 100' --format csv -o "$TMP/some.d"
expect_rc 0 && [ -z "$err" ] && ok "a filter that matches: nothing on stderr" ||
	fail "stderr not empty"

finish
