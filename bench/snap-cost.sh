#!/bin/sh
# snap-cost.sh - what payload snapshots cost: bench/sysloop (getppid, a 64 B
# read of /dev/zero, a 64 B write to /dev/null) recorded with --snaplen 0,
# 64 and 256, interleaved, against the loop untraced in the same run.
#
#     sh bench/snap-cost.sh [-n LOOPS] [-r ROUNDS]     (root; from the build
#                                                       directory)
#     make bench-snap [BENCH_SNAP_FLAGS="-r 5"]
#
# Per snaplen: the loop's ns per syscall (and its ratio to the untraced
# loop), the trace's bytes per syscall, the recorder's CPU (meta
# recorder_cpu_ns: user + system) per million syscalls and as a share of
# one CPU over the loop's run.  Medians over the rounds.  The loop's
# buffers are 64 bytes of zeros: a snaplen past 64 keeps 64 bytes, and
# equal payloads share one dictionary entry per chunk, so those byte
# figures are of repetitive data.  The worst case follows: dd copying
# /dev/urandom to /dev/null in 4 KiB blocks, every payload new and
# incompressible (bytes per syscall and recorder CPU per million).
set -eu
KSCOPE=${KSCOPE:-./kscope}
SYSLOOP=${SYSLOOP:-bench/sysloop}
loops=1000000
rounds=3
while getopts n:r: o; do
	case $o in
	n) loops=$OPTARG ;;
	r) rounds=$OPTARG ;;
	*) echo "usage: $0 [-n LOOPS] [-r ROUNDS]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "snap-cost: needs root" >&2; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kscope-snap-cost.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# field NAME LINE: the value of NAME=... in LINE
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

r=1
while [ $r -le "$rounds" ]; do
	out=$("$SYSLOOP" "$loops")
	field ns_per_syscall "$out" >>"$tmp/base.ns"
	for s in 0 64 256; do
		t=$tmp/s$s.kscope
		rm -f "$t"
		out=$("$KSCOPE" record -q -e syscall -o "$t" --snaplen $s -- \
			"$SYSLOOP" "$loops")
		n=$(field syscalls "$out")
		el=$(field elapsed_ns "$out")
		field ns_per_syscall "$out" >>"$tmp/s$s.ns"
		cpu=$("$KSCOPE" query "$t" "SELECT value FROM meta WHERE
			key = 'recorder_cpu_ns'" --format csv | tail -n 1 |
			tr -d '\r')
		size=$(stat -c %s "$t")
		echo "$size $n" | awk '{ printf "%.2f\n", $1 / $2 }' \
			>>"$tmp/s$s.bytes"
		echo "$cpu $n" | awk '{ printf "%.1f\n", $1 / 1e6 / ($2 / 1e6) }' \
			>>"$tmp/s$s.cpu"
		echo "$cpu $el" | awk '{ printf "%.1f\n", 100 * $1 / $2 }' \
			>>"$tmp/s$s.pct"
	done
	for s in 0 64 256; do
		t=$tmp/u$s.kscope
		rm -f "$t"
		"$KSCOPE" record -q -e syscall -o "$t" --snaplen $s -- \
			dd if=/dev/urandom of=/dev/null bs=4096 count=100000 \
			2>/dev/null
		n=$("$KSCOPE" query "$t" "SELECT count(*) FROM syscalls" \
			--format csv | tail -n 1 | tr -d '\r')
		cpu=$("$KSCOPE" query "$t" "SELECT value FROM meta WHERE
			key = 'recorder_cpu_ns'" --format csv | tail -n 1 |
			tr -d '\r')
		echo "$(stat -c %s "$t") $n" |
			awk '{ printf "%.2f\n", $1 / $2 }' >>"$tmp/u$s.bytes"
		echo "$cpu $n" | awk '{ printf "%.1f\n", $1 / 1e6 / ($2 / 1e6) }' \
			>>"$tmp/u$s.cpu"
	done
	r=$((r + 1))
done

base=$(median <"$tmp/base.ns")
printf "untraced loop: %s ns/syscall (median of %d)\n" "$base" "$rounds"
printf "%-8s %10s %7s %12s %16s %14s\n" snaplen ns/syscall ratio \
	bytes/syscall "recorder ms/M" "recorder %CPU"
for s in 0 64 256; do
	ns=$(median <"$tmp/s$s.ns")
	printf "%-8s %10s %7s %12s %16s %14s\n" "$s" "$ns" \
		"$(echo "$ns $base" | awk '{ printf "%.2fx", $1 / $2 }')" \
		"$(median <"$tmp/s$s.bytes")" "$(median <"$tmp/s$s.cpu")" \
		"$(median <"$tmp/s$s.pct")"
done
echo "random data (dd /dev/urandom -> /dev/null, 4 KiB blocks):"
printf "%-8s %12s %16s\n" snaplen bytes/syscall "recorder ms/M"
for s in 0 64 256; do
	printf "%-8s %12s %16s\n" "$s" "$(median <"$tmp/u$s.bytes")" \
		"$(median <"$tmp/u$s.cpu")"
done
