#!/bin/sh
# why-cost.sh - what kernel stacks (and the rest of the "why" data) cost
# the recorded program, against the recorder without them.
#
#     make bench-why                         (root; from the build dir)
#     sh bench/why-cost.sh [-n ITER] [-p ROUNDTRIPS] [-r RUNS]
#     KSCOPE_BASE=/path/to/kscope sh bench/why-cost.sh
#
# Two loops, each timed inside itself:
#   bench/sysloop N      getppid, 64-byte read of /dev/zero, 64-byte write
#                        to /dev/null (no sleeping: stacks are never taken)
#   bench/pingpong M     two processes on CPU 0 handing a byte over two
#                        pipes: every hand-over is a task going to sleep,
#                        the path stacks are taken on
# under four configurations:
#   untraced             the loop alone
#   base                 the recorder before stacks (KSCOPE_BASE, or built
#                        here from git commit $BASE_COMMIT into
#                        $TMPDIR/kscope-base-$BASE_COMMIT, kept for later runs)
#   no-stacks            this kscope record --no-stacks
#   stacks               this kscope record (stacks on, the default)
# all classes on, each recording the loop's process tree.  RUNS rounds,
# configurations interleaved in each; the fastest run counts (the machine
# may be shared).  Printed: ns per operation, the ratio to untraced, and
# the added cost (time over untraced) as a ratio to base's.
set -u
N=1000000
M=100000
RUNS=5
BASE_COMMIT=0ba8a1d
while getopts n:p:r: o; do
	case $o in
	n) N=$OPTARG ;;
	p) M=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: why-cost.sh [-n ITER] [-p ROUNDTRIPS] [-r RUNS]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
LOOP=${LOOP:-bench/sysloop}
PINGPONG=${PINGPONG:-bench/pingpong}
[ "$(id -u)" -eq 0 ] || { echo "why-cost: needs root" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-why.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# The baseline recorder: given, or built once from BASE_COMMIT of the
# repository this script is in.
BASE=${KSCOPE_BASE:-}
if [ -z "$BASE" ]; then
	dir=${TMPDIR:-/tmp}/kscope-base-$BASE_COMMIT
	BASE=$dir/kscope
	if [ ! -x "$BASE" ]; then
		src=$(dirname "$0")/..
		echo "why-cost: building the baseline recorder ($BASE_COMMIT) in $dir ..."
		rm -rf "$dir" && mkdir -p "$dir" &&
		git -C "$src" archive "$BASE_COMMIT" | tar -x -C "$dir" &&
		(cd "$dir" && autoreconf -fi && ./configure &&
			make -j2 bpf/kscope.skel.h && make -j2 kscope) \
			>"$TMP/base-build.log" 2>&1 || {
			tail -n 20 "$TMP/base-build.log" >&2
			echo "why-cost: cannot build the baseline; set KSCOPE_BASE" >&2
			exit 1
		}
	fi
fi

# The figure of a loop's output line: ns per syscall or per switch.
nsper() { sed -n 's/.*ns_per_[a-z]*=\([0-9.]*\).*/\1/p' | tail -n1; }
min() { awk 'NR == 1 || $1 < m { m = $1 } END { print m }'; }
q() { "$KSCOPE" query "$1" "$2" --format csv | tail -n +2 | tr -d '\r'; }

# run_cfg CONFIG LOOP ARGS...
run_cfg() {
	c=$1
	shift
	case $c in
	untraced) "$@" ;;
	base) "$BASE" record -q -f -o "$TMP/$c.kscope" -- "$@" ;;
	no-stacks) "$KSCOPE" record -q -f --no-stacks -o "$TMP/$c.kscope" -- "$@" ;;
	stacks) "$KSCOPE" record -q -f -o "$TMP/$c.kscope" -- "$@" ;;
	esac
}

cfgs="untraced base no-stacks stacks"
loops="sysloop pingpong"
i=0
while [ $i -lt "$RUNS" ]; do
	for c in $cfgs; do
		run_cfg "$c" "$LOOP" "$N" 2>/dev/null | nsper >>"$TMP/sysloop.$c"
		run_cfg "$c" "$PINGPONG" "$M" 2>/dev/null | nsper >>"$TMP/pingpong.$c"
		# The last round's traces are kept for the figures below.
		[ ! -f "$TMP/$c.kscope" ] || mv -f "$TMP/$c.kscope" "$TMP/pingpong-$c.kscope"
	done
	i=$((i + 1))
done

echo "why-cost: sysloop $((3 * N)) syscalls, pingpong $((2 * M)) switches; best of $RUNS runs, $(nproc) cpus"
printf '%-9s %-10s %10s %8s %16s\n' loop config ns/op ratio "added/base's"
for l in $loops; do
	b=$(min <"$TMP/$l.untraced")
	bb=$(min <"$TMP/$l.base")
	for c in $cfgs; do
		v=$(min <"$TMP/$l.$c")
		[ -n "$v" ] || { printf '%-9s %-10s %10s\n' "$l" "$c" failed; continue; }
		awk -v l="$l" -v c="$c" -v v="$v" -v b="$b" -v bb="$bb" 'BEGIN {
			add = (bb > b) ? (v - b) / (bb - b) : 0
			printf "%-9s %-10s %10.1f %7.2fx %15.2fx\n", l, c, v, v / b, add }'
	done
done

# What stacks add to the pingpong trace: stacks, rows, bytes.
t=$TMP/pingpong-stacks.kscope
u=$TMP/pingpong-no-stacks.kscope
if [ -f "$t" ] && [ -f "$u" ]; then
	sw=$(q "$t" "SELECT count(*) FROM sched_switch")
	st=$(q "$t" "SELECT count(*) FROM sched_switch WHERE stack_id > 0")
	ids=$(q "$t" "SELECT count(*) FROM stacks")
	lost=$(q "$t" "SELECT value FROM meta WHERE key = 'stacks_lost'")
	rss=$(q "$t" "SELECT value FROM meta WHERE key = 'recorder_max_rss_kb'")
	rss0=$(q "$u" "SELECT value FROM meta WHERE key = 'recorder_max_rss_kb'")
	swu=$(q "$u" "SELECT count(*) FROM sched_switch")
	awk -v sw="$sw" -v st="$st" -v ids="$ids" -v lost="$lost" \
		-v sz="$(stat -c %s "$t")" -v szu="$(stat -c %s "$u")" \
		-v swu="$swu" -v rss="$rss" -v rss0="$rss0" 'BEGIN {
		printf "pingpong trace: %d switches, %d with a stack, %d distinct stacks, %d lost\n", sw, st, ids, lost
		printf "trace bytes per switch: %.2f with stacks, %.2f without\n", sz / sw, szu / swu
		printf "recorder max RSS: %d KiB with stacks, %d KiB without\n", rss, rss0 }'
fi

# In-kernel cost of the sched_switch program per run
# (kernel.bpf_stats_enabled), with and without stacks: less sensitive to
# a busy machine than wall time.  Only the recorder's own programs (the
# shell's parent's fds): other recorders may be running.
if command -v bpftool >/dev/null 2>&1 && [ -w /proc/sys/kernel/bpf_stats_enabled ]; then
	old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	show="$PINGPONG $M >/dev/null
		for id in \$(sed -n 's/^prog_id:[[:space:]]*//p' /proc/\$PPID/fdinfo/* | sort -u); do
			bpftool prog show id \$id
		done"
	for c in no-stacks stacks; do
		opt=
		[ $c = no-stacks ] && opt=--no-stacks
		"$KSCOPE" record -q -f $opt -o "$TMP/stats.kscope" -- sh -c "$show" \
			2>/dev/null | awk -v c="$c" '
			/name ks_sched_switch/ {
				for (i = 1; i <= NF; i++) {
					if ($i == "run_time_ns") t = $(i + 1)
					if ($i == "run_cnt") n = $(i + 1)
				}
				if (n) printf "in-kernel ns per sched_switch run, %-9s: %6.1f (%d runs)\n", c, t / n, n
			}'
	done
	echo "$old_stats" >/proc/sys/kernel/bpf_stats_enabled
fi
