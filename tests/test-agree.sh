#!/bin/sh
# test-agree.sh - the TUI and the reports show the same figures: every
# part of tests/agree.py (`agree.py --parts`: cpu, and the others as they
# come) compares `kscope tui --print VIEW -F json` with `kscope report
# NAME -F json` over each trace below, figure by figure.
#
# Traces: planted ones whose facts are known (tests/synth_sleeper.h: a
# thread asleep 1.79 s across hundreds of the TUI's slices, one preempted
# for 5 ms; tests/synth_halfseen.h: a `-- make` recording that sees some
# tasks only half, with a hole of lost sched events; tests/synth_reuse.h:
# tids that exit and come back in other processes, the threads table's
# rows not in the order of the lives), a random synthetic one cut into
# many small chunks, and, with root and BPF, two live
# recordings: `-- sh -c 'sleep; workload --spin'` (a script asleep for
# most of the trace, threads preempting each other) and the whole system
# for a second (-a).  Without root or BPF the live traces are skipped
# with the reason, and the planted and synthetic ones still run.
#
# The planted facts are checked against the reports too, so that the two
# cannot agree on a wrong figure.  tests/synth_counts.h plants the counts'
# facts (a call still running, one that never returns, a path that could
# not be read, TCP bytes) among synthetic calls.
set -u
srcdir=${srcdir:-.}
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
WORKLOAD=${WORKLOAD:-tests/workload}
AGREE="$srcdir/tests/agree.py"
failures=0

[ -x "$KSCOPE" ] || { echo "SKIP: $KSCOPE not built"; exit 77; }
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test-agree.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT

fail() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

# ---- traces --------------------------------------------------------------

TRACES=
"$SYNTH" -o "$TMP/sleeper.kscope" --planted sleeper >/dev/null &&
	TRACES="$TRACES $TMP/sleeper.kscope" || fail "writing the sleeper trace"
"$SYNTH" -o "$TMP/halfseen.kscope" --planted halfseen >/dev/null &&
	TRACES="$TRACES $TMP/halfseen.kscope" || fail "writing the halfseen trace"
"$SYNTH" -o "$TMP/reuse.kscope" --planted reuse >/dev/null &&
	TRACES="$TRACES $TMP/reuse.kscope" || fail "writing the reuse trace"
"$SYNTH" -o "$TMP/causes.kscope" --planted causes >/dev/null &&
	TRACES="$TRACES $TMP/causes.kscope" || fail "writing the causes trace"
"$SYNTH" -o "$TMP/synth.kscope" -n 40000 --chunk 700 --seed 11 >/dev/null &&
	TRACES="$TRACES $TMP/synth.kscope" || fail "writing the synthetic trace"

# live recordings: root and a kernel that loads the programs
live_skip=
if [ "$(id -u)" -ne 0 ]; then
	live_skip="live recording needs root"
elif [ ! -r /sys/kernel/btf/vmlinux ]; then
	live_skip="kernel has no BTF (/sys/kernel/btf/vmlinux)"
elif [ ! -x "$WORKLOAD" ]; then
	live_skip="no $WORKLOAD"
elif ! "$KSCOPE" record -q -f -e proc -d 0.1 -o "$TMP/probe.kscope" \
	>"$TMP/probe.out" 2>&1; then
	live_skip="cannot load eBPF here: $(head -n1 "$TMP/probe.out")"
fi
if [ -n "$live_skip" ]; then
	echo "SKIP live traces: $live_skip"
else
	if "$KSCOPE" record -q -o "$TMP/script.kscope" -- sh -c \
		"sleep 1.2; $WORKLOAD --spin 3 300" >"$TMP/script.out" 2>&1; then
		TRACES="$TRACES $TMP/script.kscope"
	else
		fail "recording a script: $(head -n3 "$TMP/script.out")"
	fi
	if "$KSCOPE" record -q -a -d 1 -o "$TMP/all.kscope" \
		>"$TMP/all.out" 2>&1; then
		TRACES="$TRACES $TMP/all.kscope"
		# every thread that made a call has its process in the
		# threads table (one born between the /proc snapshot and
		# the attach too), so that no side has to guess it
		n=$("$KSCOPE" query "$TMP/all.kscope" -F csv "SELECT
			count(DISTINCT tid) FROM syscalls WHERE tid NOT IN
			(SELECT tid FROM threads)" | tail -n 1 | tr -d "\r")
		if [ "$n" = 0 ]; then
			echo "ok   -a: every calling thread has a threads row"
		else
			fail "-a: $n calling threads have no threads row"
		fi
	else
		fail "recording the system: $(head -n3 "$TMP/all.out")"
	fi
fi

# ---- planted facts, against the reports ----------------------------------

# value TRACE REPORT TABLE KEY ID COLUMN: one figure of a report's JSON,
# of the first row whose KEY is ID (KEY "k1,k2" and ID "i1,i2": both)
value() {
	"$KSCOPE" report "$1" "$2" -F json -n 1000000 | python3 -c '
import json, sys
rows = json.load(sys.stdin)["tables"][sys.argv[1]]
keys = sys.argv[2].split(",")
ids = sys.argv[3].split(",", len(keys) - 1)
print(next((r[sys.argv[4]] for r in rows
            if all(str(r[k]) == i for k, i in zip(keys, ids))), "none"))
' "$3" "$4" "$5" "$6"
}

# planted TRACE REPORT TABLE KEY ID COLUMN WANT
planted() {
	got=$(value "$1" "$2" "$3" "$4" "$5" "$6")
	if [ "$got" = "$7" ]; then
		echo "ok   planted: $2 $4 $5 $6 = $7"
	else
		fail "planted: $2 $4 $5 $6 = $got, want $7"
	fi
}

# tui_planted TRACE VIEW KEY ID COLUMN WANT: a figure of `tui --print VIEW`
# (the row whose KEY is ID)
tui_planted() {
	got=$("$KSCOPE" tui --print "$2" -F json "$1" | python3 -c '
import json, sys
sys.stdin.readline()
rows = json.load(sys.stdin)
print(next((r[sys.argv[3]] for r in rows if str(r[sys.argv[1]]) == sys.argv[2]), "none"))
' "$3" "$4" "$5")
	if [ "$got" = "$6" ]; then
		echo "ok   planted: tui $2 $3 $4 $5 = $6"
	else
		fail "planted: tui $2 $3 $4 $5 = $got, want $6"
	fi
}

S=$TMP/sleeper.kscope
planted "$S" offcpu by_thread tid 1000 offcpu_ns 1790000000
planted "$S" offcpu by_thread tid 1000 sleeping_ns 1790000000
planted "$S" cpu by_thread tid 1000 oncpu_ns 20000000
planted "$S" offcpu by_thread tid 2000 preempted_ns 5000000
planted "$S" offcpu by_thread tid 2000 offcpu_ns 5000000
planted "$S" cpu by_thread tid 2000 oncpu_ns 195000000
planted "$S" cpu by_thread tid 2500 oncpu_ns 5000000
H=$TMP/halfseen.kscope
planted "$H" cpu by_thread tid 100 oncpu_ns 30000000
planted "$H" cpu by_thread tid 200 oncpu_ns 20000000
planted "$H" cpu by_thread tid 400 oncpu_ns 55000000
# a reused tid: a row per life (a threads row), each life's time to its
# own process.  Process 700 gets its main thread's 60 ms and the 20 and
# 18 ms of the first lives of its threads 710 and 720; 800 its own 18 ms
# and 710's second life's 25; 720 the 15 ms of its main thread (720's
# second life).  The gap between a life's dead switch-out and the next
# life's switch-in is off-CPU time of neither.
R=$TMP/reuse.kscope
planted "$R" cpu by_thread tid,pid 710,700 oncpu_ns 20000000
planted "$R" cpu by_thread tid,pid 710,800 oncpu_ns 25000000
planted "$R" cpu by_thread tid,pid 720,700 oncpu_ns 18000000
planted "$R" cpu by_thread tid,pid 720,720 oncpu_ns 15000000
planted "$R" offcpu by_thread tid,pid 710,700 offcpu_ns 10000000
planted "$R" offcpu by_thread tid,pid 710,700 sleeping_ns 10000000
planted "$R" offcpu by_thread tid,pid 710,800 offcpu_ns 15000000
planted "$R" offcpu by_thread tid,pid 710,800 preempted_ns 15000000
planted "$R" offcpu by_thread tid,pid 720,700 sleeping_ns 5000000
planted "$R" offcpu by_thread tid,pid 720,720 sleeping_ns 10000000
planted "$R" cpu by_process pid 700 oncpu_ns 98000000
planted "$R" cpu by_process pid 700 threads 3
planted "$R" cpu by_process pid 800 oncpu_ns 43000000
planted "$R" cpu by_process pid 720 oncpu_ns 15000000
# thread 730 has no threads row: its time is of no process known, though
# its call's pid says 700 (a process of its own in the TUI)
planted "$R" cpu by_thread tid 730 oncpu_ns 7000000
planted "$R" cpu by_thread tid 730 pid None
tui_planted "$R" procs pid 730 cpu 7000000
tui_planted "$R" procs pid 700 cpu 98000000

# tests/synth_causes.h: on cpu 0 runq (61060) waits 50 ms for the CPU
# after a preemption and 20 after a wakeup, runq-b (61061) 10 and 5 ms,
# each while the other runs (the summary's runnable time as well); a
# SIGKILL from killer (61011) kills sleep (61012), the OOM killer kills
# hog (61020) in /kscope-test/oom; reader's threads are in read and futex
# at the end, since 100 ms and 2000 ms of the 3 s trace.
Z=$TMP/causes.kscope
planted "$Z" runqlat longest_waits tid 61060 total_ns 70000000
planted "$Z" runqlat longest_waits tid 61061 total_ns 15000000
planted "$Z" summary unfinished tid 61031 running_ns 2900000000
tui_planted "$Z" runq tid 61060 total 70000000
tui_planted "$Z" runq tid 61061 max 10000000
tui_planted "$Z" runqlat figure waits value 4
tui_planted "$Z" instead tid 61060 time 70000000
tui_planted "$Z" instead tid 61061 ran_comm runq
tui_planted "$Z" signals time 3000400000000 sender "killer[61011]"
tui_planted "$Z" signals time 3000500010000 result "memcg /kscope-test/oom"
tui_planted "$Z" overview figure "unfinished tid 61031 read pipe:[4242]" value \
	2900000000

# ---- counts: planted facts (tests/synth_counts.h) ------------------------

# pid 60001 among 20000 synthetic calls: a read still running at the end,
# an exit_group that never returns, an open whose path could not be read,
# TCP bytes.  The reports and the TUI must both find the planted figures.
PLANT=${PLANT:-tests/plant-counts}
C=$TMP/counts.kscope
if "$PLANT" "$C" 20000; then
	TRACES="$TRACES $C"
	planted "$C" procs activity pid 60001 syscalls 9
	planted "$C" procs activity pid 60001 errors 2
	planted "$C" procs activity pid 60001 syscall_ns 8200
	planted "$C" procs activity pid 60001 net_bytes 1500
	planted "$C" summary busiest_processes pid 60001 calls 9
	planted "$C" files by_path path "(unreadable)" calls 1
	planted "$C" files by_path path "(unreadable)" time_ns 900
	planted "$C" files by_path path /planted/cnt/a calls 3
	planted "$C" files by_path path /planted/cnt/a errors 1
	planted "$C" files by_path path /planted/cnt/a time_ns 1300
	# the TUI's rows of the same facts
	tui_planted "$C" procs pid 60001 syscalls 9
	tui_planted "$C" procs pid 60001 in-sys 8200
	tui_planted "$C" procs pid 60001 net 1500
	tui_planted "$C" files path "(unreadable)" time 900
	tui_planted "$C" files path /planted/cnt/a calls 3
else
	fail "writing the planted counts trace"
fi

# ---- conn: connections on their own traces ---------------------------------

# Planted connections (tests/synth-conns.c): a socket reused for a second
# connection, a local port reused by another socket, a listener, an
# accepted connection, a refused connect.
if tests/synth-conns "$TMP/conns.kscope"; then
	python3 "$AGREE" "$KSCOPE" conn "$TMP/conns.kscope" ||
		fail "conn: planted connections: the TUI and report net differ"
else
	fail "writing the planted connections"
fi

# A real local TCP server (tests/net-server.py) and a client connecting to
# it four times, one after the other, recorded with -- CMD: the ports and
# bytes are the programs' own (the server prints them).
if [ -n "$live_skip" ]; then
	echo "SKIP live connections: $live_skip"
elif "$KSCOPE" record -q -e net,proc,syscall -o "$TMP/served.kscope" -- \
	sh -c '
		python3 "$1" 127.0.0.1 0 4 3000 >"$2" &
		srv=$!
		until grep -q "^ready " "$2"; do
			kill -0 $srv || exit 1
			sleep 0.05
		done
		port=$(sed -n "s/^ready port=\([0-9]*\) .*/\1/p" "$2")
		python3 -c "
import socket, sys
for _ in range(4):
    s = socket.create_connection((\"127.0.0.1\", int(sys.argv[1])))
    s.sendall(b\"GET / HTTP/1.0\\r\\n\\r\\n\")
    while s.recv(65536):
        pass
    s.close()
" "$port"
		wait $srv' sh "$srcdir/tests/net-server.py" "$TMP/served" \
	>"$TMP/served.out" 2>&1; then
	python3 "$AGREE" "$KSCOPE" conn "$TMP/served.kscope" "$TMP/served" ||
		fail "conn: a local server and client: the TUI, report net and the server differ"
else
	fail "recording a local server and client: $(head -n3 "$TMP/served.out")"
fi

# ---- every part over every trace -------------------------------------------

for part in $(python3 "$AGREE" --parts); do
	for t in $TRACES; do
		echo "# $part: $(basename "$t")"
		python3 "$AGREE" "$KSCOPE" "$part" "$t" ||
			fail "$part: $(basename "$t"): the TUI and the reports differ"
	done
done

[ "$failures" -eq 0 ] || { echo "$failures failed"; exit 1; }
echo "all agree"
