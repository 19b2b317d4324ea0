#!/bin/sh
# test-record-why-summary.sh - a live cause the summary must point at: a
# command that opens files that exist, then fails to open a missing config
# file and exits 1 (cat does).  The summary names that path, the ENOENT,
# the exit code and the process, with a replay command on this trace file
# that shows the failed open.  The recording ends when the command does:
# nothing is timed.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

trace=$TMP/why.kscope
missing=$TMP/no-such-dir/app.conf
"$KSCOPE" record -q -o "$trace" -- sh -c \
	"cat /etc/hostname /etc/passwd >/dev/null && exec cat '$missing'" \
	>/dev/null 2>"$TMP/rec.err"
rc=$?
eq "record exits with the command's status" "$rc" 1
grep -q "No such file" "$TMP/rec.err" || cat "$TMP/rec.err"

pid=$(q "$trace" "SELECT pid FROM proc_events WHERE kind = 'exit' AND tid = pid AND exit_code = 1 ORDER BY ts DESC LIMIT 1")
check "the command's exit with code 1 is in the trace" test -n "$pid"

"$KSCOPE" report "$trace" --format json >"$TMP/sum.json" 2>"$TMP/sum.err"
eq "summary exits 0" "$?" 0
python3 - "$TMP/sum.json" "$pid" "$missing" "$trace" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
pid, missing, trace = int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [r for r in d["tables"]["failed_before_exit"] if r["pid"] == pid]
ok = rows and rows[0]["target"] == missing and rows[0]["error"] == "ENOENT" \
    and rows[0]["exit_code"] == 1 and rows[0]["syscall"] in ("open", "openat")
print("ok   summary: the last failed call before the exit is the missing "
      "file" if ok else "FAIL summary rows: %r" % rows)
note = "kscope replay %s 'pid = %d'" % (trace, pid)
hit = [n for n in d["notes"] if n.startswith("pid %d " % pid) and
       missing in n and n.endswith(note)]
print("ok   summary: a note names it and the next command" if hit else
      "FAIL notes: %r" % d["notes"])
sys.exit((not ok) + (not hit))
PY
failures=$((failures + $?))
"$KSCOPE" replay "$trace" "pid = $pid" >"$TMP/replay.txt"
check "the next command shows the failed open" \
	grep -q "\"$missing\".*= -2 ENOENT" "$TMP/replay.txt"
finish
