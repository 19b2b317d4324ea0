#!/bin/sh
# read-compact.sh - what compaction costs and what it does to reading:
# an earlier build's trace (LZ4 chunks) against this build's, compacted
# as the recorder leaves it, in one run.
#
#     KSCOPE_BASE=/path/to/old/kscope SYNTH_BASE=/path/to/old/kscope-synth \
#         sh bench/read-compact.sh [-n SYSCALLS] [-r RUNS] [-H]
#     make bench-read-compact KSCOPE_BASE=... SYNTH_BASE=...
#
# Both synthetic traces hold the same events (kscope-synth seed 1, -n
# SYSCALLS, 10M by default): "base" written by SYNTH_BASE and read by
# KSCOPE_BASE, "new" written by this build's kscope-synth, then compacted
# with `kscope compact -l 9` (the recorder's level at close; timed; with
# -H also -l 19, kscope compact's default, on a copy: about 10 times
# slower).  Each reading runs RUNS
# times (3); the best wall time counts, its CPU time (user + sys) beside
# it, since the machine may be shared:
#   replay     kscope replay FILE >/dev/null (every event, every column)
#   group      SELECT name, count(*), avg(dur) FROM syscalls GROUP BY name
#   range      count(*) and sum(dur) of the middle 1% of the trace's time
#   walk       bench/cursor-walk FILE (every event through the cursor)
set -eu
N=10000000
RUNS=3
HIGH=
while getopts n:r:H opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	H) HIGH=1 ;;
	*) echo "usage: $0 [-n SYSCALLS] [-r RUNS] [-H]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
WALK=${WALK:-bench/cursor-walk}
: "${KSCOPE_BASE:?set KSCOPE_BASE to an earlier build\'s kscope}"
: "${SYNTH_BASE:?set SYNTH_BASE to the same build\'s kscope-synth}"
WALK_BASE=${WALK_BASE:-$(dirname "$KSCOPE_BASE")/cursor-walk}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "$0: needs GNU time ($TIME)" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-read-compact.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

echo "writing two traces of $N syscalls ..."
"$SYNTH_BASE" -o "$TMP/base.kscope" -n "$N" >/dev/null
"$SYNTH" -o "$TMP/new.kscope" -n "$N" >/dev/null
[ -z "$HIGH" ] || cp "$TMP/new.kscope" "$TMP/new19.kscope"
secs() { # what to time...: wall and CPU seconds of one run
	"$TIME" -f "%e %U %S" -o "$TMP/t" "$@" >/dev/null 2>&1
	awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$TMP/t"
}
sz() { stat -c %s "$1"; }
n0=$(sz "$TMP/new.kscope")
c9=$(secs "$KSCOPE" compact -l 9 "$TMP/new.kscope")
printf "%-8s %14s\n" trace bytes
printf "%-8s %14d\n" base "$(sz "$TMP/base.kscope")" "new lz4" "$n0" \
	new "$(sz "$TMP/new.kscope")"
echo "compact -l 9:  ${c9% *} s wall, ${c9#* } s CPU"
if [ -n "$HIGH" ]; then
	c19=$(secs "$KSCOPE" compact -l 19 "$TMP/new19.kscope")
	printf "%-8s %14d   (kscope compact -l 19)\n" new19 \
		"$(sz "$TMP/new19.kscope")"
	echo "compact -l 19: ${c19% *} s wall, ${c19#* } s CPU"
	rm -f "$TMP/new19.kscope"
fi

q() { "$1" query "$2" "$3" --format csv | tail -n 1 | tr -d '\r'; }
span=$(q "$KSCOPE" "$TMP/new.kscope" \
	"SELECT min(ts) || ' ' || max(ts) FROM syscalls")
lo=$(echo "$span" | awk '{ printf "%.0f", $1 + ($2 - $1) * 0.495 }')
hi=$(echo "$span" | awk '{ printf "%.0f", $1 + ($2 - $1) * 0.505 }')
GROUP="SELECT name, count(*), avg(dur) FROM syscalls GROUP BY name"
RANGE="SELECT count(*), sum(dur) FROM syscalls WHERE ts BETWEEN $lo AND $hi"

best() { # name binary... : the best of RUNS runs
	b=
	for i in $(seq "$RUNS"); do
		t=$(secs "$@")
		b=$(printf '%s\n%s\n' "$b" "$t" | awk 'NF' | sort -n | head -n 1)
	done
	echo "$b"
}
printf "\n%-8s %22s %22s %8s\n" reading "base s (CPU)" "new s (CPU)" new/base
row() { # label base-result new-result
	awk -v l="$1" -v b="$2" -v n="$3" 'BEGIN {
		split(b, x, " "); split(n, y, " ")
		printf "%-8s %12.3f (%7.3f) %12.3f (%7.3f) %8.2f\n", l, x[1],
			x[2], y[1], y[2], (x[1] > 0 ? y[1] / x[1] : 0) }'
}
row replay "$(best "$KSCOPE_BASE" replay "$TMP/base.kscope")" \
	"$(best "$KSCOPE" replay "$TMP/new.kscope")"
row group "$(best "$KSCOPE_BASE" query "$TMP/base.kscope" "$GROUP")" \
	"$(best "$KSCOPE" query "$TMP/new.kscope" "$GROUP")"
row range "$(best "$KSCOPE_BASE" query "$TMP/base.kscope" "$RANGE")" \
	"$(best "$KSCOPE" query "$TMP/new.kscope" "$RANGE")"
if [ -x "$WALK_BASE" ] && [ -x "$WALK" ]; then
	row walk "$(best "$WALK_BASE" "$TMP/base.kscope")" \
		"$(best "$WALK" "$TMP/new.kscope")"
fi
# The same answers from both.
all() { "$1" query "$2" "$3" --format csv | sort; }
[ "$(all "$KSCOPE_BASE" "$TMP/base.kscope" "$GROUP")" = \
  "$(all "$KSCOPE" "$TMP/new.kscope" "$GROUP")" ] ||
	{ echo "$0: base and new answer differently" >&2; exit 1; }
