#!/bin/sh
# test-record-why-fsync.sh - one trace joins a blocked fsync to its file,
# its kernel stack, the block requests behind it and the interrupt that
# ended it, through SQL and through `report why`.
#
# The workload (tests/blkio io) writes SIZE bytes and fsyncs, N times, on
# a file under /var/tmp.  What the trace must say is known without it:
# the file's absolute path (realpath), its disk (findmnt), N fsync calls
# (the workload's own count), at least N * SIZE bytes written by the
# workload to that disk, and that a wait for a write to reach the disk is
# ended by the disk's completion, which runs in interrupt context.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
BLKIO=${BLKIO:-tests/blkio}
[ -x "$BLKIO" ] || skip "no $BLKIO"
command -v python3 >/dev/null 2>&1 || skip "no python3"
command -v findmnt >/dev/null 2>&1 || skip "no findmnt"

dir=$(mktemp -d /var/tmp/kscope-why-fsync.XXXXXX) || skip "no /var/tmp"
trap 'rm -rf "$TMP" "$dir"' EXIT
src=$(findmnt -no SOURCE -T "$dir")
case $src in
/dev/*) disk=${src#/dev/} ;;
*) skip "/var/tmp is on $src, not a block device" ;;
esac
[ -e "/sys/block/$disk" ] || skip "/var/tmp is on $disk, not a whole disk"
N=8
SIZE=65536
file=$dir/data
path=$(realpath "$dir")/data

trace=$TMP/fsync.kscope
# (in a sanitizer build the leak check at exit stops the workload's
# threads: a wait of its own that is not the workload's, so it is off)
"$KSCOPE" record -q -o "$trace" -- \
	env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	"$BLKIO" io "$file" "$N" "$SIZE" \
	>"$TMP/io.out" 2>"$TMP/rec.err"
eq "record exits with the workload's status" "$?" 0
cat "$TMP/io.out" "$TMP/rec.err"
P=$(kv "$TMP/io.out" pid)
[ -n "$P" ] || { echo "FAIL workload output"; exit 1; }

# --- SQL: calls, their fd_name, thread states, stacks, block requests ----
eq "fsync calls named by their file" "$(q "$trace" "SELECT count(*) FROM
	syscalls WHERE tid = $P AND name = 'fsync' AND fd_name = '$path'")" "$N"
eq "writes named by their file" "$(q "$trace" "SELECT count(*) FROM
	syscalls WHERE tid = $P AND name = 'write' AND fd_name = '$path'")" "$N"
ge "fsync waits in thread_state on the file" "$(q "$trace" "SELECT count(*)
	FROM thread_state WHERE tid = $P AND syscall = 'fsync' AND
	fd_name = '$path' AND state IN ('blocked', 'sleeping')")" 1
ge "fsync waits whose stack goes through ext4_sync_file" "$(q "$trace" "
	SELECT count(*) FROM thread_state t JOIN stacks s USING (stack_id)
	WHERE t.tid = $P AND t.syscall = 'fsync' AND
	s.frames LIKE '%;ext4_sync_file;%'")" 1
ge "fsync waits ended by an interrupt" "$(q "$trace" "SELECT count(*)
	FROM thread_state WHERE tid = $P AND syscall = 'fsync' AND
	waker_ctx IN ('hardirq', 'softirq')")" 1
ge "bytes the workload wrote to $disk" "$(q "$trace" "SELECT
	coalesce(sum(bytes), 0) FROM block_io WHERE pid = $P AND
	dev = '$disk' AND op = 'write' AND error = 0")" $((N * SIZE))

# --- report why: its waits hold the fsync on the file, with the time
# thread_state gives those waits (not always the largest: an openat can
# wait longer on a journal shared with other writers); the critical path
# of each fsync wait starts at the waker thread_state names for it (an
# interrupt: the path ends there).
"$KSCOPE" report "$trace" why --tid "$P" -F json >"$TMP/why.json" \
	2>"$TMP/why.err"
eq "report why exits 0" "$?" 0
q "$trace" "SELECT ts, coalesce(waker_ctx, ''), coalesce(waker_irq, ''),
	coalesce(waker_tid, 0) FROM thread_state WHERE tid = $P AND
	syscall = 'fsync'" >"$TMP/states.csv"
python3 - "$TMP/why.json" "$TMP/states.csv" "$path" <<'PY' >"$TMP/why.check"
import json, sys
d = json.load(open(sys.argv[1]))["tables"]
states = {}
for line in open(sys.argv[2]):
    ts, ctx, irq, tid = line.rstrip("\n").split(",")
    states[int(ts)] = (ctx, irq, int(tid))
t = d["threads"][0]
print("sum", int(sum(p["time_ns"] for p in d["breakdown"]) == t["wall_ns"]))
waits = [p for p in d["breakdown"] if p["what"] in ("sleeping", "blocked")]
print("fsync_ns", sum(p["time_ns"] for p in waits
                      if p["syscall"] == "fsync" and p["fd_name"] == sys.argv[3]))
fs = [h for h in d["critical_path"] if h["hop"] == 0 and h["syscall"] == "fsync"]
print("fsync_paths", len(fs))
bad = irq = 0
for h in fs:
    ctx, name, tid = states.get(h["ts"], ("?", "", 0))
    if ctx in ("hardirq", "softirq"):
        irq += 1
        ok = (h["woken_by"] == (ctx + " " + name).strip() and
              h["ends_at"] == "an interrupt")
    else:
        ok = ctx == "task" and h["woken_by"].endswith("/%d" % tid)
    if not ok:
        bad += 1
        print("differs", h["ts"], h["woken_by"], h["ends_at"], ctx, name, tid)
print("bad", bad)
print("irq", irq)
PY
cat "$TMP/why.check"
kv2() { sed -n "s/^$1 //p" "$TMP/why.check" | head -n1; }
eq "breakdown adds up to the wall time" "$(kv2 sum)" 1
ge "report why: fsync waits on the file" "$(kv2 fsync_ns)" 1
eq "... as long as thread_state's" "$(kv2 fsync_ns)" "$(q "$trace" "SELECT
	coalesce(sum(dur), 0) FROM thread_state WHERE tid = $P AND
	syscall = 'fsync' AND fd_name = '$path' AND
	state IN ('sleeping', 'blocked')")"
ge "critical paths of fsync waits" "$(kv2 fsync_paths)" 1
eq "each starts at the waker thread_state names" "$(kv2 bad)" 0
finish
