#!/bin/sh
# test-record-block.sh - kind block_io, against the kernel's own counters.
# A writer writes N blocks with O_DIRECT into a file on the disk under
# /var/tmp, each fsynced, reads them back, then the file is removed and the file system
# synced (discards), while `record -a -e block` runs: the writer's rows
# are on that disk, attributed to it, with at least the bytes it moved.
# /sys/block/DISK/stat, read before and after that I/O, is the oracle:
# the rows completed between the two reads are the requests the kernel
# counted as completed, per group (reads, writes, discards, flushes) and
# in sectors.  Each read is bracketed by the boot clock; a completion that
# falls inside a bracket (or within a millisecond of its edge: the counter
# is bumped just after the tracepoint) may be on either side, so the
# check is LOW <= counter <= HIGH, which is exact (LOW = HIGH) unless I/O
# completed during a read.  `report io` agrees with SQL on the writer's
# rows.  Then `-e syscall` records no block_io rows and `-e block` nothing
# else.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
BLKIO=${BLKIO:-tests/blkio}

dir=/var/tmp
mm=$(stat -c '%Hd:%Ld' "$dir" 2>/dev/null)
sys=$(readlink -f "/sys/dev/block/$mm" 2>/dev/null)
[ -n "$mm" ] && [ -n "$sys" ] && [ -d "$sys" ] ||
	skip "$dir is not on a block device ($mm)"
[ -f "$sys/partition" ] && sys=$(dirname "$sys")
disk=$(basename "$sys")
[ -r "/sys/block/$disk/stat" ] || skip "no /sys/block/$disk/stat"
file=$(mktemp "$dir/kscope-blk.XXXXXX") || skip "cannot write in $dir"
trap 'rm -rf "$TMP" "$file"' EXIT
n=8
size=65536

trace=$TMP/block.kscope
"$KSCOPE" record -a -e block -o "$trace" 2>"$TMP/rec.err" &
rec_pid=$!
wait_for "the recorder" ready "$TMP/rec.err"
"$BLKIO" stat "$disk" >"$TMP/s0"
"$BLKIO" dio "$file" $n $size >"$TMP/io.out"
# freed blocks: discards, when the file system is mounted with discard
rm -f "$file"
sync -f "$dir"
"$BLKIO" stat "$disk" >"$TMP/s1"
kill -INT $rec_pid
wait $rec_pid
rc=$?
eq "record exits 0" "$rc" 0
[ "$rc" -eq 0 ] || { cat "$TMP/rec.err"; exit 1; }

# A completion the kernel does not hand to the program (see docs/RECORD.md)
# is counted as lost: the rows may then miss that many requests, so the
# byte counts are not checked and the request counts below allow for it.
lost=$(meta "$trace" lost_block)
check "lost requests are counted ($lost)" test -n "$lost"

pid=$(kv "$TMP/io.out" pid)
want=$((n * size))
eq "the writer wrote and read back its bytes" \
	"$(kv "$TMP/io.out" written) $(kv "$TMP/io.out" read)" "$want $want"
mine="dev='$disk' AND pid=$pid AND tid=$pid AND comm='blkio'"
# at_least WHAT GOT: GOT >= $want, unless requests were lost
at_least() {
	if [ "$lost" -gt 0 ] && [ -n "$2" ] && [ "$2" -lt $want ]; then
		echo "skip $1: $2 bytes, $lost requests lost"
	else
		ge "$1" "$2" $want
	fi
}
at_least "its data writes on $disk, attributed to it (bytes)" \
	"$(q "$trace" "SELECT sum(bytes) FROM block_io WHERE $mine AND op='write'")"
at_least "its reads on $disk, attributed to it (bytes)" \
	"$(q "$trace" "SELECT sum(bytes) FROM block_io WHERE $mine AND op='read'")"
eq "each of its requests completed without error" \
	"$(q "$trace" "SELECT count(*) FROM block_io WHERE $mine AND (dur <= 0 OR error != 0)")" 0
if [ "$(cat "/sys/block/$disk/queue/write_cache" 2>/dev/null)" = "write back" ]; then
	ge "device flushes while it fsyncs (write-back cache)" \
		"$(q "$trace" "SELECT count(*) FROM block_io WHERE dev='$disk' AND op='flush' AND ts > $(kv "$TMP/s0" t1) AND ts < $(kv "$TMP/s1" t0)")" 1
fi
eq "classes: block only" "$(meta "$trace" classes)" block
eq "-e block records no other kind" \
	"$(q "$trace" "SELECT (SELECT count(*) FROM syscalls) + (SELECT count(*) FROM sched_switch) + (SELECT count(*) FROM proc_events)")" 0

# The oracle.  Completed = dur > 0 (in flight at stop: dur 0).
a0=$(kv "$TMP/s0" t0) b0=$(kv "$TMP/s0" t1)
a1=$(kv "$TMP/s1" t0) b1=$(kv "$TMP/s1" t1)
m=1000000
# bracket WHAT KEY OPS [sectors]: rows of ops OPS vs the counter KEY.
bracket() {
	want=$(($(kv "$TMP/s1" $2) - $(kv "$TMP/s0" $2)))
	g="dev='$disk' AND dur > 0 AND op IN ($3)"
	if [ "$4" = sectors ]; then
		# bytes move between issue and last completion
		lo="SELECT coalesce(sum(bytes), 0) / 512 FROM block_io WHERE $g AND ts > $b0 AND ts + dur < $a1 - $m"
		hi="SELECT coalesce(sum(bytes), 0) / 512 FROM block_io WHERE $g AND ts < $b1 AND ts + dur > $a0 - $m"
	else
		lo="SELECT count(*) FROM block_io WHERE $g AND ts + dur > $b0 AND ts + dur < $a1 - $m"
		hi="SELECT count(*) FROM block_io WHERE $g AND ts + dur > $a0 - $m AND ts + dur < $b1"
	fi
	lo=$(q "$trace" "$lo")
	hi=$(q "$trace" "$hi")
	if [ "$lost" -gt 0 ]; then
		if [ "$4" = sectors ]; then
			echo "skip $1: $lost requests lost"
			return
		fi
		hi=$((hi + lost))
	fi
	if [ -n "$lo" ] && [ "$lo" -le "$want" ] && [ "$want" -le "$hi" ]; then
		ex=""
		[ "$lo" = "$hi" ] && ex=", exact"
		echo "ok   $1: $2 +$want, rows $lo..$hi$ex"
	else
		echo "FAIL $1: $2 +$want, rows $lo..$hi"
		failures=$((failures + 1))
	fi
}
bracket "reads completed" rd_ios "'read'"
bracket "read sectors" rd_sect "'read'" sectors
bracket "writes completed" wr_ios "'write','write_zeroes','secure_erase'"
bracket "written sectors" wr_sect "'write','write_zeroes','secure_erase'" sectors
bracket "discards completed" dc_ios "'discard'"
bracket "discarded sectors" dc_sect "'discard'" sectors
bracket "flushes completed" fl_ios "'flush'"
check "the writer's I/O is inside the window" test \
	"$(q "$trace" "SELECT count(*) FROM block_io WHERE $mine AND (ts < $b0 OR ts + dur > $a1)")" = 0

# report io: the writer's row against SQL on the same rows (p50 by the
# nearest rank, ceil(n / 2), counted the other way round).
"$KSCOPE" report "$trace" io --pid $pid --format csv >"$TMP/io.csv"
got=$(sed -n '/^# by_process/{n;n;p}' "$TMP/io.csv" | cut -d, -f1-6 | tr , ' ')
c=$(q "$trace" "SELECT count(*) FROM block_io WHERE pid=$pid AND dur > 0")
want=$(q "$trace" "SELECT '$pid blkio $disk ' || count(*) || ' ' || sum(bytes) || ' ' || (SELECT dur FROM block_io WHERE pid=$pid AND dur > 0 ORDER BY dur LIMIT 1 OFFSET $(((c + 1) / 2 - 1))) FROM block_io WHERE pid=$pid AND dur > 0")
eq "report io: the writer's requests, bytes and p50" "$got" "$want"

# -e syscall: no block programs, no rows.
trace2=$TMP/syscall.kscope
"$KSCOPE" record -a -e syscall -o "$trace2" 2>"$TMP/rec2.err" &
rec_pid=$!
wait_for "the recorder" ready "$TMP/rec2.err"
"$BLKIO" dio "$file" 2 $size >"$TMP/io2.out"
kill -INT $rec_pid
wait $rec_pid
eq "-e syscall: record exits 0" "$?" 0
pid2=$(kv "$TMP/io2.out" pid)
ge "-e syscall: the writer's fsyncs are there" \
	"$(q "$trace2" "SELECT count(*) FROM syscalls WHERE pid=$pid2 AND name='fsync'")" 2
eq "-e syscall: no block_io rows" \
	"$(q "$trace2" "SELECT count(*) FROM block_io")" 0
finish
