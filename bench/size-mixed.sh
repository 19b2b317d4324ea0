#!/bin/sh
# size-mixed.sh - trace bytes per system call on a mixed real workload:
# kscope against perf and trace-cmd with their compression, in one run.
#
#     make bench-size                                  (root; build dir)
#     sh bench/size-mixed.sh [-s SYSLOOP] [-p ROUNDTRIPS]
#     KSCOPE_BASE=/path/to/old/kscope sh bench/size-mixed.sh
#
# The workload (one shell script, run once under each tool): a file walk
# (find /usr), tar of /usr/include, grep -r over it, a compile, Python
# start-up (5 times), SQLite (200 transactions), ls -lR /usr/lib, a pipe
# ping-pong (bench/pingpong) and a syscall loop (bench/sysloop).
# Recorded by:
#   kscope       kscope record -- WORKLOAD (all classes, as users run it),
#                then `kscope compact` of a copy (the size it reaches)
#   base         KSCOPE_BASE record (only when KSCOPE_BASE is set)
#   perf -z      perf record -z of the tracepoints kscope uses (raw
#                syscalls, sched, process)
#   trace-cmd    the same tracepoints in an ftrace instance following
#                the command's process tree, written by trace-cmd
#                extract with zstd compression (`--compression zstd`)
#   perf, trace-cmd plain: the same without compression, for scale
# Each tool's syscalls are counted in its own trace (sys_enter events;
# kscope: rows of syscalls), so bytes per syscall compare.  Prints bytes
# per syscall per tool and each one's ratio to the best compressed
# tracer (perf -z or trace-cmd zstd): the target is kscope <= 0.5.
# trace-cmd is installed with apt when missing; perf comes from setup.sh.
set -u
S=200000
P=20000
while getopts s:p: o; do
	case $o in
	s) S=$OPTARG ;;
	p) P=$OPTARG ;;
	*) echo "usage: size-mixed.sh [-s SYSLOOP] [-p ROUNDTRIPS]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
KSCOPE_BASE=${KSCOPE_BASE:-}
SYSLOOP=${SYSLOOP:-bench/sysloop}
PINGPONG=${PINGPONG:-bench/pingpong}
[ "$(id -u)" -eq 0 ] || { echo "size-mixed: needs root" >&2; exit 77; }
for p in "$KSCOPE" "$SYSLOOP" "$PINGPONG"; do
	[ -x "$p" ] || { echo "size-mixed: build first (make): need $p" >&2; exit 2; }
done
if ! command -v trace-cmd >/dev/null 2>&1; then
	echo "size-mixed: installing trace-cmd"
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
		install -y -qq trace-cmd >/dev/null ||
		{ echo "size-mixed: cannot install trace-cmd" >&2; exit 77; }
fi
command -v perf >/dev/null 2>&1 ||
	{ echo "size-mixed: no perf (./setup.sh installs it)" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-size.XXXXXX")
T=/sys/kernel/tracing
[ -d $T/instances ] || T=/sys/kernel/debug/tracing
INST=kscope-size.$$
# (with an ftrace instance an interrupted trace-cmd run left)
cleanup() {
	rm -rf "$TMP"
	[ ! -d "$T/instances/$INST" ] || rmdir "$T/instances/$INST"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The workload.  Its scratch files live in $TMP/w, emptied before each run.
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
SYSLOOP=$(abs "$SYSLOOP")
PINGPONG=$(abs "$PINGPONG")
cat >"$TMP/src.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *s = strdup(argc > 1 ? argv[1] : "x");
	printf("%zu\n", strlen(s));
	free(s);
	return 0;
}
EOF
cat >"$TMP/work.sh" <<EOF
set -e
cd "$TMP/w"
find /usr -xdev >/dev/null 2>&1 || true
tar cf - /usr/include 2>/dev/null | wc -c >/dev/null
grep -r -c define /usr/include >/dev/null 2>&1 || true
cc -O2 -o prog "$TMP/src.c"
./prog hello >/dev/null
for i in 1 2 3 4 5; do python3 -c 'import json, sqlite3, os' ; done
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("w.db")
db.execute("create table t(a integer, b text)")
for i in range(200):
    db.execute("insert into t values (?, ?)", (i, "row %d" % i))
    db.commit()
db.execute("select count(*), sum(a) from t group by b % 7").fetchall()
db.close()
PY
ls -lR /usr/lib >/dev/null 2>&1 || true
"$PINGPONG" $P >/dev/null
"$SYSLOOP" $S >/dev/null
EOF
fresh() { rm -rf "$TMP/w"; mkdir "$TMP/w"; sync; }
size() { stat -c %s "$1"; }
ksc() { "$1" query "$2" "SELECT count(*) FROM syscalls" --format csv |
	tail -n 1 | tr -d '\r'; }

TP="raw_syscalls:sys_enter raw_syscalls:sys_exit sched:sched_switch
sched:sched_wakeup sched:sched_wakeup_new sched:sched_migrate_task
sched:sched_process_fork sched:sched_process_exec sched:sched_process_exit"
PERF_EV=$(echo $TP | tr ' ' ',')
TC_EV=
for e in $TP; do TC_EV="$TC_EV -e $e"; done

# name bytes syscalls, one line per configuration, into $TMP/res
res() { echo "$1 $2 $3" >>"$TMP/res"; echo "  $1: $2 bytes, $3 syscalls"; }

kscope_run() { # name binary
	fresh
	"$2" record -q -o "$TMP/$1.kscope" -- sh "$TMP/work.sh" ||
		{ echo "size-mixed: $1 record failed" >&2; return 1; }
	res "$1" "$(size "$TMP/$1.kscope")" "$(ksc "$2" "$TMP/$1.kscope")"
}

perf_run() { # name [-z]
	fresh
	perf record -q ${2:-} -e "$PERF_EV" -o "$TMP/$1.data" -- \
		sh "$TMP/work.sh" >/dev/null 2>"$TMP/$1.err" ||
		{ echo "size-mixed: $1 failed:" >&2; cat "$TMP/$1.err" >&2; return 1; }
	n=$(perf script -i "$TMP/$1.data" -F event 2>/dev/null |
		grep -c sys_enter)
	res "$1" "$(size "$TMP/$1.data")" "$n"
}

# trace-cmd: its record needs function tracing (set_ftrace_pid), which
# this kernel may refuse; so the events go into an ftrace instance of our
# own, follow the workload's process tree by set_event_pid and
# event-fork, and `trace-cmd extract` writes the file.
tc_run() { # name [extract options]
	fresh
	name=$1
	shift
	I=$T/instances/$INST
	mkdir "$I" || return 1
	echo 262144 >"$I/buffer_size_kb"
	for e in $TP; do
		echo 1 >"$I/events/${e%%:*}/${e#*:}/enable" || return 1
	done
	echo 1 >"$I/options/event-fork"
	sh -c 'kill -STOP $$; exec sh "$0"' "$TMP/work.sh" &
	pid=$!
	until [ "$(cut -d' ' -f3 /proc/$pid/stat)" = T ]; do sleep 0.01; done
	echo $pid >"$I/set_event_pid"
	echo 1 >"$I/tracing_on"
	kill -CONT $pid
	wait $pid
	echo 0 >"$I/tracing_on"
	(cd "$TMP" && trace-cmd extract -B $INST "$@" -o "$TMP/$name.dat") \
		>"$TMP/$name.err" 2>&1
	rc=$?
	# (extract removes the instance when done)
	[ ! -d "$I" ] || rmdir "$I"
	[ $rc -eq 0 ] || { echo "size-mixed: $name failed:" >&2
		cat "$TMP/$name.err" >&2; return 1; }
	! grep -i 'lost' "$TMP/$name.err" >&2 || return 1
	n=$(trace-cmd report -i "$TMP/$name.dat" 2>/dev/null |
		grep -c 'sys_enter:')
	res "$name" "$(size "$TMP/$name.dat")" "$n"
}

echo "workload: find, tar, grep, cc, python x5, sqlite x200, ls -lR," \
	"pingpong $P, sysloop $S"
: >"$TMP/res"
kscope_run kscope "$KSCOPE" || exit 1
cp "$TMP/kscope.kscope" "$TMP/compact.kscope"
t0=$(date +%s.%N)
"$KSCOPE" compact "$TMP/compact.kscope" ||
	{ echo "size-mixed: kscope compact failed" >&2; exit 1; }
t1=$(date +%s.%N)
res compact "$(size "$TMP/compact.kscope")" \
	"$(ksc "$KSCOPE" "$TMP/compact.kscope")"
echo "  (compact took $(echo "$t1 - $t0" | bc) s)"
[ -z "$KSCOPE_BASE" ] || kscope_run base "$KSCOPE_BASE" || exit 1
perf_run perf-z -z || exit 1
tc_run trace-cmd-zstd --compression zstd || exit 1
perf_run perf || exit 1
tc_run trace-cmd --compression none || exit 1

echo
awk '
{ name[NR] = $1; b[NR] = $2; n[NR] = $3; bps[NR] = $3 ? $2 / $3 : 0
  if (($1 == "perf-z" || $1 == "trace-cmd-zstd") && (!best || bps[NR] < best)) {
	best = bps[NR]; bestname = $1 } }
END {
	printf "%-16s %12s %10s %10s %14s\n", "tool", "bytes", "syscalls",
		"B/syscall", "x " bestname
	for (i = 1; i <= NR; i++)
		printf "%-16s %12d %10d %10.2f %14.3f\n", name[i], b[i], n[i],
			bps[i], best ? bps[i] / best : 0
}' "$TMP/res"
