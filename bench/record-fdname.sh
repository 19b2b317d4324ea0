#!/bin/sh
# record-fdname.sh - what naming fds (syscalls.fd_name) costs the
# recorder, against a recorder without it, in the same run.
#
#     KSCOPE_BASE=/path/to/old/kscope [N=ITER] [RUNS=R] sh bench/record-fdname.sh
#
# KSCOPE_BASE is a kscope built without fd names (any older build).  Two
# workloads, each recorded RUNS times by both recorders, interleaved:
#   loop   bench/sysloop (getppid, read of /dev/zero, write to /dev/null:
#          two of three calls have an fd), -e syscall
#   files  tar of /usr/include into a file: opens, fstat, reads, close
#          of ~8000 files and the archive's writes (nearly every call has
#          an fd)
# For each: the loop's ns per syscall (loop only; fastest run), the
# recorder's CPU time per recorded syscall (meta recorder_cpu_ns; fastest
# run) and the trace's bytes per syscall (the file's size over the
# syscalls it holds).
set -u
N=${N:-1000000}
RUNS=${RUNS:-5}
KSCOPE=${KSCOPE:-./kscope}
LOOP=${LOOP:-bench/sysloop}
TREE=${TREE:-/usr/include}
[ "$(id -u)" -eq 0 ] || { echo "record-fdname: needs root" >&2; exit 77; }
[ -x "${KSCOPE_BASE:-}" ] || { echo "record-fdname: set KSCOPE_BASE" >&2; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

min() { awk 'NR == 1 || $1 < m { m = $1 } END { print m }'; }
q() { "$KSCOPE" query "$1" "$2" --format csv | tail -n +2 | tr -d '\r'; }

# one WORKLOAD RECORDER NAME: record once, note the figures.
one() {
	t=$TMP/$3.kscope
	case $1 in
	loop) "$2" record -q -f -e syscall -o "$t" -- "$LOOP" "$N" \
		2>/dev/null | sed -n 's/.*ns_per_syscall=\([0-9.]*\).*/\1/p' \
		>> "$TMP/$3.ns" ;;
	files) "$2" record -q -f -e syscall -o "$t" -- \
		tar cf "$TMP/tree.tar" "$TREE" 2>/dev/null ;;
	esac
	n=$(q "$t" "SELECT count(*) FROM syscalls")
	cpu=$(q "$t" "SELECT value FROM meta WHERE key='recorder_cpu_ns'")
	awk -v c="$cpu" -v n="$n" 'BEGIN { printf "%.1f\n", c / n }' \
		>> "$TMP/$3.cpu"
	awk -v s="$(stat -c %s "$t")" -v n="$n" 'BEGIN { printf "%.2f\n", s / n }' \
		>> "$TMP/$3.bytes"
	echo "$n" > "$TMP/$3.n"
}

i=0
while [ $i -lt "$RUNS" ]; do
	for w in loop files; do
		one $w "$KSCOPE_BASE" "$w-base"
		one $w "$KSCOPE" "$w-fdname"
	done
	i=$((i + 1))
done

echo "record-fdname: best of $RUNS runs, $(nproc) cpus, loop $((3 * N)) syscalls"
printf '%-13s %10s %14s %14s %10s\n' run syscalls loop_ns/call \
	recorder_ns/call bytes/call
for w in loop files; do
	for v in base fdname; do
		r=$w-$v
		ns=-
		[ -s "$TMP/$r.ns" ] && ns=$(min < "$TMP/$r.ns")
		printf '%-13s %10s %14s %14s %10s\n' "$r" "$(cat "$TMP/$r.n")" \
			"$ns" "$(min < "$TMP/$r.cpu")" "$(min < "$TMP/$r.bytes")"
	done
done
q "$TMP/files-fdname.kscope" "SELECT 'files: ' || count(*) || ' calls with an fd, ' || count(fd_name) || ' named (' || round(100.0 * count(fd_name) / count(*), 1) || '%)' FROM syscalls WHERE fd >= 0"
