#!/bin/sh
# wakers-overhead.sh - what naming the waker of every wakeup costs: the
# recorder against the same recorder without the waker programs.
#
#     make bench-wakers KSCOPE_BASE=/path/to/older/kscope     (root)
#     KSCOPE_BASE=... sh bench/wakers-overhead.sh [-n ITER] [-l LOOPS] [-r RUNS]
#
# KSCOPE_BASE is a kscope built without them (e.g. from the commit before
# they came).  Measured, RUNS times interleaved, fastest run counts (the
# machine may be shared):
#   syscall loop   bench/sysloop N under `record` (all classes), ns/syscall
#   ping-pong      perf bench sched pipe -l LOOPS (two tasks waking each
#                  other through pipes: 2 wakeups and 2 switches per op)
#                  under `record -e sched`, us/op
# Then the in-kernel ns per run of each sched program
# (kernel.bpf_stats_enabled) during a ping-pong, for both recorders: less
# sensitive to a busy machine than wall time.
set -u
N=1000000
LOOPS=100000
RUNS=5
while getopts n:l:r: o; do
	case $o in
	n) N=$OPTARG ;;
	l) LOOPS=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: wakers-overhead.sh [-n ITER] [-l LOOPS] [-r RUNS]" >&2
	   exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
LOOP=${LOOP:-bench/sysloop}
[ "$(id -u)" -eq 0 ] || { echo "wakers-overhead: needs root" >&2; exit 77; }
[ -x "${KSCOPE_BASE:-}" ] || {
	echo "wakers-overhead: set KSCOPE_BASE to a kscope without the waker programs" >&2
	exit 77; }
perf bench sched pipe -l 10 >/dev/null 2>&1 || {
	echo "wakers-overhead: needs perf (perf bench sched pipe)" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

min() { awk 'NR == 1 || $1 < m { m = $1 } END { print m }'; }
nsper() { sed -n 's/.*ns_per_syscall=\([0-9.]*\).*/\1/p' | tail -n1; }
usop() { sed -n 's/^ *\([0-9.]*\) usecs\/op.*/\1/p' | tail -n1; }
pingpong() { perf bench sched pipe -l "$LOOPS" 2>/dev/null; }

i=0
while [ $i -lt "$RUNS" ]; do
	"$LOOP" "$N" | nsper >>"$TMP/loop.untraced"
	"$KSCOPE_BASE" record -q -f -o "$TMP/b.kscope" -- "$LOOP" "$N" |
		nsper >>"$TMP/loop.base"
	"$KSCOPE" record -q -f -o "$TMP/n.kscope" -- "$LOOP" "$N" |
		nsper >>"$TMP/loop.wakers"
	pingpong | usop >>"$TMP/pp.untraced"
	"$KSCOPE_BASE" record -q -f -e sched -o "$TMP/b.kscope" -- \
		perf bench sched pipe -l "$LOOPS" 2>/dev/null | usop >>"$TMP/pp.base"
	"$KSCOPE" record -q -f -e sched -o "$TMP/n.kscope" -- \
		perf bench sched pipe -l "$LOOPS" 2>/dev/null | usop >>"$TMP/pp.wakers"
	i=$((i + 1))
done

echo "wakers-overhead: best of $RUNS runs, $(nproc) cpus"
for w in loop pp; do
	[ $w = loop ] && { what="syscall loop ($((3 * N)) calls), ns/syscall"; }
	[ $w = pp ] && { what="ping-pong ($LOOPS ops, -e sched), us/op"; }
	u=$(min <"$TMP/$w.untraced")
	b=$(min <"$TMP/$w.base")
	n=$(min <"$TMP/$w.wakers")
	awk -v w="$what" -v u="$u" -v b="$b" -v n="$n" 'BEGIN {
		printf "%s\n  untraced %.3f  recorder without wakers %.3f  with %.3f  (%+.1f%%)\n",
			w, u, b, n, 100 * (n - b) / b }'
done

if command -v bpftool >/dev/null 2>&1 &&
	[ -w /proc/sys/kernel/bpf_stats_enabled ]; then
	old=$(cat /proc/sys/kernel/bpf_stats_enabled)
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	# Only the programs of the loader (the shell's parent).
	show="perf bench sched pipe -l $LOOPS >/dev/null 2>&1
		for id in \$(sed -n 's/^prog_id:[[:space:]]*//p' /proc/\$PPID/fdinfo/* | sort -u); do
			bpftool prog show id \$id
		done"
	for k in base wakers; do
		[ $k = base ] && bin=$KSCOPE_BASE || bin=$KSCOPE
		"$bin" record -q -f -e sched -o "$TMP/s.kscope" -- sh -c "$show" \
			2>/dev/null | awk -v k=$k '/name ks_sched_/ {
			for (i = 1; i <= NF; i++) {
				if ($i == "name") n = $(i + 1)
				if ($i == "run_time_ns") t = $(i + 1)
				if ($i == "run_cnt") c = $(i + 1)
			}
			if (c) printf "in-kernel ns per run (%s): %-24s %6.1f (%d runs)\n", k, n, t / c, c
		}'
	done
	echo "$old" >/proc/sys/kernel/bpf_stats_enabled
fi
