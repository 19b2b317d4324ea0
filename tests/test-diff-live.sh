#!/bin/sh
# test-diff-live.sh - `kscope diff` on two recordings of a planted change:
# tests/diffload writes N blocks of 4 KiB to a file (before), then does
# the same with an fsync after each write (after).  The workload counts
# its own calls (the oracle).
#  - the fsync time line ranks first, in json and in text;
#  - the fsync calls line goes from 0 to the workload's fsync count, the
#    write calls line is the workload's writes (+1: its report on stdout)
#    in both traces, and the fsync time after equals the sum of the
#    fsync durations `kscope query` gives;
#  - calls made the same few times in both runs (exec, exit, mmap ...)
#    are not significant, and most lines are not;
#  - a shell that ran ls and exited 3, against one that exited 5 without:
#    the shell's exit codes changed, the ls process is gone.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v python3 >/dev/null 2>&1 || skip "no python3"
LOAD=${DIFFLOAD:-tests/diffload}
N=300
# a file on a disk: fsync on tmpfs does nothing
DIR=$(mktemp -d "${TMPDIR:-/var/tmp}/kscope-diff.XXXXXX")
trap 'rm -rf "$TMP" "$DIR"' EXIT

for run in plain fsync; do
	"$KSCOPE" record -q -o "$TMP/$run.kscope" -- env "$NOLEAKS" "$LOAD" \
		$N "$DIR/data" $run >"$TMP/$run.out" 2>"$TMP/$run.err"
	eq "$run: recorded" "$?" 0
	sed 's/^/  /' "$TMP/$run.err"
done
eq "plain: the workload wrote" "$(kv "$TMP/plain.out" writes)" $N
eq "fsync: the workload synced" "$(kv "$TMP/fsync.out" fsyncs)" $N
pid=$(kv "$TMP/fsync.out" pid)
sum=$(q "$TMP/fsync.kscope" "SELECT sum(dur) FROM syscalls WHERE
	name = 'fsync' AND pid = $pid")

"$KSCOPE" diff "$TMP/plain.kscope" "$TMP/fsync.kscope" -F json \
	>"$TMP/d.json" 2>"$TMP/d.err"
eq "diff -F json exits 0" "$?" 0
python3 - "$TMP/d.json" "$N" "$sum" <<'PY' || failures=$((failures + 1))
import json, sys
d = json.load(open(sys.argv[1]))
n, fsum = int(sys.argv[2]), int(sys.argv[3])
bad = 0
def check(what, ok):
    global bad
    print(("ok   " if ok else "FAIL ") + what)
    bad += not ok
r = d["ranked"]
first = r[0]
check("json: first line is fsync time (%s %s %s)" %
      (first["section"], first["key"], first["metric"]),
      (first["section"], first["key"], first["metric"]) ==
      ("syscalls", "fsync", "time"))
check("json: it is new and significant",
      first["status"] == "new" and first["significant"] == 1)
line = {(l["section"], l["key"], l["metric"]): l for l in r}
fc = line.get(("syscalls", "fsync", "calls"))
check("json: fsync calls 0 -> %d" % n,
      fc is not None and fc["before"] == 0 and fc["after"] == n)
check("json: fsync time after = sum of durations (%d)" % fsum,
      first["after"] == fsum)
secs = {t["role"]: t["seconds"] for t in d["traces"]}
check("json: fsync time per second = time / the after trace's seconds",
      abs(first["after_per_s"] - fsum / secs["after"]) <= 1e-6 * fsum /
      secs["after"] + 1)
wc = line.get(("syscalls", "write", "calls"))
check("json: write calls %d in both (+1: stdout)" % n,
      wc is not None and wc["before"] == n + 1 and wc["after"] == n + 1)
same = [l for l in r if l["section"] == "syscalls" and
        l["metric"] == "calls" and l["before"] == l["after"] and
        l["before"] <= 10]
check("json: %d calls made the same few times in both runs" % len(same),
      len(same) >= 3)
check("json: none of them significant",
      not [l for l in same if l["significant"]])
sig = sum(l["significant"] for l in r)
check("json: %d of %d lines significant (fewer than half)" % (sig, len(r)),
      2 * sig < len(r))
sys.exit(1 if bad else 0)
PY

"$KSCOPE" diff "$TMP/plain.kscope" "$TMP/fsync.kscope" >"$TMP/d.txt"
eq "diff (text) exits 0" "$?" 0
# the ranked list's first row: rank 1, section, key, metric
first=$(awk '/^What changed/ { getline; getline; getline; print $1, $2, $3,
	$4; exit }' "$TMP/d.txt")
eq "text: first line" "$first" "1 syscalls fsync time"

# ---- exit codes, processes gone -------------------------------------------
"$KSCOPE" record -q -o "$TMP/e3.kscope" -- sh -c 'ls / >/dev/null; exit 3' \
	2>"$TMP/e3.err"
eq "exit 3: recorded, the command's status" "$?" 3
"$KSCOPE" record -q -o "$TMP/e5.kscope" -- sh -c 'exit 5' 2>"$TMP/e5.err"
eq "exit 5: recorded, the command's status" "$?" 5
"$KSCOPE" diff "$TMP/e3.kscope" "$TMP/e5.kscope" -F json >"$TMP/e.json"
eq "diff of the shells exits 0" "$?" 0
python3 - "$TMP/e.json" <<'PY' || failures=$((failures + 1))
import json, sys
p = json.load(open(sys.argv[1]))["processes"]
ex = [(l["status"], l["detail"]) for l in p if l["key"].startswith("sh ")
      and l["metric"] == "failed_exits"]
ls = [(l["status"], l["before"], l["after"]) for l in p
      if l["key"].startswith("ls ") and l["metric"] == "processes"]
ok = [ex == [("changed", "exit codes 3=1 -> 5=1")], ls == [("gone", 1, 0)]]
print(("ok   " if ok[0] else "FAIL ") + "the shell's exit codes: %s" % ex)
print(("ok   " if ok[1] else "FAIL ") + "ls is gone: %s" % ls)
sys.exit(0 if all(ok) else 1)
PY
finish
