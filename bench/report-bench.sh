#!/bin/sh
# report-bench.sh - how long `kscope report` takes on a big trace, against
# baselines measured in the same run on the same file.
#
#     bench/report-bench.sh [-n EVENTS] [-r RUNS] [-o TRACE]
#     make bench-report
#
# The trace is written once by tests/kscope-synth (-n syscalls, 10M by
# default, with the scheduler, process and TCP events that come with them)
# and kept in /tmp for later runs of the same build (bench/bench-lib.sh).  Each command runs RUNS times (3) and the
# best wall time counts.  Baselines:
#   floor  SELECT count(*) FROM syscalls   (walks the rows, reads no column)
#   sql    SELECT nr, count(*), sum(ret < 0), sum(dur), max(dur) FROM
#          syscalls GROUP BY nr            (the same per-syscall aggregate
#                                           in SQL)
# and each report is printed as seconds, wall and CPU (user + system), and
# as ratios to the baselines.  The
# target (docs/TARGETS.md) is `kscope report FILE` -- the summary -- under
# 2 s on 10M events; the ratios, not the seconds, are what compare across
# hosts.  With -o TRACE, that file is used as it is.
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
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$KSCOPE" ] && [ -x "$SYNTH" ] || {
	echo "$0: build first (make): need $KSCOPE and $SYNTH" >&2; exit 2; }

if [ -z "$T" ]; then
	T=/tmp/kscope-bench-report-$N.kscope
	. "$(dirname "$0")/bench-lib.sh"
	bench_trace "$T" "$N"
fi

# best RUNS of "$@", output discarded: "WALL CPU" seconds (CPU = user +
# system, steadier than wall time on a busy host; - without /usr/bin/time)
best() {
	b=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f "%e %U %S" -o "$TIMES" "$@" \
				>/dev/null 2>&1 ||
				{ echo "$0: failed: $*" >&2; exit 1; }
			t=$(tail -1 "$TIMES" | awk '{ print $1, $2 + $3 }')
		else
			t0=$(date +%s.%N)
			"$@" >/dev/null 2>&1 ||
				{ echo "$0: failed: $*" >&2; exit 1; }
			t=$(echo "$t0 $(date +%s.%N)" | awk '{ print $2 - $1, "-" }')
		fi
		b=$(echo "$t ${b:-}" | awk '{
			w = $1; c = $2
			if ($3 != "" && $3 < w) w = $3
			if ($4 != "" && $4 != "-" && c != "-" && $4 < c) c = $4
			print w, c }')
		i=$((i + 1))
	done
	echo "$b"
}

TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT

events=$("$KSCOPE" info "$T" | awk '/^events/ { gsub(",", "", $2); print $2 }')
echo "trace: $T, $events events, best of $RUNS runs, $(nproc) cpus," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
floor=$(best "$KSCOPE" query "$T" "SELECT count(*) FROM syscalls")
sql=$(best "$KSCOPE" query "$T" "SELECT nr, count(*), sum(ret < 0), sum(dur), max(dur) FROM syscalls GROUP BY nr")
# line NAME "WALL CPU": seconds and ratios to the floor and the SQL
line() {
	echo "$1 $2 $floor $sql" | awk '
	function ratio(x, y) { return y > 0 ? sprintf("%6.2fx", x / y) : "     -" }
	{
		name = $1; gsub("_", " ", name)
		printf "%-24s %7.3f s wall %s floor %s sql", name, $2,
			ratio($2, $4), ratio($2, $6)
		if ($3 != "-")
			printf "   %7.3f s cpu %s floor %s sql", $3,
				ratio($3, $5), ratio($3, $7)
		printf "\n" }'
}
line "floor:_count(*)" "$floor"
line "sql:_per-nr_aggregate" "$sql"
for r in summary syscalls slow errors files procs cpu runqlat offcpu net; do
	line "report_$r" "$(best "$KSCOPE" report "$T" "$r")"
done
