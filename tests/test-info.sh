#!/bin/sh
# test-info.sh - `kscope info` on a trace of known contents
# (tests/test-mktrace.c lists them), as text and as JSON.
. "$(dirname "$0")/cli-lib.sh"

T=$TMP/t.kscope
"$MKTRACE" "$T" || exit 99
size=$(wc -c < "$T")

run info "$T"
expect_rc 0 && [ ! -s "$TMP/err" ] || fail "stderr not empty"
for line in \
	"file         $T" \
	"format       1.3" \
	"host         test-host" \
	"kernel       6.1.0-test (x86_64)" \
	"cpus         4" \
	"start        2023-11-14 22:13:20.000000 UTC" \
	"end          2023-11-14 22:13:22.500000 UTC" \
	"duration     2.500 s" \
	"events       1,025 in " \
	"lost         7 events in 2 seconds: sched 2, syscall 5" \
	"malformed    3 records from the kernel could not be decoded and were dropped" \
	"options      kscope record -a -d 2.5s" \
	"classes      syscall,sched,proc,net" \
	"ring buffer  8.0 MiB" \
	"recorder     kscope 0.1.0, CPU 25.000 ms (1.00% of one CPU), max RSS 20.0 MiB" \
	"syscalls                1,000 " \
	"sched_switch               10 " \
	"sched_migrate               0        0         0 B         0 B       -" \
	"zz_future_key = v\\x1b[31mred"
do
	expect_out_has "$line" || continue
done
ok "text lines"
# bytes per event: the file size over 1025 events
bpe=$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1025 }')
expect_out_has "bytes/event  $bpe (whole file)" && ok "bytes/event $bpe"
# the escape sequence from the file must not reach the terminal
if tr -d '\n' < "$TMP/out" | grep -q "$(printf '\033')"; then
	fail "a raw escape character from meta was printed"
fi
grep -q '^compression  [0-9.]*x (' "$TMP/out" || fail "no compression line"

# JSON: parse it back and check the values
if have_python; then
	run info "$T" --format json
	expect_rc 0
	python3 - "$TMP/out" "$size" <<'PY' || fail "JSON does not match"
import json, sys
d = json.load(open(sys.argv[1]))
size = int(sys.argv[2])
want = {
    "size_bytes": size, "format_version": "1.3", "host": "test-host",
    "kernel": "6.1.0-test", "arch": "x86_64", "cpus": 4,
    "clock_offset_ns": 1699999999000000000, "start_ts": 1000000000,
    "end_ts": 3500000000, "duration_ns": 2500000000,
    "start": "2023-11-14T22:13:20.000000000Z",
    "end": "2023-11-14T22:13:22.500000000Z", "events": 1025,
    "options": "kscope record -a -d 2.5s", "recorder_cpu_ns": 25000000,
    "recorder_max_rss_kb": 20480, "unfinished": False,
    "recorder": "kscope 0.1.0", "classes": "syscall,sched,proc,net",
    "ring_buffer_bytes": 8388608, "malformed_records": 3,
    "start_from_meta": True, "end_from_meta": True, "recording_pid": None,
}
for k, v in want.items():
    assert d[k] == v, (k, d[k], v)
assert d["lost"] == {"total": 7, "seconds": 2,
                     "by_class": {"sched": 2, "syscall": 5}}, d["lost"]
k = d["kinds"]
assert k["syscalls"]["events"] == 1000 and k["syscalls"]["chunks"] == 4, k
assert k["syscalls"]["ts_first"] == 1000000001
assert k["syscalls"]["ts_last"] == 1000000001 + 999 * 1000000
assert k["sched_migrate"] == {"events": 0, "chunks": 0, "raw_bytes": 0,
                              "stored_bytes": 0, "ts_first": None,
                              "ts_last": None}, k["sched_migrate"]
assert sum(v["events"] for v in k.values()) == 1025
assert abs(d["bytes_per_event"] - size / 1025) < 1e-9
raw = sum(v["raw_bytes"] for v in k.values())
stored = sum(v["stored_bytes"] for v in k.values())
assert d["raw_bytes"] == raw and d["stored_bytes"] == stored
assert abs(d["compression_ratio"] - raw / stored) < 1e-9
assert d["meta"]["zz_future_key"] == "v\x1b[31mred"
assert d["meta"]["host"] == "test-host"
PY
	ok "JSON values"
fi

# the production settings of a recording (capture filters, budget and
# shed, redaction, snaplen, trigger, snapshots): one block of lines, in
# this order, and their JSON members; none of them under "other meta"
if have_python; then
	P=$TMP/prod.kscope
	"$MKTRACE" "$P" || exit 99
	python3 - "$P" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [
    ("capture_syscalls", "getppid,read"),
    ("budget", "cpu=1%,rate=65536/s,slow=1000000ns"),
    ("shed_sampled", "96"), ("shed_payload", "5"),
    ("redacted", "argv,paths; 1 pattern"), ("snaplen", "64"),
    ("trigger", "dur > 500ms"), ("trigger_after_ns", "250000000"),
    ("trigger_ts", "2234000000"), ("snapshot_signal", "SIGUSR1"),
    ("snapshot_of", "/x/t.kscope"),
    ("snapshot_reason", "requested (SIGUSR1)")])
c.executemany("INSERT INTO shed(ts, cpu, class, name, what, rate, dropped) "
              "VALUES (?, 0, 'syscall', 'getppid', ?, ?, ?)", [
    (2000000000, "sample", 32, 96), (2000000000, "payload", 0, 5)])
c.commit()
PY
	run info "$P"
	expect_rc 0
	sed -n '/^capture /,/^snapshot of /p' "$TMP/out" | cut -c1-13 \
		>"$TMP/block"
	printf '%s\n' "capture      " "budget       " "shed         " \
		"redacted     " "snaplen      " "trigger      " "snapshots    " \
		"snapshot of  " | cmp -s - "$TMP/block" ||
		fail "the production lines are not one block: $(cat "$TMP/block")"
	for line in \
		"capture      syscalls getppid,read; counts are of these calls only" \
		"budget       cpu=1%,rate=65536/s,slow=1000000ns" \
		"shed         syscalls: sampled 1/32 " \
		"redacted     argv,paths; 1 pattern" \
		"snaplen      64 bytes of each read/write/send/recv payload" \
		"trigger      'dur > 500ms', then 250.000 ms; matched at +1.234 s" \
		"snapshots    on SIGUSR1 or kscope record --snapshot PID" \
		"snapshot of  /x/t.kscope: requested (SIGUSR1)"
	do
		expect_out_has "$line" || continue
	done
	grep -q "^  \(redacted\|snaplen\|trigger\|snapshot\|shed\|budget\|capture\)" \
		"$TMP/out" &&
		fail "a production setting under other meta"
	ok "production settings (text)"
	run info "$P" --format json
	expect_rc 0
	python3 - "$TMP/out" <<'PY' || fail "production settings (JSON)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["capture"]["syscalls"] == "getppid,read", d["capture"]
assert d["budget"] == "cpu=1%,rate=65536/s,slow=1000000ns"
assert d["shed"]["sampled"] == 96 and d["shed"]["payload"] == 5, d["shed"]
assert d["redacted"] == "argv,paths; 1 pattern"
assert d["snaplen"] == 64
assert d["trigger"] == {"filter": "dur > 500ms", "after_ns": 250000000,
                        "ts": 2234000000}, d["trigger"]
assert d["snapshot_signal"] == "SIGUSR1"
assert d["snapshot_of"] == "/x/t.kscope"
assert d["snapshot_reason"] == "requested (SIGUSR1)"
PY
	ok "production settings (JSON)"
	run info "$T" --format json
	python3 - "$TMP/out" <<'PY' || fail "no production settings (JSON)"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("budget", "redacted", "snaplen", "trigger", "snapshot_signal",
          "snapshot_of", "snapshot_reason", "capture"):
    assert d[k] is None, (k, d[k])
PY
	ok "no production settings: null members"
fi

# no recorder meta: unknowns say so, the span comes from the events
"$MKTRACE" "$TMP/bare.kscope" --no-meta || exit 99
run info "$TMP/bare.kscope"
expect_rc 0
expect_out_has "host         unknown"
expect_out_has "cpus         unknown"
expect_out_has "start        1.000000 s after boot (first event; no recording start in meta)"
expect_out_has "end          3.500000 s after boot (last event: the recording did not finish; no clock offset in meta: wall time unknown)"
expect_out_has "lost         7 events in 2 seconds: sched 2, syscall 5"
ok "a trace without recorder meta"

# a recorder killed before it wrote end_ts: the span ends at the last event
"$MKTRACE" "$TMP/noend.kscope" --no-end || exit 99
run info "$TMP/noend.kscope"
expect_rc 0
expect_out_has "start        2023-11-14 22:13:20.000000 UTC"
expect_out_has "end          2023-11-14 22:13:22.500000 UTC (last event: the recording did not finish)"
expect_out_has "recorder     kscope 0.1.0, CPU 25.000 ms, max RSS 20.0 MiB"
ok "a recording that did not finish"

# no events at all
if have_python; then
	"$MKTRACE" "$TMP/empty.kscope" --syscalls 0 --no-meta || exit 99
	python3 - "$TMP/empty.kscope" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t in ("chunk_data", "chunks", "lost"):
    c.execute("DELETE FROM " + t)
c.commit()
PY
	run info "$TMP/empty.kscope"
	expect_rc 0
	expect_out_has "events       0 in 0 chunks"
	expect_out_has "span         none (no events, no recording span)"
	expect_out_has "lost         0 events"
	ok "an empty trace"
fi

run info --help
expect_rc 0 && expect_out_has "usage: kscope info FILE" && ok
run help info
expect_rc 0 && expect_out_has "usage: kscope info FILE" && ok

finish
