#!/bin/sh
# record-snapshot.sh - what snapshots and --trigger cost the recorder.
#
#     sh bench/record-snapshot.sh [-r ROUNDS]      (root; from the build dir)
#
# 1. A --ring --max-size 64M recording of a syscall loop (bench/sysloop,
#    all CPUs busy with it and the recorder), filled to its size, then
#    ROUNDS SIGUSR1 snapshots: per snapshot the recorder's own figures
#    (the commit that pauses draining, the copy written in a thread), the
#    snapshot's size, and the events lost while it was written (the lost
#    table's rows of those seconds; lost events are always counted there).
# 2. The recorder's CPU (meta recorder_cpu_ns) per million events without
#    --trigger and with --trigger 'dur > 500ms and name = fsync', over the
#    same loop, ROUNDS times each, interleaved.
set -e
KSCOPE=${KSCOPE:-./kscope}
SYSLOOP=${SYSLOOP:-bench/sysloop}
rounds=3
[ "$1" = "-r" ] && rounds=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/kscope-bench.XXXXXX")
trap 'kill $load $rec 2>/dev/null; rm -rf "$T"; true' EXIT
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 1; }

echo "== snapshots of a 64 MiB ring"
"$SYSLOOP" 1000000000 >/dev/null &
load=$!
"$KSCOPE" record -a -e syscall,sched --max-size 64M --ring -o "$T/r.kscope" \
	2>"$T/rec.err" &
rec=$!
# Filled: the file at its size (the ring drops chunks from then on).
i=0
while [ "$(stat -c %s "$T/r.kscope" 2>/dev/null || echo 0)" -lt 60000000 ] &&
      [ $i -lt 600 ]; do
	sleep 0.5
	i=$((i + 1))
done
for n in $(seq 1 "$rounds"); do
	kill -USR1 $rec
	until [ "$(grep -c "snapshot '" "$T/rec.err")" -ge "$n" ]; do
		sleep 0.1
	done
	sleep 2
done
kill -INT $rec
wait $rec || true
kill $load 2>/dev/null || true
tr '\r' '\n' <"$T/rec.err" | sed -n "s/^kscope: record: snapshot '[^']*': /  /p"
for n in $(seq 1 "$rounds"); do
	s=$T/r.snap-$n.kscope
	end=$("$KSCOPE" query "$s" "SELECT value FROM meta WHERE key='end_ts'" --format csv | tail -n1)
	lost=$("$KSCOPE" query "$T/r.kscope" "SELECT coalesce(sum(count),0) FROM lost WHERE ts >= $end - $end % 1000000000 - 1000000000 AND ts <= $end + 2000000000" --format csv | tail -n1)
	echo "  snapshot $n: lost in the seconds around it: $lost"
done
echo "  recording: $("$KSCOPE" query "$T/r.kscope" "SELECT value FROM meta WHERE key='lost_total'" --format csv | tail -n1) lost in all"

echo "== --trigger's cost (recorder CPU per million events)"
cpu_per_m() {
	"$KSCOPE" query "$1" "SELECT round((SELECT value FROM meta WHERE key='recorder_cpu_ns') / 1e6 / ((SELECT sum(count) FROM chunks) / 1e6), 1)" --format csv | tail -n1
}
for n in $(seq 1 "$rounds"); do
	for mode in none trigger; do
		set --
		[ $mode = trigger ] && set -- --trigger "dur > 500ms and name = fsync"
		"$KSCOPE" record -q -f -e syscall -o "$T/c.kscope" "$@" -- \
			"$SYSLOOP" 5000000 >/dev/null
		echo "  $mode: $(cpu_per_m "$T/c.kscope") ms CPU per M events"
	done
done
