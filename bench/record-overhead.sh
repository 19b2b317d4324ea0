#!/bin/sh
# record-overhead.sh - what recording costs a syscall-heavy loop.
#
#     make bench-record-overhead             (root; from the build dir)
#     sh bench/record-overhead.sh [-n ITER] [-r RUNS]
#
# One run measures, on bench/sysloop (getppid, 64-byte read of /dev/zero,
# 64-byte write to /dev/null, timed inside the loop):
#   untraced            the baseline
#   floor               empty eBPF programs on every tracepoint kscope uses
#   kscope              kscope record -- sysloop, all classes
#   kscope -e syscall   syscalls only
#   kscope wakeup/event KSCOPE_WAKEUP_BYTES=0: a reader wakeup per record
#   perf                perf record -e raw_syscalls:* (if perf works)
#   strace              strace -f (if installed; fewer iterations)
# Each configuration runs RUNS times, interleaved, and the fastest run
# counts (the machine may be shared).  Then the trace size per syscall and
# the loss-free event rate with 1 and 2 loops on the whole system (-a).
set -u
N=1000000
RUNS=5
while getopts n:r: o; do
	case $o in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: record-overhead.sh [-n ITER] [-r RUNS]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
LOOP=${LOOP:-bench/sysloop}
FLOOR=${FLOOR:-bench/floor}
[ "$(id -u)" -eq 0 ] || { echo "record-overhead: needs root" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ns per syscall from sysloop's output line.
nsper() { sed -n 's/.*ns_per_syscall=\([0-9.]*\).*/\1/p' | tail -n1; }
min() { awk 'NR == 1 || $1 < m { m = $1 } END { print m }'; }
q() { "$KSCOPE" query "$1" "$2" --format csv | tail -n +2 | tr -d '\r'; }

have_perf=0
if command -v perf >/dev/null 2>&1 &&
	perf record -q -e 'raw_syscalls:sys_enter' -o "$TMP/probe.data" true \
		>/dev/null 2>&1; then
	have_perf=1
fi
have_strace=0
command -v strace >/dev/null 2>&1 && have_strace=1

run_cfg() {
	case $1 in
	untraced) "$LOOP" "$N" ;;
	floor) "$FLOOR" "$LOOP" "$N" ;;
	kscope) "$KSCOPE" record -q -f -o "$TMP/all.kscope" -- "$LOOP" "$N" ;;
	kscope-syscall)
		"$KSCOPE" record -q -f -e syscall -o "$TMP/sys.kscope" -- "$LOOP" "$N" ;;
	kscope-wakeup-per-event)
		KSCOPE_WAKEUP_BYTES=0 "$KSCOPE" record -q -f -e syscall \
			-o "$TMP/wake.kscope" -- "$LOOP" "$N" ;;
	perf) perf record -q -e 'raw_syscalls:*' -o "$TMP/perf.data" -- "$LOOP" "$N" \
		2>/dev/null ;;
	strace) strace -f -o /dev/null "$LOOP" $((N / 20)) ;;
	esac
}

cfgs="untraced floor kscope kscope-syscall kscope-wakeup-per-event"
[ $have_perf -eq 1 ] && cfgs="$cfgs perf"
[ $have_strace -eq 1 ] && cfgs="$cfgs strace"
i=0
while [ $i -lt "$RUNS" ]; do
	for c in $cfgs; do
		run_cfg "$c" 2>/dev/null | nsper >> "$TMP/$c.ns"
	done
	i=$((i + 1))
done

base=$(min < "$TMP/untraced.ns")
floor=$(min < "$TMP/floor.ns")
echo "record-overhead: $((3 * N)) syscalls per run, best of $RUNS runs, $(nproc) cpus"
printf '%-26s %10s %8s %14s\n' config ns/syscall ratio "added/floor's"
for c in $cfgs; do
	v=$(min < "$TMP/$c.ns")
	[ -n "$v" ] || { printf '%-26s %10s\n' "$c" failed; continue; }
	awk -v c="$c" -v v="$v" -v b="$base" -v f="$floor" 'BEGIN {
		add = (f > b) ? (v - b) / (f - b) : 0
		printf "%-26s %10.1f %7.2fx %13.2fx\n", c, v, v / b, add }'
done

# In-kernel cost per program run (kernel.bpf_stats_enabled): less
# sensitive to a busy machine than wall time.  The stats themselves add a
# clock read or two per run, to the floor and to kscope alike.
if command -v bpftool >/dev/null 2>&1 && [ -w /proc/sys/kernel/bpf_stats_enabled ]; then
	old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
	echo 1 > /proc/sys/kernel/bpf_stats_enabled
	# Only the programs of the loader (the shell's parent): other
	# recorders may be running on a shared machine.
	show="$LOOP $N >/dev/null
		for id in \$(sed -n 's/^prog_id:[[:space:]]*//p' /proc/\$PPID/fdinfo/* | sort -u); do
			bpftool prog show id \$id
		done"
	"$FLOOR" sh -c "$show" > "$TMP/stats.floor" 2>/dev/null
	"$KSCOPE" record -q -f -e syscall -o "$TMP/stats.kscope" -- sh -c "$show" \
		> "$TMP/stats.kscope.txt" 2>/dev/null
	echo "$old_stats" > /proc/sys/kernel/bpf_stats_enabled
	cat "$TMP/stats.floor" "$TMP/stats.kscope.txt" | awk '
		/name (floor_sys|ks_syscall)_(enter|exit)/ {
			for (i = 1; i <= NF; i++) {
				if ($i == "name") n = $(i + 1)
				if ($i == "run_time_ns") t = $(i + 1)
				if ($i == "run_cnt") c = $(i + 1)
			}
			if (c) printf "in-kernel ns per run: %-16s %6.1f\n", n, t / c
		}'
fi

# Trace size per syscall (the loop's syscalls; the syscall-only trace).
n_sys=$(q "$TMP/sys.kscope" "SELECT count(*) FROM syscalls")
sz_sys=$(stat -c %s "$TMP/sys.kscope")
sz_all=$(stat -c %s "$TMP/all.kscope")
n_all=$(q "$TMP/all.kscope" "SELECT count(*) FROM syscalls")
awk -v s="$sz_sys" -v n="$n_sys" -v a="$sz_all" -v na="$n_all" 'BEGIN {
	printf "trace bytes per syscall: %.2f (-e syscall, %d calls), %.2f (all classes, whole file)\n", s / n, n, a / na }'
if [ $have_perf -eq 1 ]; then
	awk -v s="$(stat -c %s "$TMP/perf.data")" -v n="$((3 * N))" 'BEGIN {
		printf "perf.data bytes per syscall: %.1f\n", s / n }'
fi
cpu=$(q "$TMP/all.kscope" "SELECT value FROM meta WHERE key='recorder_cpu_ns'")
span=$(q "$TMP/all.kscope" "SELECT (SELECT value FROM meta WHERE key='end_ts') - (SELECT value FROM meta WHERE key='start_ts')")
awk -v c="$cpu" -v s="$span" 'BEGIN {
	printf "recorder CPU (all classes, loop run): %.0f%% of one CPU\n", 100 * c / s }'
echo "wakeups: see kscope-wakeup-per-event above (KSCOPE_WAKEUP_BYTES=0)"

# Wakeup strategy with a small (1 MiB) ring: timer-only draining (the
# 100 ms poll backstop alone) against the threshold wakeup (ring / 4).
for mode in timer threshold; do
	if [ $mode = timer ]; then
		KSCOPE_WAKEUP_BYTES=1099511627776 "$KSCOPE" record -q -f -e syscall \
			--buffer-size 1M -o "$TMP/w.kscope" -- "$LOOP" "$N" >/dev/null
	else
		"$KSCOPE" record -q -f -e syscall --buffer-size 1M \
			-o "$TMP/w.kscope" -- "$LOOP" "$N" >/dev/null
	fi
	ev=$(q "$TMP/w.kscope" "SELECT count(*) FROM syscalls")
	lost=$(q "$TMP/w.kscope" "SELECT value FROM meta WHERE key='lost_total'")
	awk -v m="$mode" -v e="$ev" -v l="$lost" 'BEGIN {
		printf "1 MiB ring, %-9s wakeups: %d recorded, %d lost (%.1f%%)\n", m, e, l, 100 * l / (e + l) }'
done

# Loss-free rate: the whole system (-a, all classes), 1 then 2 loops.
for k in 1 2; do
	"$KSCOPE" record -q -f -a -o "$TMP/rate$k.kscope" 2>/dev/null &
	rec=$!
	sleep 1
	j=0
	loops=
	while [ $j -lt $k ]; do
		"$LOOP" "$N" > "$TMP/rate$k.$j.out" &
		loops="$loops $!"
		j=$((j + 1))
	done
	wait $loops
	sleep 0.5
	kill -INT $rec
	wait $rec
	ev=$(q "$TMP/rate$k.kscope" "SELECT count(*) FROM syscalls")
	lost=$(q "$TMP/rate$k.kscope" "SELECT value FROM meta WHERE key='lost_total'")
	el=$(cat "$TMP"/rate$k.*.out | sed -n 's/.*elapsed_ns=\([0-9]*\).*/\1/p' | sort -n | tail -n1)
	awk -v k="$k" -v n="$((3 * N * k))" -v el="$el" -v ev="$ev" -v l="$lost" 'BEGIN {
		printf "-a, %d loop(s): %.2fM syscalls/s offered, %d recorded, %s lost\n", k, n / el * 1000, ev, l }'
done
