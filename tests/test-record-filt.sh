#!/bin/sh
# test-record-filt.sh - the capture filters in live recordings, with strace
# run on the same workload in the same recording as the oracle
# (tests/strace-compare.py: per-thread per-name counts, returns call by
# call, paths, addresses, exits):
#   --syscalls file / net / process   against strace -e trace=%CLASS, on a
#                                     shell pipeline and an HTTP fetch
#   --slower-than, --no-errors,       against strace -T's times and its
#   --errors-only                     failed calls
#   --syscalls read                   fd_name of reads through open, dup2,
#                                     fcntl(F_DUPFD), close and a reopen of
#                                     the same fd, against strace -yy
#   --comm                            system-wide and within CMD: the
#                                     processes that have the name (from
#                                     the start, by exec, by a rename) and
#                                     their children, and no other
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v strace >/dev/null 2>&1 || skip "strace is not installed"
strace -f -q -o /dev/null true >/dev/null 2>&1 ||
	skip "strace cannot trace here: $(strace -f -q -o /dev/null true 2>&1 | head -n1)"
for tool in python3 tar gzip curl; do
	command -v $tool >/dev/null 2>&1 || skip "$tool is not installed"
done
BASE=$TMP

# run NAME CMD...: record CMD under strace with $KOPTS (kscope's filters),
# $SOPTS (strace's) and compare with $COPTS (oracle-lib.sh).
run() { strace_run "$@"; }

. "${srcdir:-.}/tests/oracle-lib.sh"

# The groups: strace's classes on the same run.
for gc in file:file net:network process:process; do
	g=${gc%%:*}
	TMP=$BASE/$g
	mkdir "$TMP"
	KOPTS="--syscalls $g" SOPTS="-e trace=%${gc#*:}" COPTS=--filtered
	oracle_pipe
	mkdir "$TMP/net"
	head -c 100000 /dev/urandom > "$TMP/net/data.bin"
	run net sh "${srcdir:-.}/tests/oracle-http-fetch.sh" "$TMP/net"
	eq "$g: meta capture_syscalls" "$(meta "$TMP/net.kscope" capture_syscalls)" "$g"
done
# Only the group's calls are there at all (strace's own too).
eq "process: no read recorded" \
	"$(q "$BASE/process/pipe.kscope" "SELECT count(*) FROM syscalls WHERE name='read'")" 0

# Durations and failures: two slow sleeps and their waits, a failing ls,
# fast calls.  strace -T times the same calls.
TMP=$BASE/slow
mkdir "$TMP"
cat > "$TMP/slow.sh" <<'SCRIPT'
sleep 0.3
ls /no-such-file-here 2>/dev/null
cat /etc/hostname >/dev/null
sleep 0.3
SCRIPT
KOPTS="--slower-than 150ms" SOPTS=-T COPTS="--slower-than 150000000"
run slow sh "$TMP/slow.sh"
eq "slow: meta capture_slower_than_ns" "$(meta "$TMP/slow.kscope" capture_slower_than_ns)" 150000000
eq "slow: meta capture_errors" "$(meta "$TMP/slow.kscope" capture_errors)" all
ge "slow: the sleeps are there" \
	"$(q "$TMP/slow.kscope" "SELECT count(*) FROM syscalls WHERE name='clock_nanosleep' AND dur >= 300000000")" 2
ge "slow: failed calls are there" \
	"$(q "$TMP/slow.kscope" "SELECT count(*) FROM syscalls WHERE ret < 0 AND ret >= -4095 AND dur < 150000000")" 1
KOPTS="--slower-than 150ms --no-errors" COPTS="--slower-than 150000000 --no-errors"
run slow-noerr sh "$TMP/slow.sh"
eq "slow-noerr: every call took 150 ms at least" \
	"$(q "$TMP/slow-noerr.kscope" "SELECT count(*) FROM syscalls WHERE dur < 150000000 AND NOT flags & 1")" 0
eq "slow-noerr: meta capture_errors" "$(meta "$TMP/slow-noerr.kscope" capture_errors)" none
KOPTS="--errors-only" COPTS="--errors-only"
run errors sh "$TMP/slow.sh"
eq "errors: every call failed" \
	"$(q "$TMP/errors.kscope" "SELECT count(*) FROM syscalls WHERE NOT (ret < 0 AND ret >= -4095)")" 0
eq "errors: meta capture_errors" "$(meta "$TMP/errors.kscope" capture_errors)" only

# fd_name with only reads recorded: the shell opens A as fd 3, reads it
# through fd 0 (dup2, fcntl F_DUPFD to save stdin, close), closes it,
# opens B as fd 3 again and reads it the same way.
TMP=$BASE/fd
mkdir "$TMP"
echo one > "$TMP/file-a"
echo two > "$TMP/file-b"
KOPTS="--syscalls read" SOPTS="-yy -e trace=read" COPTS="--filtered --fd-strict"
run fd sh -c 'exec 3<"$1"; read -r x <&3; exec 3<&-; exec 3<"$2"; read -r y <&3; exec 3<&-' sh \
	"$TMP/file-a" "$TMP/file-b"
eq "fd: reads of file-a named so" \
	"$(q "$TMP/fd.kscope" "SELECT count(*) FROM syscalls WHERE name='read' AND fd_name='$TMP/file-a'")" 4
eq "fd: reads of file-b named so" \
	"$(q "$TMP/fd.kscope" "SELECT count(*) FROM syscalls WHERE name='read' AND fd_name='$TMP/file-b'")" 4
eq "fd: only reads stored" \
	"$(q "$TMP/fd.kscope" "SELECT count(*) FROM syscalls WHERE name != 'read'")" 0

# --comm, system-wide: a process with the name from the start, one that
# takes it by exec, a shell that takes it by a rename (and its child),
# and others that never have it.
TMP=$BASE/comm
mkdir "$TMP"
cp "$(command -v sleep)" "$TMP/kscfilt-$$"
name=kscfilt-$$
"$TMP/$name" 30 &
early=$!
sleep 30 &
other=$!
"$KSCOPE" record -o "$TMP/comm.kscope" --comm "$name" 2>"$TMP/comm.err" &
rec=$!
wait_for "the recorder" ready "$TMP/comm.err"
"$TMP/$name" 0.01 &
byexec=$!
sh -c 'printf %s "$1" > /proc/$$/comm; cat /etc/hostname > /dev/null; sleep 0.01' sh "$name" &
byrename=$!
cat /etc/hostname > /dev/null &
never=$!
wait $byexec $byrename $never
kill $early $other
wait $early $other 2>/dev/null
kill -INT $rec
wait_exit $rec
eq "comm: recorded" "$rc" 0
pids() {
	q "$TMP/comm.kscope" "SELECT DISTINCT pid FROM syscalls ORDER BY pid" | tr '\n' ' '
}
got=$(pids)
for p in $early $byexec $byrename; do
	check "comm: pid $p is recorded ($got)" expr " $got" : ".* $p " >/dev/null
done
for p in $other $never; do
	check "comm: pid $p is not ($got)" test -z "$(expr " $got" : ".* \($p\) ")"
done
ge "comm: the renamed shell's child is recorded" \
	"$(q "$TMP/comm.kscope" "SELECT count(DISTINCT pid) FROM processes WHERE ppid=$byrename")" 1
eq "comm: every process recorded has the name or a parent that has it" \
	"$(q "$TMP/comm.kscope" "SELECT count(*) FROM (SELECT DISTINCT s.pid FROM syscalls s JOIN processes p ON p.pid = s.pid WHERE p.comm != '$name' AND p.ppid NOT IN (SELECT pid FROM processes WHERE comm = '$name'))")" 0
eq "comm: meta capture_comm" "$(meta "$TMP/comm.kscope" capture_comm)" "$name"

# --comm within CMD: only CMD's processes with the name.
"$TMP/$name" 30 &
outside=$!
"$KSCOPE" record -q -o "$TMP/tree.kscope" --comm "$name" -- \
	sh -c 'cat /etc/hostname > /dev/null; "$1" 0.01; cat /etc/hostname > /dev/null' sh "$TMP/$name"
eq "tree: CMD's status" "$?" 0
kill $outside
wait $outside 2>/dev/null
eq "tree: one process recorded, the one named" \
	"$(q "$TMP/tree.kscope" "SELECT count(DISTINCT s.pid) || ' ' || min(p.comm) FROM syscalls s JOIN processes p ON p.pid = s.pid")" "1 $name"
eq "tree: not the one outside CMD" \
	"$(q "$TMP/tree.kscope" "SELECT count(*) FROM syscalls WHERE pid=$outside")" 0
TMP=$BASE
finish
