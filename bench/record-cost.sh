#!/bin/sh
# record-cost.sh - what recording costs, on an idle machine and on a busy
# one, against the floor any eBPF recorder pays and against perf.
#
#     make bench-record                     (root; from the build dir)
#     sh bench/record-cost.sh [-n ITER] [-p ROUNDTRIPS] [-r RUNS]
#     KSCOPE_BASE=/path/to/old/kscope sh bench/record-cost.sh
#
# Two loads: idle, and hogs (one `nice -n 0` busy loop per CPU, started
# and killed here).  Two workloads, each timed inside itself:
#   sysloop N      getppid, 64-byte read of /dev/zero, 64-byte write to
#                  /dev/null (3N syscalls)
#   pingpong M     two processes on CPU 0 handing a byte over two pipes
#                  (2M context switches, each with a read and a write)
# Four configurations, in this order, interleaved, RUNS rounds:
#   untraced       the workload alone
#   floor          bench/floor: empty eBPF programs on every tracepoint
#                  kscope uses
#   base           KSCOPE_BASE record -- WORKLOAD (only when KSCOPE_BASE
#                  is set: an earlier build, for before/after figures)
#   kscope         kscope record -- WORKLOAD, all classes
#   perf           perf record of the same tracepoints (syscalls, sched,
#                  process), if perf works
# The median of the RUNS runs counts (the hogs make single runs noisy).
# Printed per load and workload: ns per operation, the ratio to untraced,
# the added cost (over untraced) and kscope's added cost / the floor's
# (the targets: <= 1.25x idle, <= 1.5x under the hogs).
#
# Then, idle, one run of each workload with the kernel's run-time
# statistics on (they add two clock reads per program run, so only
# there): in-kernel ns per operation of kscope's programs (meta
# recorder_bpf_ns) and of the floor's (bench/floor -s), and per syscall
# on sysloop (two runs' average).  From the kscope
# runs of the rounds (median): the recorder's CPU (user + system, meta
# recorder_cpu_ns) less its fixed cost (recording `true`: loading,
# /proc, symbols), per million events and as % of one CPU over the
# workload's run (target <= 10% on sysloop), and trace bytes per event.
set -u
N=1000000
M=100000
RUNS=5
while getopts n:p:r: o; do
	case $o in
	n) N=$OPTARG ;;
	p) M=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: record-cost.sh [-n ITER] [-p ROUNDTRIPS] [-r RUNS]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
SYSLOOP=${SYSLOOP:-bench/sysloop}
PINGPONG=${PINGPONG:-bench/pingpong}
FLOOR=${FLOOR:-bench/floor}
[ "$(id -u)" -eq 0 ] || { echo "record-cost: needs root" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-cost.XXXXXX")
HOGS=
hogs_stop() {
	[ -z "$HOGS" ] || kill $HOGS 2>/dev/null
	[ -z "$HOGS" ] || wait $HOGS 2>/dev/null
	HOGS=
}
trap 'hogs_stop; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# The figure of a workload's output line: ns per syscall or per switch.
nsper() { sed -n 's/.*ns_per_[a-z]*=\([0-9.]*\).*/\1/p' | tail -n1; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | tail -n1; }
median() { sort -n | awk '{ v[NR] = $1 } END {
	if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
meta() { "$KSCOPE" query "$1" "SELECT value FROM meta WHERE key = '$2'" \
	--format csv | tail -n +2 | tr -d '\r'; }

PERF_EV=raw_syscalls:sys_enter,raw_syscalls:sys_exit,sched:sched_switch
PERF_EV=$PERF_EV,sched:sched_wakeup,sched:sched_wakeup_new
PERF_EV=$PERF_EV,sched:sched_migrate_task,sched:sched_process_fork
PERF_EV=$PERF_EV,sched:sched_process_exec,sched:sched_process_exit
KSCOPE_BASE=${KSCOPE_BASE:-}
cfgs="untraced floor kscope"
[ -z "$KSCOPE_BASE" ] || cfgs="untraced floor base kscope"
if command -v perf >/dev/null 2>&1 &&
	perf record -q -e "$PERF_EV" -o "$TMP/probe.data" true >/dev/null 2>&1; then
	cfgs="$cfgs perf"
fi

workload() {
	case $1 in
	sysloop) echo "$SYSLOOP $N" ;;
	pingpong) echo "$PINGPONG $M" ;;
	esac
}

# The recorder binary of configuration base or kscope.
recorder() { if [ "$1" = base ]; then echo "$KSCOPE_BASE"; else echo "$KSCOPE"; fi; }
recorders=kscope
[ -z "$KSCOPE_BASE" ] || recorders="base kscope"

# run LOAD WORKLOAD CONFIG: one run; its figure goes to
# $TMP/LOAD.WORKLOAD.CONFIG, a recorder's CPU (ns), events, bytes and the
# workload's elapsed ns to $TMP/LOAD.WORKLOAD.CONFIG.cost.
run() {
	w=$(workload "$2")
	f=$TMP/$1.$2.$3
	case $3 in
	untraced) $w >"$f.out" 2>/dev/null ;;
	floor) "$FLOOR" $w >"$f.out" 2>/dev/null ;;
	base|kscope) "$(recorder "$3")" record -f -o "$TMP/k.kscope" -- $w \
		>"$f.out" 2>"$f.err" ;;
	perf) perf record -q -e "$PERF_EV" -o "$TMP/perf.data" -- $w \
		>"$f.out" 2>/dev/null ;;
	esac
	nsper <"$f.out" >>"$f"
	if [ "$3" = kscope ] || [ "$3" = base ]; then
		ev=$(sed -n 's/.*record: \([0-9]*\) events.*/\1/p' "$f.err")
		echo "$(meta "$TMP/k.kscope" recorder_cpu_ns) ${ev:-0}" \
			"$(stat -c %s "$TMP/k.kscope") $(field elapsed_ns <"$f.out")" \
			>>"$f.cost"
	fi
}

for load in idle hogs; do
	if [ $load = hogs ]; then
		i=0
		while [ $i -lt "$(nproc)" ]; do
			nice -n 0 sh -c 'while :; do :; done' &
			HOGS="$HOGS $!"
			i=$((i + 1))
		done
	fi
	r=0
	while [ $r -lt "$RUNS" ]; do
		for c in $cfgs; do
			run $load sysloop "$c"
			run $load pingpong "$c"
		done
		# The recorder's fixed cost (loading, /proc, symbols, closing):
		# recording `true`.
		for k in $recorders; do
			"$(recorder $k)" record -q -f -o "$TMP/t.kscope" -- true \
				2>/dev/null
			meta "$TMP/t.kscope" recorder_cpu_ns >>"$TMP/$load.$k.fixed"
		done
		r=$((r + 1))
	done
	hogs_stop
done

echo "record-cost: sysloop $((3 * N)) syscalls, pingpong $((2 * M)) switches;" \
	"median of $RUNS runs; $(nproc) cpus; hogs: $(nproc) busy loops"
printf '%-5s %-9s %-9s %9s %7s %9s %11s\n' load workload config ns/op ratio \
	added "/floor's"
for load in idle hogs; do
	for wl in sysloop pingpong; do
		b=$(median <"$TMP/$load.$wl.untraced")
		fl=$(median <"$TMP/$load.$wl.floor")
		for c in $cfgs; do
			v=$(median <"$TMP/$load.$wl.$c")
			[ -n "$v" ] || { printf '%-5s %-9s %-9s %9s\n' $load $wl $c failed; continue; }
			awk -v l=$load -v w=$wl -v c=$c -v v="$v" -v b="$b" -v f="$fl" 'BEGIN {
				rel = (c != "untraced" && f > b) ? sprintf("%10.2fx", (v - b) / (f - b)) : ""
				printf "%-5s %-9s %-9s %9.1f %6.2fx %9.1f %11s\n",
					l, w, c, v, v / b, v - b, rel }'
		done
	done
done

# Recorder CPU and bytes, from the kscope runs (median of each figure):
# its CPU less its fixed cost, per million events (ms) and over the
# workload's run (% of one CPU).
for k in $recorders; do
for load in idle hogs; do
	fixed=$(median <"$TMP/$load.$k.fixed")
	for wl in sysloop pingpong; do
		f=$TMP/$load.$wl.$k.cost
		[ -s "$f" ] || continue
		awk -v x="${fixed:-0}" '{ print ($2 ? ($1 - x) / $2 : 0) }' "$f" |
			median >"$f.pm"
		awk -v x="${fixed:-0}" '{ print ($4 ? 100 * ($1 - x) / $4 : 0) }' "$f" |
			median >"$f.pct"
		awk '{ print ($2 ? $3 / $2 : 0) }' "$f" | median >"$f.bpe"
		awk -v k=$k -v l=$load -v w=$wl -v pm="$(cat "$f.pm")" \
			-v pct="$(cat "$f.pct")" -v bpe="$(cat "$f.bpe")" 'BEGIN {
			printf "%-6s %-5s %-9s %6.1f ms CPU per M events, %5.1f%% of one CPU, %5.2f bytes/event\n",
				k, l, w, pm, pct, bpe }'
	done
	awk -v k=$k -v l=$load -v x="${fixed:-0}" 'BEGIN {
		printf "%-6s %-5s fixed cost (recording true): %.1f ms CPU\n", k, l, x / 1e6 }'
done
done

# In-kernel time, idle, statistics on for these runs only: the run time
# of all the recorder's (the floor's) programs per operation of the
# workload.  The programs run for every task on the machine (filtering
# out the others costs them little), so on a busy machine this is an
# upper bound.  On sysloop nearly all runs are sys_enter and sys_exit:
# the time per syscall is also given as two runs' average.
if [ -w /proc/sys/kernel/bpf_stats_enabled ]; then
	for wl in sysloop pingpong; do
		w=$(workload $wl)
		ops=$((3 * N))
		[ $wl = pingpong ] && ops=$((2 * M))
		fl=$("$FLOOR" -s $w 2>&1 >/dev/null | sed -n 's/^floor: run_time_ns=//p')
		for k in $recorders; do
			old=$(cat /proc/sys/kernel/bpf_stats_enabled)
			echo 1 >/proc/sys/kernel/bpf_stats_enabled
			"$(recorder $k)" record -q -f -o "$TMP/s.kscope" -- $w \
				>/dev/null 2>&1
			echo "$old" >/proc/sys/kernel/bpf_stats_enabled
			kns=$(meta "$TMP/s.kscope" recorder_bpf_ns)
			kruns=$(meta "$TMP/s.kscope" recorder_bpf_runs)
			echo "${fl:-0 run_cnt=0}" | sed 's/ run_cnt=/ /' | awk \
				-v c=$k -v w=$wl -v o=$ops -v k="${kns:-0}" \
				-v kr="${kruns:-0}" '{
				printf "in-kernel ns per %s op: %-6s %6.1f, floor %5.1f, /floor %5.2fx",
					w, c, k / o, $1 / o, $1 ? k / $1 : 0
				if (w == "sysloop" && kr && $2)
					printf "; per syscall (2 runs): %s %.0f, floor %.0f",
						c, 2 * k / kr, 2 * $1 / $2
				printf "\n" }'
		done
	done
fi
