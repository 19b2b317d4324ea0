#!/bin/sh
# test-record-faults.sh - faults the recorder survives: SIGKILL at random
# moments, and a traced command that exits at once, never starts, or forks
# thousands of short-lived children.  docs/RECORD.md ("Faults") says what
# each must give; a full disk and an event flood have their own tests
# (test-record-diskfull.sh, test-record-flood.sh).
. "${srcdir:-.}/tests/record-lib.sh"
record_require

load=
pids=
trap 'kill $load $pids 2>/dev/null; rm -rf "$TMP"' EXIT

# --- 1. SIGKILL at 20 moments (a fixed seeded sequence, so it repeats) ----
# Small load for the recorder to see: bursts of the syscall loop.
( while :; do "$WORKLOAD" --loop 20000; sleep 0.05; done ) >/dev/null 2>&1 &
load=$!
seed=${KSCOPE_FAULT_SEED:-7}
delays=$(awk -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < 20; i++) printf "%.2f\n", 0.05 + rand() * 2.45 }')
echo "SIGKILL delays (seed $seed): $(echo $delays)"
i=0
nofile=0
empty=0
withev=0
bad=0
for d in $delays; do
	i=$((i + 1))
	t=$TMP/kill$i.kscope
	"$KSCOPE" record -q -a -o "$t" 2>"$TMP/kill.err" &
	rec=$!
	sleep "$d"
	kill -KILL $rec
	wait $rec 2>/dev/null
	if [ ! -e "$t" ]; then
		# Killed before the trace was created: no file, and no
		# stray -wal or -shm either.
		if [ -e "$t-wal" ] || [ -e "$t-shm" ]; then
			echo "FAIL kill $i after ${d}s: no trace but a -wal/-shm"
			bad=$((bad + 1))
		fi
		nofile=$((nofile + 1))
		continue
	fi
	if ! "$KSCOPE" info "$t" >"$TMP/kill.info" 2>&1; then
		echo "FAIL kill $i after ${d}s: info: $(head -n1 "$TMP/kill.info")"
		bad=$((bad + 1))
		continue
	fi
	if ! n=$(chunks_read_back "$t"); then
		echo "FAIL kill $i after ${d}s: committed chunks do not read back"
		bad=$((bad + 1))
		continue
	fi
	if [ "$n" -eq 0 ]; then
		empty=$((empty + 1))
	else
		withev=$((withev + 1))
	fi
	echo "  kill $i after ${d}s: $n events committed"
	rm -f "$t" "$t-wal" "$t-shm"
done
# And 3 kills the moment the file appears: the trace's creation (schema,
# WAL mode) must be all or nothing.
for i in 1 2 3; do
	t=$TMP/born$i.kscope
	"$KSCOPE" record -q -a -o "$t" 2>/dev/null &
	rec=$!
	while [ ! -e "$t" ] && kill -0 $rec 2>/dev/null; do :; done
	kill -KILL $rec
	wait $rec 2>/dev/null
	if ! "$KSCOPE" info "$t" >"$TMP/kill.info" 2>&1 ||
	   ! chunks_read_back "$t" >/dev/null; then
		echo "FAIL kill $i as the file appeared: $(head -n1 "$TMP/kill.info")"
		bad=$((bad + 1))
	fi
	rm -f "$t" "$t-wal" "$t-shm" "$t-journal"
done
# And 3 kills once the live trace shows committed events (how many
# moments above fall after the first commit depends on how long the
# recorder takes to start; on a loaded machine all may fall before it):
# every event seen committed before the kill must read back after it.
for k in 1 2 3; do
	t=$TMP/late$k.kscope
	"$KSCOPE" record -q -a -o "$t" 2>/dev/null &
	rec=$!
	sql="SELECT coalesce(sum(count), 0) FROM chunks"
	wait_rows "$t" "$sql" || { kill -KILL $rec; wait $rec; break; }
	seen=$(q "$t" "$sql")
	kill -KILL $rec
	wait $rec 2>/dev/null
	if n=$(chunks_read_back "$t") && [ "$n" -ge "$seen" ]; then
		withev=$((withev + 1))
		echo "  late kill $k after $seen events were committed: $n read back"
	else
		echo "FAIL late kill $k after $seen events were committed:" \
			"'${n:-}' read back"
		bad=$((bad + 1))
	fi
	rm -f "$t" "$t-wal" "$t-shm"
done
kill $load 2>/dev/null
wait $load 2>/dev/null
load=
echo "SIGKILL outcomes: $withev with events, $empty empty traces, $nofile no file"
eq "SIGKILL: every trace left opens and reads back" "$bad" 0
ge "SIGKILL: traces with committed events" "$withev" 3

# --- 2. The traced command: exits at once, never starts, forks 2000 -------
"$KSCOPE" record -q -o "$TMP/true.kscope" -- /bin/true 2>"$TMP/true.err"
eq "/bin/true: exit 0" "$?" 0
"$KSCOPE" info "$TMP/true.kscope" >/dev/null 2>&1
eq "/bin/true: info opens the trace" "$?" 0
tp=$(q "$TMP/true.kscope" "SELECT pid FROM proc_events WHERE kind='exec' AND filename='/bin/true'")
check "/bin/true: its exec is there" test -n "$tp"
eq "/bin/true: its exit (code 0) is there" \
	"$(q "$TMP/true.kscope" "SELECT exit_code FROM proc_events WHERE kind='exit' AND pid=${tp:-0} AND tid=${tp:-0}")" 0

"$KSCOPE" record -q -o "$TMP/none.kscope" -- /nonexistent/cmd \
	>"$TMP/none.out" 2>"$TMP/none.err"
eq "/nonexistent/cmd: exit 127 (not found)" "$?" 127
eq "/nonexistent/cmd: one line on stderr" "$(wc -l <"$TMP/none.err")" 1
check "/nonexistent/cmd: the line names the command" \
	grep -q "cannot run '/nonexistent/cmd': No such file or directory" "$TMP/none.err"
check "/nonexistent/cmd: no trace left" test ! -e "$TMP/none.kscope"
"$KSCOPE" record -q -o "$TMP/none.kscope" -- "$TMP" 2>"$TMP/none.err"
eq "a directory as CMD: exit 126 (cannot run)" "$?" 126
check "a directory as CMD: no trace left" test ! -e "$TMP/none.kscope"

n=2000
"$KSCOPE" record -q -o "$TMP/forks.kscope" -- "$WORKLOAD" --forks $n \
	>"$TMP/forks.out" 2>"$TMP/forks.err"
eq "forks: record exits 0" "$?" 0
cat "$TMP/forks.out"
f=$TMP/forks.kscope
wp=$(kv "$TMP/forks.out" pid)
lost=$(meta "$f" lost_proc)
# The workload's children, up to its last one (a sanitizer runtime may
# fork a helper of its own at exit).
kids="SELECT child_pid FROM proc_events WHERE kind='fork' AND pid=$wp AND tid=$wp AND ts <= (SELECT ts FROM proc_events WHERE kind='fork' AND child_pid=$(kv "$TMP/forks.out" last_child))"
got=$(q "$f" "SELECT count(*) || ' ' || sum(child_pid) FROM ($kids)")
exits=$(q "$f" "SELECT count(*) || ' ' || sum(exit_code) FROM proc_events WHERE kind='exit' AND pid IN ($kids)")
rows=$(q "$f" "SELECT count(*) || ' ' || sum(exit_code) FROM processes WHERE ppid=$wp AND end_ts IS NOT NULL AND pid IN ($kids)")
if [ "$lost" = 0 ]; then
	eq "forks: every fork, with the children's pids" "$got" \
		"$n $(kv "$TMP/forks.out" child_sum)"
	eq "forks: every child's exit, with its code" "$exits" \
		"$n $(kv "$TMP/forks.out" exit_sum)"
else
	echo "note: $lost proc events lost (machine busy); checking the sum"
	check "forks: recorded + lost covers the forks and exits (${got%% *} + ${exits%% *} + $lost)" \
		test $((${got%% *} + ${exits%% *} + lost)) -ge $((2 * n))
fi
eq "forks: a processes row per child, with its exit" "$rows" "$exits"
chunks_read_back "$f" >/dev/null
eq "forks: chunks read back" "$?" 0
finish
