#!/bin/sh
# test-record-flood.sh - an event flood far past the ring's capacity: the
# kernel side drops and counts, what was recorded plus what was counted
# lost is perf's count of the same calls, the recorder keeps up again
# after it, and its memory stays within its bound (docs/RECORD.md,
# "Faults").  Skips (77) where perf cannot count the calls.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v perf >/dev/null 2>&1 || skip "perf is not installed (linux-perf)"
perf stat -x, -e raw_syscalls:sys_enter -o "$TMP/perf.probe" true \
	>/dev/null 2>&1 ||
	skip "perf cannot count raw_syscalls:sys_enter here"

# Two loops more than there are CPUs, at full speed, recorded with a 256 KiB
# ring (so the recorder has no CPU of its own): the ring fills between two
# drains and the kernel side must drop and count.  Afterwards the recorder must keep up again: a marker 2 s after the
# flood is recorded, and no loss is counted from then on.  The flood is a
# command's tree (-- CMD), so that other jobs on a shared machine do not
# add losses of their own after it.
flood=$TMP/flood.kscope
marker=$TMP/flood-marker
echo marker >"$marker"
nloops=$(($(nproc 2>/dev/null || echo 2) + 2))
# perf counts the flood's calls (sys_enter of sh and its descendants, from
# sh's exec on): the oracle for recorded + lost.
"$KSCOPE" record -q --buffer-size 256K -o "$flood" -- \
	perf stat -x, -o "$TMP/flood.perf" -e raw_syscalls:sys_enter -- sh -c '
	i=0
	while [ $i -lt $2 ]; do "$0" --loop 200000 & i=$((i + 1)); done
	wait
	sleep 2
	cat "$1" >/dev/null
	sleep 1.5' "$WORKLOAD" "$marker" $nloops 2>"$TMP/flood.err"
eq "flood: exit 0" "$?" 0
lost=$(meta "$flood" lost_total)
ge "flood: events were lost and counted" "$lost" 1
eq "flood: the lost table sums to meta's lost_total" \
	"$(q "$flood" "SELECT sum(count) FROM lost")" "$lost"
for c in syscall sched proc net; do
	eq "flood: lost_$c matches the lost table" \
		"$(q "$flood" "SELECT coalesce(sum(count), 0) FROM lost WHERE class='$c'")" \
		"$(meta "$flood" lost_$c)"
done
# Like with like: every call of sh and its descendants from sh's
# exec on, recorded or lost, against perf's count of the same calls.
# (perf's own calls are not in its count; no loss falls on them, as
# perf waits in one wait4 through the flood.)
pp=$(q "$flood" "SELECT pid FROM proc_events WHERE kind='exec' ORDER BY ts LIMIT 1")
shx=$(q "$flood" "SELECT pid || ' ' || ts FROM proc_events WHERE kind='exec' AND pid != $pp ORDER BY ts LIMIT 1")
got=$(q "$flood" "SELECT count(*) FROM syscalls WHERE pid != $pp AND NOT (pid = ${shx% *} AND ts < ${shx#* })")
want=$(sed -n 's/^\([0-9]*\),.*raw_syscalls:sys_enter.*/\1/p' "$TMP/flood.perf")
eq "flood: recorded + lost = perf's count of the flood's calls ($got + $(meta "$flood" lost_syscall))" \
	"$((got + $(meta "$flood" lost_syscall)))" "$want"
mts=$(q "$flood" "SELECT min(ts) FROM syscalls WHERE path='$marker' AND name IN ('open','openat')")
check "flood: the marker 2 s after the flood is recorded" test -n "$mts"
# A loss is stored at the next once-a-second tick, under the start of that
# second: rows of the flood are at most ~1.1 s after its end, the marker
# is 2 s after it.  Block I/O is left out: it is recorded system-wide, and
# this machine's kernel loses completions of other tasks whatever the
# recorder does (docs/RECORD.md, "Block I/O"; lost_but_block).
eq "flood: no loss counted in the seconds after the flood (but block I/O)" \
	"$(q "$flood" "SELECT count(*) FROM lost WHERE ts >= ${mts:-0} - 800000000
		AND class != 'block'")" 0
n=$(chunks_read_back "$flood")
check "flood: chunks read back" test -n "$n"
# The bound (docs/RECORD.md, "Memory bound"): 32 MiB + 2 x --buffer-size.
# A sanitizer runtime adds shadow memory and a quarantine of freed blocks:
# there the bound is 4 x that.
rss=$(meta "$flood" recorder_max_rss_kb)
bound=$((32 * 1024 + 2 * 256))
if ldd "$KSCOPE" 2>/dev/null | grep -q 'libasan'; then
	bound=$((bound * 4))
fi
check "flood: max RSS ${rss} KiB under the bound of $bound KiB" \
	test -n "$rss" -a "${rss:-0}" -le $bound
echo "flood: $lost events lost ($(q "$flood" "SELECT group_concat(class || '=' || total) FROM (SELECT class, sum(count) AS total FROM lost GROUP BY class)")), $n recorded, max RSS $rss KiB"
finish
