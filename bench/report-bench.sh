#!/bin/sh
# report-bench.sh - how long `kscope report` takes on a big trace, against
# baselines measured in the same run on the same file.
#
#     bench/report-bench.sh [-n EVENTS] [-r RUNS] [-o TRACE]
#     make bench-report
#
# The trace is written once by tests/kscope-synth (-n syscalls, 10M by
# default, with the scheduler, process and TCP events that come with them)
# and kept in /tmp for later runs.  Each command runs RUNS times (3) and the
# best wall time counts.  Baselines:
#   floor  SELECT count(*) FROM syscalls   (walks the rows, reads no column)
#   sql    SELECT nr, count(*), sum(ret < 0), sum(dur), max(dur) FROM
#          syscalls GROUP BY nr            (the same per-syscall aggregate
#                                           in SQL)
# and each report is printed as seconds and as a ratio to the floor.  The
# target (issue 4) is `kscope report FILE` -- the summary -- under 2 s on
# 10M events; the ratios, not the seconds, are what compare across hosts.
set -eu

N=10000000
RUNS=3
T=
while getopts n:r:o: opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	o) T=$OPTARG ;;
	*) echo "usage: $0 [-n EVENTS] [-r RUNS] [-o TRACE]" >&2; exit 2 ;;
	esac
done
T=${T:-/tmp/kscope-bench-report-$N.kscope}
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$KSCOPE" ] && [ -x "$SYNTH" ] || {
	echo "$0: build first (make): need $KSCOPE and $SYNTH" >&2; exit 2; }

if [ ! -s "$T" ]; then
	echo "writing $T ($N syscalls) ..."
	"$SYNTH" -o "$T" -n "$N" >/dev/null
fi

now() { date +%s.%N; }

# best RUNS wall-clock seconds of "$@", output discarded
best() {
	b=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "$0: failed: $*" >&2; exit 1; }
		t1=$(now)
		b=$(echo "$t0 $t1 ${b:-}" | awk '{ d = $2 - $1;
			if ($3 == "" || d < $3) print d; else print $3 }')
		i=$((i + 1))
	done
	echo "$b"
}

events=$("$KSCOPE" info "$T" | awk '/^events/ { gsub(",", "", $2); print $2 }')
echo "trace: $T, $events events, best of $RUNS runs, $(nproc) cpus," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
floor=$(best "$KSCOPE" query "$T" "SELECT count(*) FROM syscalls")
sql=$(best "$KSCOPE" query "$T" "SELECT nr, count(*), sum(ret < 0), sum(dur), max(dur) FROM syscalls GROUP BY nr")
printf '%-26s %8.3f s  %6.2fx floor\n' "floor: count(*)" "$floor" 1
printf '%-26s %8.3f s  %6.2fx floor\n' "sql: per-nr aggregate" "$sql" \
	"$(echo "$sql $floor" | awk '{ print $1 / $2 }')"
for r in summary syscalls slow errors files procs cpu runqlat offcpu net; do
	t=$(best "$KSCOPE" report "$T" "$r")
	printf '%-26s %8.3f s  %6.2fx floor  %6.2fx sql\n' "report $r" "$t" \
		"$(echo "$t $floor" | awk '{ print $1 / $2 }')" \
		"$(echo "$t $sql" | awk '{ print $1 / $2 }')"
done
