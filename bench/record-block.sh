#!/bin/sh
# record-block.sh - what block_io recording costs a block request.
#
#     make bench-record-block                 (root; from the build dir)
#     sh bench/record-block.sh [-n REQUESTS] [-r RUNS]
#
# A loop device over a file in the page cache makes requests cheap (the
# block layer and the loop driver, no disk), so the recorder's share of a
# request shows.  dd reads REQUESTS blocks of 4 KiB from it with O_DIRECT
# (one request each): untraced, and with `kscope record -a -e block`
# running (attached before dd starts).  RUNS of each, interleaved; the
# fastest counts (the machine may be shared).  Prints us per request, the
# rows the recorder wrote for the device and the recorder's own CPU time
# per row (meta recorder_cpu_ns: draining, converting, compressing,
# writing).
set -u
N=20000
RUNS=5
while getopts n:r: o; do
	case $o in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: record-block.sh [-n REQUESTS] [-r RUNS]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
[ "$(id -u)" -eq 0 ] || { echo "record-block: needs root" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-bench.XXXXXX")
loop=
cleanup() {
	[ -n "$loop" ] && losetup -d "$loop"
	rm -rf "$TMP"
}
trap cleanup EXIT
q() { "$KSCOPE" query "$1" "$2" --format csv | tail -n +2 | tr -d '\r'; }
min() { awk 'NR == 1 || $1 < m { m = $1 } END { print m }'; }

dd if=/dev/zero of="$TMP/backing" bs=4096 count="$N" status=none
loop=$(losetup -f --show "$TMP/backing") || exit 1
name=${loop#/dev/}
cat "$TMP/backing" >/dev/null # into the page cache

# ns for N direct reads of the loop device
reads() {
	t0=$(date +%s%N)
	dd if="$loop" of=/dev/null bs=4096 count="$N" iflag=direct status=none
	t1=$(date +%s%N)
	echo $((t1 - t0))
}

i=0
while [ $i -lt "$RUNS" ]; do
	reads >>"$TMP/untraced.ns"
	: >"$TMP/rec.err" # not the last run's "recording" line
	"$KSCOPE" record -a -e block -f -o "$TMP/b.kscope" 2>"$TMP/rec.err" &
	rec=$!
	until grep -q "^kscope: record: recording" "$TMP/rec.err"; do
		kill -0 $rec 2>/dev/null || { cat "$TMP/rec.err"; exit 1; }
		sleep 0.05
	done
	reads >>"$TMP/block.ns"
	kill -INT $rec
	wait $rec
	rows=$(q "$TMP/b.kscope" "SELECT count(*) FROM block_io WHERE dev='$name' AND op='read'")
	echo "$rows" >>"$TMP/rows"
	q "$TMP/b.kscope" "SELECT (SELECT value FROM meta WHERE key='recorder_cpu_ns') / (SELECT count(*) FROM block_io)" >>"$TMP/cpu"
	i=$((i + 1))
done

base=$(min <"$TMP/untraced.ns")
blk=$(min <"$TMP/block.ns")
echo "record-block: $N direct 4 KiB reads of $name per run, best of $RUNS, $(nproc) cpus"
awk -v b="$base" -v k="$blk" -v n="$N" 'BEGIN {
	printf "%-24s %8.2f us/request\n", "untraced", b / n / 1000
	printf "%-24s %8.2f us/request  %.2fx  +%.2f us\n", "kscope record -e block",
		k / n / 1000, k / b, (k - b) / n / 1000
}'
echo "block_io rows of $name per traced run: $(sort -n "$TMP/rows" | tr '\n' ' ')(want $N)"
echo "recorder CPU (user side, all of it) per block_io row: $(min <"$TMP/cpu") ns"
