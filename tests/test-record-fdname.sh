#!/bin/sh
# test-record-fdname.sh - syscalls.fd_name against strace -yy, the oracle:
# tests/fdnames runs files (relative and absolute opens, after chdir and
# fchdir, openat with a dirfd), a write loop on one fd, dup2 onto 1, dup3,
# F_DUPFD_CLOEXEC, pipes, TCP over IPv4 and IPv6, a Unix socket and an
# exec that keeps one fd and loses its close-on-exec twin, under
# `kscope record -- strace -f -yy`; every call with an fd must carry the
# name strace printed for it (tests/strace-compare.py, --fd-strict: none
# unknown, none vaguer).  Then fds opened before the recording: a process
# holding a file, recorded with -p, names it in its writes as
# readlink(/proc/PID/fd/N) did.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v strace >/dev/null 2>&1 || skip "strace is not installed"
strace -f -q -o /dev/null true >/dev/null 2>&1 ||
	skip "strace cannot trace here: $(strace -f -q -o /dev/null true 2>&1 | head -n1)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
FDNAMES=${FDNAMES:-tests/fdnames}

# --- 1. the workload beside strace -yy ------------------------------------
# (a sanitizer build's leak check cannot run under ptrace: off for it)
mkdir "$TMP/w"
"$KSCOPE" record -q -o "$TMP/w.kscope" -- \
	strace -f -q -yy -E "$NOLEAKS" -o "$TMP/w.log" -- "$FDNAMES" run "$TMP/w" \
	>"$TMP/w.out" 2>"$TMP/w.err"
eq "workload: recorded, exit 0" "$?" 0
cat "$TMP/w.err"
eq "workload: no events lost (but block I/O)" "$(lost_but_block "$TMP/w.kscope")" 0
if python3 "${srcdir:-.}/tests/strace-compare.py" --fd-strict "$KSCOPE" \
	"$TMP/w.kscope" "$TMP/w.log" >"$TMP/cmp.out"; then
	echo "ok   workload: the trace matches strace -yy"
else
	echo "FAIL workload: the trace differs from strace -yy"
	failures=$((failures + 1))
fi
cat "$TMP/cmp.out"
# The comparison covered each kind of fd.
for kind in path pipe tcp unix; do
	check "workload: fd names of kind $kind compared" \
		grep -Eq "^ok   fd names: .*[(,] ?$kind [1-9]" "$TMP/cmp.out"
done
W=$TMP/w
eq "workload: the write loop on a.txt" \
	"$(q "$TMP/w.kscope" "SELECT count(*) FROM syscalls WHERE name='write' AND fd_name='$W/a.txt' AND comm='fdnames'")" 8
eq "workload: the exec'd program's read of the kept fd is named" \
	"$(q "$TMP/w.kscope" "SELECT count(*) FROM syscalls s WHERE name='read' AND fd_name='$W/a.txt' AND ret > 0 AND pid IN (SELECT pid FROM processes WHERE cmdline LIKE '% exec %')")" 1
eq "workload: the close-on-exec twin's read fails, unnamed" \
	"$(q "$TMP/w.kscope" "SELECT coalesce(fd_name, 'NULL') FROM syscalls WHERE name='read' AND ret=-9 AND pid IN (SELECT pid FROM processes WHERE cmdline LIKE '% exec %')")" NULL

# The reports tie the calls on an fd to its file: `report files` by_file
# against SQL grouped by fd_name, `report slow` against each call's row.
cat > "$TMP/reports.py" <<'PY'
import json, subprocess, sys
kscope, trace = sys.argv[1:3]
def run(*a):
	return subprocess.run([kscope] + list(a), check=True,
	                      capture_output=True, text=True).stdout
def rows(sql):
	return json.loads(run("query", trace, sql, "--format", "json"))
files = json.loads(run("report", trace, "files", "--top", "1000",
                       "--format", "json"))["tables"]["by_file"]
want = {r["fd_name"]: r for r in rows(
	"SELECT fd_name, count(*) AS calls, "
	"sum(name IN ('write', 'pwrite64', 'writev', 'pwritev', 'pwritev2')) "
	"AS writes, sum(CASE WHEN name IN ('write', 'pwrite64', 'writev', "
	"'pwritev', 'pwritev2') AND ret > 0 THEN ret ELSE 0 END) AS wbytes "
	"FROM syscalls WHERE fd_name IS NOT NULL GROUP BY fd_name")}
got = {r["file"]: r for r in files}
bad = [n for n in want if n not in got or
       (got[n]["calls"], got[n]["writes"], got[n]["write_bytes"]) !=
       (want[n]["calls"], want[n]["writes"], want[n]["wbytes"])]
print("by_file: %d files, %d differ from SQL %s" % (len(got), len(bad),
      bad[:3]))
# (enough of the slowest that some have an fd whatever the timing: under
# strace, its own waits are the slowest calls)
slow = json.loads(run("report", trace, "slow", "--top", "1000", "--format",
                      "json"))["tables"]["slowest"]
names = {(r["tid"], r["ts"]): r["fd_name"]
         for r in rows("SELECT tid, ts, fd_name FROM syscalls")}
named = 0
for c in slow:
	if names.get((c["tid"], c["ts"]), "?") != c["fd_name"]:
		bad.append(c)
	named += c["fd_name"] is not None
print("slow: %d calls, %d with an fd name, %d differ" % (len(slow), named,
      len(bad)))
sys.exit(1 if bad or not named or len(got) != len(want) else 0)
PY
check "reports: files by_file and slow's fd_name agree with SQL" \
	python3 "$TMP/reports.py" "$KSCOPE" "$TMP/w.kscope"
eq "reports: the write loop's file in report files" \
	"$("$KSCOPE" report "$TMP/w.kscope" files --top 1000 --format csv | sed -n '/^# by_file/,/^$/p' | grep "^$W/a.txt," | cut -d, -f7,8)" "8,43"

# --- 2. an fd opened before the recording ---------------------------------
mkfifo "$TMP/go"
exec 3<>"$TMP/go"
"$FDNAMES" hold "$TMP/held.txt" <&3 >"$TMP/hold.out" &
holder=$!
wait_for "the holder's open" grep -qs '^fd=' "$TMP/hold.out"
fd=$(kv "$TMP/hold.out" fd)
link=$(readlink "/proc/$holder/fd/$fd")
"$KSCOPE" record -o "$TMP/hold.kscope" -p "$holder" 2>"$TMP/rec.err" &
rec=$!
wait_for "the recorder's readiness line" ready "$TMP/rec.err"
echo go >&3
wait $holder
wait $rec
exec 3>&-
eq "held: the writes on fd $fd are named as /proc named it" \
	"$(q "$TMP/hold.kscope" "SELECT count(*) || ' ' || group_concat(DISTINCT fd_name) FROM syscalls WHERE pid=$holder AND name='write' AND fd=$fd")" \
	"3 $link"
finish
