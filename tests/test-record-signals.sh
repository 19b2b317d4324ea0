#!/bin/sh
# test-record-signals.sh - signals: a child killed with SIGKILL by its
# sibling (the generate row names the sibling as sender and the child as
# target; `report procs` says who killed it), and a handled SIGUSR1 (one
# generate and one deliver row per signal, counted against the workload's
# own count and, when strace is installed, strace's).  The oracle is the
# workload (tests/sigwork): the pids it forked and the wait status it saw.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
SIGWORK=${SIGWORK:-tests/sigwork}

# ---- a child killed by its sibling --------------------------------------
T=$TMP/kill.kscope
"$KSCOPE" record -q -o "$T" -- "$SIGWORK" kill-sibling >"$TMP/kill.out" \
	2>"$TMP/kill.err"
eq "kill-sibling: recorded" "$?" 0
victim=$(kv "$TMP/kill.out" victim)
killer=$(kv "$TMP/kill.out" killer)
eq "kill-sibling: the parent saw its child killed by SIGKILL" \
	"$(kv "$TMP/kill.out" victim_status)" "signal:9"
eq "kill-sibling: generate row: sender the sibling, target the child" \
	"$(q "$T" "SELECT sender_pid, sender_tid, sender_comm, target_pid,
		   target_tid, target_comm, code, result FROM signals
		   WHERE kind = 'generate' AND sig = 9")" \
	"$killer,$killer,sw-killer,$victim,$victim,sw-victim,0,0"
eq "kill-sibling: the child took it (deliver, target the child)" \
	"$(q "$T" "SELECT count(*) FROM signals WHERE kind = 'deliver'
		   AND sig = 9 AND target_pid = $victim")" 1
eq "kill-sibling: no OOM kill" \
	"$(q "$T" "SELECT count(*) FROM signals WHERE kind = 'oom_kill'")" 0
eq "kill-sibling: the child's exit says SIGKILL" \
	"$(q "$T" "SELECT exit_signal FROM processes WHERE pid = $victim")" 9
"$KSCOPE" report "$T" procs >"$TMP/procs.txt" 2>&1
check "report procs: killed by SIGKILL from the sibling" \
	grep -q "^[0-9:.]* *$victim  *sw-victim .*SIGKILL from $killer (sw-killer)\$" \
	"$TMP/procs.txt"
"$KSCOPE" report "$T" procs --format csv 2>&1 | tr -d '\r' >"$TMP/procs.csv"
check "report procs (CSV): a killed_by column" \
	grep -q "^end_ts,pid,comm,exit_code,signal,lifetime_ns,argv,killed_by" \
	"$TMP/procs.csv"
check "report procs (CSV): killed_by of the child" \
	grep -q "^[0-9]*,$victim,sw-victim,.*,SIGKILL from $killer (sw-killer)\$" \
	"$TMP/procs.csv"

# ---- a handled SIGUSR1, N times -----------------------------------------
n=5
T=$TMP/usr1.kscope
if command -v strace >/dev/null 2>&1; then
	# strace reports each signal its tracee takes: an independent count
	# (a sanitizer build's leak check cannot run under ptrace: off for it)
	set -- strace -f -qq \
		-E "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		-e trace=none -e signal=SIGUSR1 -o "$TMP/strace.out"
else
	echo "note: no strace, the workload's own count only"
	set --
fi
"$KSCOPE" record -q -o "$T" -- "$@" "$SIGWORK" usr1 $n >"$TMP/usr1.out" \
	2>"$TMP/usr1.err"
eq "usr1: recorded" "$?" 0
parent=$(kv "$TMP/usr1.out" pid)
child=$(kv "$TMP/usr1.out" usr1_child)
eq "usr1: the child handled every signal" \
	"$(kv "$TMP/usr1.out" usr1_handled)" "$n"
eq "usr1: generate rows, parent to child, delivered" \
	"$(q "$T" "SELECT count(*) FROM signals WHERE kind = 'generate'
		   AND sig = 10 AND sender_pid = $parent AND sender_tid = $parent
		   AND target_pid = $child AND code = 0 AND result = 0")" "$n"
eq "usr1: deliver rows in the child, sender from the siginfo" \
	"$(q "$T" "SELECT count(*) FROM signals WHERE kind = 'deliver'
		   AND sig = 10 AND target_pid = $child AND target_tid = $child
		   AND target_comm = 'sw-usr1' AND sender_pid = $parent
		   AND code = 0")" "$n"
eq "usr1: no other SIGUSR1 rows" \
	"$(q "$T" "SELECT count(*) FROM signals WHERE sig = 10")" $((2 * n))
if [ -s "$TMP/strace.out" ]; then
	eq "usr1: strace saw as many SIGUSR1 taken by the child" \
		"$(grep -c "^$child  *--- SIGUSR1 {.*si_pid=$parent," "$TMP/strace.out")" \
		"$(q "$T" "SELECT count(*) FROM signals WHERE kind = 'deliver'
			   AND sig = 10 AND target_pid = $child")"
fi
finish
