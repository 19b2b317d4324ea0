#!/bin/sh
# test-record-attach.sh - `kscope record -p PID` on processes that are
# already blocked, and what "still running" means.
#
#   1. A process blocked in read on a pipe with a child blocked in wait4's
#      other end (a parent in wait4, its child in read) is attached with -p,
#      then released through the pipe: the read and the wait4 are in the
#      trace with the results the workload itself saw, flagged "started
#      before the recording" (flags & 16), and the child (which existed
#      before the recording) has its events.
#   2. sleep blocked when attached and still blocked at stop: one row,
#      unfinished and started before the recording.
#   3. Still running: a process blocked in read when the recording stops is
#      in the still-running list; one that exits meanwhile (exit_group)
#      is not, though its exit_group has no result either.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v python3 >/dev/null 2>&1 || skip "python3 is needed for the workload"

# in_call PID NR [ARG0]: is PID blocked in syscall NR (with first argument
# ARG0, in hex as /proc shows it), by /proc/PID/syscall?  A python3 reads
# files while it starts: the read of fd 0 is the one waited for.
in_call() {
	set -- "$(cut -d' ' -f1,2 "/proc/$1/syscall" 2>/dev/null)" "$2" "$3"
	[ "${1%% *}" = "$2" ] && { [ -z "$3" ] || [ "${1#* }" = "$3" ]; }
}
nr_of() {
	python3 -c "import sys; print({'x86_64': {'read': 0, 'wait4': 61, 'clock_nanosleep': 230}, 'aarch64': {'read': 63, 'wait4': 260, 'clock_nanosleep': 115}}[sys.argv[1]][sys.argv[2]])" \
		"$(uname -m)" "$1" 2>/dev/null
}
NR_READ=$(nr_of read)
NR_WAIT4=$(nr_of wait4)
NR_NANOSLEEP=$(nr_of clock_nanosleep)
[ -n "$NR_READ" ] || skip "no syscall numbers for $(uname -m) in this test"

# The workload: a parent that forks a child reading its stdin, then waits
# for it; each says what its call returned.
cat >"$TMP/wl.py" <<'EOF'
import os, sys
pid = os.fork()
if pid == 0:
    n = len(os.read(0, 4096))
    print("child_read=%d" % n, flush=True)
    os._exit(7)
print("child_pid=%d" % pid, flush=True)
got, status = os.waitpid(pid, 0)
print("wait_ret=%d" % got, flush=True)
print("wait_status=%d" % os.waitstatus_to_exitcode(status), flush=True)
EOF

# --- 1. attach to a parent in wait4 and its child in read -----------------
mkfifo "$TMP/pipe"
exec 3<>"$TMP/pipe" # read-write: opening does not block
python3 "$TMP/wl.py" <&3 >"$TMP/wl.out" &
parent=$!
wait_for "the child's pid" grep -q '^child_pid=' "$TMP/wl.out"
child=$(kv "$TMP/wl.out" child_pid)
wait_for "the child blocked in read" in_call "$child" "$NR_READ" 0x0
wait_for "the parent blocked in wait4" in_call "$parent" "$NR_WAIT4"

trace=$TMP/attach.kscope
"$KSCOPE" record -o "$trace" -p "$parent" 2>"$TMP/rec.err" &
rec=$!
wait_for "the recorder's readiness line" ready "$TMP/rec.err"
printf 'hello, pipe\n' >&3
wait $parent
wait $rec
rc=$?
exec 3>&-
cat "$TMP/wl.out" "$TMP/rec.err"
eq "attach: record exits 0" "$rc" 0
check "attach: the readiness line counts the two calls in progress" \
	grep -q "; 2 calls were in progress" "$TMP/rec.err"
eq "attach: meta early_calls" \
	"$(q "$trace" "SELECT value FROM meta WHERE key='early_calls'")" 2

read_n=$(kv "$TMP/wl.out" child_read)
wait_ret=$(kv "$TMP/wl.out" wait_ret)
eq "attach: the child's read, with the bytes the child got, flagged early" \
	"$(q "$trace" "SELECT ret || '|' || (flags & 16) || '|' || (dur > 0) || '|' || fd FROM syscalls WHERE tid=$child AND name='read'")" \
	"$read_n|16|1|0"
eq "attach: the parent's wait4, returning the child's pid, flagged early" \
	"$(q "$trace" "SELECT ret || '|' || (flags & 16) || '|' || arg0 FROM syscalls WHERE tid=$parent AND name='wait4' AND ret > 0")" \
	"$wait_ret|16|$((wait_ret))"
eq "attach: only those two are flagged early" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE flags & 16")" 2
eq "attach: the early calls start when the recording saw them" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE flags & 16 AND ts >= (SELECT CAST(value AS INTEGER) FROM meta WHERE key='start_ts')")" 2
eq "attach: the existing child's writes of its report line" \
	"$(q "$trace" "SELECT sum(ret) FROM syscalls WHERE pid=$child AND name='write' AND fd=1")" \
	"$(grep '^child_read=' "$TMP/wl.out" | wc -c)"
eq "attach: the existing child's exit, code 7 as the parent saw it" \
	"$(q "$trace" "SELECT exit_code FROM proc_events WHERE kind='exit' AND pid=$child AND tid=$child")" \
	"$(kv "$TMP/wl.out" wait_status)"
eq "attach: the processes table holds parent and child" \
	"$(q "$trace" "SELECT group_concat(pid, ' ') FROM (SELECT pid FROM processes WHERE pid IN ($parent, $child) ORDER BY pid)")" \
	"$(printf '%s\n' "$parent" "$child" | sort -n | paste -sd' ' -)"
check "attach: replay marks the read as started before the recording" \
	sh -c "\"$KSCOPE\" replay \"$trace\" \"tid = $child\" | grep -q 'read(0, .* = $read_n .*<started before the recording>'"

# --- 2. blocked at attach and still blocked at stop -----------------------
sleep 1000 &
sleeper=$!
wait_for "sleep blocked" in_call "$sleeper" "$NR_NANOSLEEP"
"$KSCOPE" record -q -o "$TMP/sleep.kscope" -p "$sleeper" -d 1
eq "sleep: record exits 0" "$?" 0
kill $sleeper
wait $sleeper 2>/dev/null
eq "sleep: its call is there, unfinished and started before (flags 17)" \
	"$(q "$TMP/sleep.kscope" "SELECT name || '|' || flags || '|' || dur FROM syscalls WHERE pid=$sleeper")" \
	"clock_nanosleep|17|0"

# --- 3. still running at stop vs exited -----------------------------------
mkfifo "$TMP/p1" "$TMP/p2"
exec 4<>"$TMP/p1" 5<>"$TMP/p2"
cat >"$TMP/reader.py" <<'EOF'
import os
n = len(os.read(0, 4096))
print("read=%d" % n, flush=True)
EOF
python3 "$TMP/reader.py" <&4 >"$TMP/stay.out" &
stay=$!
python3 "$TMP/reader.py" <&5 >"$TMP/go.out" &
go=$!
wait_for "the first reader blocked in read" in_call "$stay" "$NR_READ" 0x0
wait_for "the second reader blocked in read" in_call "$go" "$NR_READ" 0x0
run=$TMP/run.kscope
"$KSCOPE" record -o "$run" -p "$stay,$go" 2>"$TMP/run.err" &
rec=$!
wait_for "the recorder's readiness line" ready "$TMP/run.err"
printf 'x\n' >&5
wait $go
# The second reader has exited; the first is still in read (by /proc).
stay_nr=$(cut -d' ' -f1,2 "/proc/$stay/syscall")
kill -INT $rec
wait $rec
eq "still running: record exits 0" "$?" 0
still=$(cut -d' ' -f1,2 "/proc/$stay/syscall")
printf 'y\n' >&4
wait $stay
exec 4>&- 5>&-
eq "still running: /proc shows the reader in read before and after the stop" \
	"$stay_nr / $still" "$NR_READ 0x0 / $NR_READ 0x0"
eq "still running: the exited reader's exit_group has no result and is marked exited (flags 33)" \
	"$(q "$run" "SELECT flags || '|' || dur FROM syscalls WHERE pid=$go AND name='exit_group'")" "33|0"
"$KSCOPE" report "$run" slow --format csv >"$TMP/slow.csv"
"$KSCOPE" report "$run" summary >"$TMP/summary.txt"
sed -n '/^# unfinished/,/^$/p' "$TMP/slow.csv"
# The unfinished table of the slow report: rank,ts,dur_ns,syscall,ret,...
unf=$(sed -n '/^# unfinished/,/^$/p' "$TMP/slow.csv" | awk -F, 'NR > 2 && NF > 5 { print $4 "/" $7 }' | paste -sd' ' -)
eq "still running: the list is the blocked read, not exit_group" "$unf" "read/$stay"
check "still running: the summary counts 1 call still running" \
	grep -q "1 call was still running" "$TMP/summary.txt"
eq "still running: syscalls report, unfinished column of exit_group" \
	"$("$KSCOPE" report "$run" syscalls --format csv | awk -F, '$1 == "exit_group" { print $4 }')" 0
check "still running: replay shows exit_group as '= ?' without <unfinished>" \
	sh -c "\"$KSCOPE\" replay \"$run\" \"pid = $go\" | grep 'exit_group(' | grep -q '= ?\$'"
finish
