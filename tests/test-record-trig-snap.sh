#!/bin/sh
# test-record-trig-snap.sh - snapshots of a --ring recording: SIGUSR1 and
# `kscope record --snapshot PID` each write the ring as a complete trace
# beside the recording (mode 0600, opening with info, query, report,
# replay and tui --print; meta snapshot_of, its own start_ts and end_ts),
# and the recording goes on: its final trace holds events from after the
# snapshots.  --snapshot refuses, in one line, a pid that is not a
# recorder, and a recorder without --ring (which SIGUSR1 does not stop).
. "${srcdir:-.}/tests/record-lib.sh"
record_require

"$WORKLOAD" --loop 100000000 &
load=$!
trap 'kill $load $rec $par 2>/dev/null; rm -rf "$TMP"' EXIT
out=$TMP/ring.kscope

"$KSCOPE" record -a -e syscall,sched,proc --max-size 64M --ring -o "$out" \
	2>"$TMP/rec.err" &
rec=$!
wait_rows "$out" "SELECT count(*) FROM syscalls WHERE pid=$load" 1000

# snapshot_line N: the recorder said where its Nth snapshot is.
snapshot_line() {
	[ "$(grep -c "^kscope: record: snapshot '" "$TMP/rec.err")" -ge "$1" ]
}

kill -USR1 $rec
wait_for "the recorder's first snapshot line" snapshot_line 1
snap1=$(sed -n "s/^kscope: record: snapshot '\([^']*\)'.*/\1/p" "$TMP/rec.err" | head -n1)
eq "SIGUSR1: the snapshot's name" "$snap1" "$TMP/ring.snap-1.kscope"
check "SIGUSR1: the snapshot exists" test -f "$snap1"
eq "SIGUSR1: mode 0600" "$(stat -c %a "$snap1")" 600
check "SIGUSR1: no -wal or -shm beside the snapshot" \
	test ! -e "$snap1-wal" -a ! -e "$snap1-shm"
check "SIGUSR1: the recorder still runs" kill -0 $rec
eq "snapshot: snapshot_of" "$(meta "$snap1" snapshot_of)" "$out"
ge "snapshot: events of the load" \
	"$(q "$snap1" "SELECT count(*) FROM syscalls WHERE pid=$load")" 1000
s_end=$(meta "$snap1" end_ts)
s_start=$(meta "$snap1" start_ts)
check "snapshot: start_ts before end_ts" test "$s_start" -lt "$s_end"
eq "snapshot: no event after its end_ts" \
	"$(q "$snap1" "SELECT count(*) FROM syscalls WHERE ts > $s_end")" 0
ge "snapshot: every chunk reads back" "$(chunks_read_back "$snap1")" 1
eq "snapshot: every syscall's process is in processes" \
	"$(q "$snap1" "SELECT count(*) FROM syscalls WHERE pid=$load AND pid NOT IN (SELECT pid FROM processes)")" 0
eq "snapshot: every switch's stack is in stacks" \
	"$(q "$snap1" "SELECT count(*) FROM sched_switch WHERE stack_id IS NOT NULL AND stack_id != 0 AND stack_id NOT IN (SELECT stack_id FROM stacks)")" 0
for c in "info" "report" "replay" "tui --print overview"; do
	check "snapshot: kscope $c opens it" \
		sh -c "\"$KSCOPE\" $c \"$snap1\" >/dev/null 2>\"$TMP/cmd.err\""
done
check "snapshot: verify finds no problem" "$KSCOPE" verify "$snap1"
check "snapshot: info does not call it being recorded" \
	sh -c "! \"$KSCOPE\" info \"$snap1\" | grep -q 'being recorded'"
check "after a snapshot, info still sees the recording" \
	sh -c "\"$KSCOPE\" info \"$out\" | grep -q 'being recorded by pid $rec'"

# --snapshot PID: the file name on stdout once it is written.
"$KSCOPE" record --snapshot $rec >"$TMP/snap.out" 2>"$TMP/snap.err"
eq "--snapshot: exit 0" "$?" 0
snap2=$(cat "$TMP/snap.out")
eq "--snapshot: prints the second snapshot's name" "$snap2" \
	"$(readlink -f "$TMP")/ring.snap-2.kscope"
check "--snapshot: the file is there when it returns" test -f "$snap2"
ge "--snapshot: events of the load" \
	"$(q "$snap2" "SELECT count(*) FROM syscalls WHERE pid=$load")" 1000
s2_end=$(meta "$snap2" end_ts)
check "--snapshot: ends after the first snapshot" test "$s2_end" -gt "$s_end"

# The recording went on: events after the snapshots, and nothing lost
# beyond what the lost table counts.
wait_rows "$out" "SELECT count(*) FROM syscalls WHERE pid=$load AND ts > $s2_end" 1000

# SIGUSR1 while a snapshot is being copied, then SIGINT: the recorder
# waits for the copy, serves the request that came meanwhile, and exits.
snap3=$TMP/ring.snap-3.kscope
kill -USR1 $rec
until [ -e "$snap3.tmp" ] || [ -e "$snap3" ] || ! kill -0 $rec 2>/dev/null; do
	:
done
kill -USR1 $rec
kill -INT $rec
wait_exit $rec
eq "the recording: exit 0" "$rc" 0
for n in 3 4; do
	check "SIGUSR1, SIGUSR1 during its copy, SIGINT: snapshot $n" \
		"$KSCOPE" verify "$TMP/ring.snap-$n.kscope"
done
check "SIGINT during a copy: no partial copy left" \
	test -z "$(find "$TMP" -name '*.tmp')"
ge "the recording: events of the load after the snapshots" \
	"$(q "$out" "SELECT count(*) FROM syscalls WHERE pid=$load AND ts > $s2_end")" 1000
check "the recording: its snapshots are not in its meta as its own" \
	test -z "$(meta "$out" snapshot_of)"

# Errors, one line each.
"$KSCOPE" record --snapshot $$ >/dev/null 2>"$TMP/e1.err"
check "--snapshot of a shell: fails" test $? -ne 0
check "--snapshot of a shell: one line" test "$(wc -l <"$TMP/e1.err")" -eq 1
check "--snapshot of a shell: not a recorder" \
	grep -q "process $$ is not recording a trace" "$TMP/e1.err"
"$KSCOPE" record -q -a -e proc -o "$TMP/plain.kscope" 2>"$TMP/plain.err" &
rec=$!
wait_for "the plain recorder's first commit" \
	sh -c "\"$KSCOPE\" info \"$TMP/plain.kscope\" 2>/dev/null | grep -q 'being recorded'"
"$KSCOPE" record --snapshot $rec >/dev/null 2>"$TMP/e2.err"
check "--snapshot without --ring: fails" test $? -ne 0
check "--snapshot without --ring: says so" grep -q "without --ring" "$TMP/e2.err"
check "--snapshot without --ring: one line" test "$(wc -l <"$TMP/e2.err")" -eq 1
kill -USR1 $rec
kill -INT $rec
wait_exit $rec
eq "SIGUSR1 without --ring: the recording still ends cleanly" "$rc" 0
check "SIGUSR1 without --ring: no snapshot" test ! -e "$TMP/plain.snap-1.kscope"

# Signals that come as soon as the trace exists, while the recorder still
# sets up (its /proc snapshot, attaching), wait for it: SIGINT is not lost
# (sh starts background jobs with it ignored), SIGUSR1 does not kill it
# (its default), and the recording ends cleanly; a --ring recorder writes
# the snapshot asked for.  Every order, a few times.
for round in 1 2 3; do
	for sigs in INT "USR1 INT" "INT USR1" "ring USR1 INT"; do
		rm -f "$TMP/early".*
		ring=
		case $sigs in
		ring*) ring="--ring --max-size 16M" sigs=${sigs#ring } ;;
		esac
		"$KSCOPE" record -q -a -e proc $ring -o "$TMP/early.kscope" &
		rec=$!
		until [ -e "$TMP/early.kscope" ] || ! kill -0 $rec 2>/dev/null; do
			:
		done
		for s in $sigs; do
			kill -$s $rec
		done
		said="${ring:+--ring, }$sigs as the trace appears (round $round)"
		wait_exit $rec
		eq "$said: exit 0" "$rc" 0
		check "$said: the trace verifies" \
			"$KSCOPE" verify "$TMP/early.kscope"
		[ -z "$ring" ] || check "$said: the snapshot" \
			"$KSCOPE" verify "$TMP/early.snap-1.kscope"
	done
done
"$KSCOPE" record --snapshot 2147483646 >/dev/null 2>"$TMP/e3.err"
check "--snapshot of no process: fails" test $? -ne 0
check "--snapshot of no process: says so" grep -q "no process" "$TMP/e3.err"

# A recorder that exits without answering (the request came after its last
# look) ends its caller's wait, even as a zombie its parent does not reap:
# here it is stopped with the request pending, then killed.  (timeout: a
# bound for the old wait, which only looked with kill(PID, 0).)
sh -c "\"$KSCOPE\" record -q -a -e proc --ring --max-size 16M \
	-o \"$TMP/zomb.kscope\" & echo \$! >\"$TMP/zomb.pid\"; exec sleep 600" &
par=$!
zomb_ready() {
	[ -s "$TMP/zomb.pid" ] &&
	[ "$(meta "$TMP/zomb.kscope" snapshot_signal 2>/dev/null)" = SIGUSR1 ]
}
wait_for "the unreaped recorder's snapshot_signal" zomb_ready
zrec=$(cat "$TMP/zomb.pid")
kill -STOP $zrec
timeout -s KILL 60 "$KSCOPE" record --snapshot $zrec >/dev/null \
	2>"$TMP/z.err" &
caller=$!
usr1_pending() {
	pnd=$(sed -n 's/^ShdPnd:[[:space:]]*//p' /proc/$zrec/status)
	[ -n "$pnd" ] &&
	[ $((0x$pnd & 0x200)) -ne 0 ]
}
wait_for "the request pending at the stopped recorder" usr1_pending
kill -KILL $zrec
wait $caller
eq "--snapshot of a recorder that exits unanswering: exit 1" "$?" 1
check "--snapshot of a recorder that exits unanswering: says so" \
	grep -q "process $zrec exited before the snapshot was written" \
	"$TMP/z.err"
kill $par
wait $par 2>/dev/null
"$KSCOPE" record --snapshot $load -o x >/dev/null 2>"$TMP/e4.err"
check "--snapshot with other options: refused" \
	grep -q "takes no other options" "$TMP/e4.err"
finish
