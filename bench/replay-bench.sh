#!/bin/sh
# replay-bench.sh - how fast `kscope replay` and `kscope export` run, against
# a floor measured in the same run on the same files.
#
#     bench/replay-bench.sh [-n SYSCALLS] [-e SYSCALLS] [-r RUNS]
#     make bench-replay
#
# Two traces are written once by tests/kscope-synth and kept in /tmp for
# later runs of the same build (bench/bench-lib.sh): a big
# one (-n, 6.7M syscalls: about 10M events with their scheduler, process
# and TCP events) for replay, and a small one (-e, 670k syscalls: about 1M
# events) for export.  Each command runs RUNS times (3); the best wall time
# counts, and its CPU time (user + sys) is shown beside it, since the
# machine may be shared.  The floor is bench/cursor-walk: every event
# through store_cursor in time order with every field loaded, nothing
# written.  Targets (docs/TARGETS.md): replay at least 1M lines/s to /dev/null on
# 10M events; export of 1M events under 2 s.
set -eu

N=6700000
NE=670000
RUNS=3
while getopts n:e:r: opt; do
	case $opt in
	n) N=$OPTARG ;;
	e) NE=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: $0 [-n SYSCALLS] [-e SYSCALLS] [-r RUNS]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
WALK=${WALK:-bench/cursor-walk}
TIME=/usr/bin/time
for p in "$KSCOPE" "$SYNTH" "$WALK"; do
	[ -x "$p" ] || { echo "$0: build first (make): need $p" >&2; exit 2; }
done
[ -x "$TIME" ] || { echo "$0: needs GNU time ($TIME)" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-replay-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

T=/tmp/kscope-bench-replay-$N.kscope
TE=/tmp/kscope-bench-replay-$NE.kscope
. "$(dirname "$0")/bench-lib.sh"
bench_trace "$T" "$N"
bench_trace "$TE" "$NE"

# best RUNS of "$@" (stdout to /dev/null): "WALL CPU" in seconds
best() {
	b=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		"$TIME" -f "%e %U %S" -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" ||
			{ echo "$0: failed: $*" >&2; cat "$TMP/err" >&2; exit 1; }
		r=$(awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$TMP/time")
		b=$(printf '%s\n%s\n' "$r" "$b" | awk 'NF { if (m == "" || $1 < m) { m = $1; c = $2 } } END { print m, c }')
		i=$((i + 1))
	done
	echo "$b"
}

events() {
	"$KSCOPE" query "$1" -F csv "SELECT (SELECT count(*) FROM syscalls) + (SELECT count(*) FROM sched_switch) + (SELECT count(*) FROM sched_wakeup) + (SELECT count(*) FROM sched_migrate) + (SELECT count(*) FROM proc_events) + (SELECT count(*) FROM net_events)" | tail -1 | tr -d '\r'
}

# line LABEL "WALL CPU" FLOOR_WALL EVENTS
line() {
	echo "$2 $3 $4" | awk -v l="$1" '{
		printf "%-34s %7.3f s  (cpu %7.3f s)  %6.2fx floor  %5.2fM events/s\n",
			l, $1, $2, $1 / $3, $4 / $1 / 1e6 }'
}

ev=$(events "$T")
echo "replay: $T, $ev events, best of $RUNS runs, $(nproc) cpus," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
floor=$(best "$WALK" "$T")
line "floor: cursor walk, all fields" "$floor" "${floor%% *}" "$ev"
r_text=$(best "$KSCOPE" replay "$T")
line "replay > /dev/null" "$r_text" "${floor%% *}" "$ev"
r_sql=$(best "$KSCOPE" replay "$T" 'cpu >= 0')
line "replay 'cpu >= 0' (SQL plan)" "$r_sql" "${floor%% *}" "$ev"
r_sel=$(best "$KSCOPE" replay "$T" 'errno = ENOENT or dur > 10ms')
line "replay 'errno = ENOENT or dur>10ms'" "$r_sel" "${floor%% *}" "$ev"
r_json=$(best "$KSCOPE" replay "$T" --format json)
line "replay --format json" "$r_json" "${floor%% *}" "$ev"

eve=$(events "$TE")
echo
echo "export: $TE, $eve events"
floore=$(best "$WALK" "$TE")
line "floor: cursor walk, all fields" "$floore" "${floore%% *}" "$eve"
# (export refuses an existing -o, /dev/null included: standard output is
# /dev/null here; -f replaces the earlier run's csv directory)
x_pf=$(best "$KSCOPE" export "$TE" -F perfetto)
line "export perfetto > /dev/null" "$x_pf" "${floore%% *}" "$eve"
x_csv=$(best "$KSCOPE" export "$TE" -F csv -o "$TMP/csv" -f)
line "export csv -o DIR" "$x_csv" "${floore%% *}" "$eve"

echo
echo "$ev $r_text $eve $x_pf" | awk '{
	lps = $1 / $2; lpc = $1 / $3
	printf "target replay >= 1M lines/s: %.2fM lines/s (%.2fM per cpu second)  %s\n",
		lps / 1e6, lpc / 1e6, (lps >= 1e6) ? "met" : "NOT met"
	t = $5 * 1e6 / $4; tc = $6 * 1e6 / $4
	printf "target export of 1M events < 2 s: %.2f s per 1M events (cpu %.2f s)  %s\n",
		t, tc, (t < 2) ? "met" : "NOT met" }'
