#!/bin/sh
# test-record-snap.sh - record --snaplen: payloads and decoded arguments
# against strace's view of the same run.  tests/snapwork writes known bytes
# through a file, a TCP connection and a unix socket pair, sleeps and polls
# with timeouts and makes a non-blocking connect to a closed port; it runs
# under strace -xx -s N, itself recorded by kscope with --snaplen N.  The
# oracles: strace's bytes and decoding (tests/snap-compare.py), the
# workload's own timeouts and SO_ERROR.  A recording without --snaplen has
# no payload at all.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v strace >/dev/null 2>&1 || skip "no strace"
command -v python3 >/dev/null 2>&1 || skip "no python3"
SNAPWORK=${SNAPWORK:-tests/snapwork}
N=64
CALLS=read,write,pread64,pwrite64,sendto,recvfrom,readv,writev,sendmsg,recvmsg
CALLS=$CALLS,nanosleep,clock_nanosleep,ppoll,select,pselect6,futex,poll
CALLS=$CALLS,epoll_wait,getsockopt

T=$TMP/snap.kscope
mkdir "$TMP/w"
"$KSCOPE" record -q -o "$T" --snaplen $N -- strace -qq -E "$NOLEAKS" -xx -s $N \
	-e trace=$CALLS -o "$TMP/strace.out" "$SNAPWORK" "$TMP/w" \
	>"$TMP/work.out" 2>"$TMP/work.err"
eq "recorded the workload under strace" "$?" 0
eq "meta says the snaplen" "$(meta "$T" snaplen)" $N

W="comm = 'snapwork'"
q "$T" "SELECT name, arg0, ret, hex(payload) FROM syscalls WHERE $W
	ORDER BY ts" >"$TMP/calls.csv"
"$KSCOPE" replay "$T" "comm = snapwork" >"$TMP/replay.txt" 2>&1
python3 "${srcdir:-.}/tests/snap-compare.py" "$TMP/strace.out" \
	"$TMP/calls.csv" "$TMP/replay.txt" $N >"$TMP/compare.out"
eq "payloads and decoded arguments agree with strace" "$?" 0
sed 's/^/  /' "$TMP/compare.out"

# the workload's own timeouts: timeout_ns and timeout_kind
while read -r name ns kind; do
	[ "$name" = so_error ] && continue
	got=$(q "$T" "SELECT count(*) FROM syscalls WHERE $W AND name = '$name'
		AND timeout_ns = $ns AND timeout_kind = '$kind'")
	ge "$name: timeout_ns $ns ($kind) as the workload gave it" "$got" 1
done <"$TMP/work.out"
eq "calls without a timeout have none" "$(q "$T" "SELECT count(*) FROM
	syscalls WHERE $W AND timeout_kind IS NOT NULL AND name NOT IN
	('nanosleep', 'clock_nanosleep', 'ppoll', 'select', 'pselect6',
	 'futex', 'epoll_wait', 'poll')")" 0

# a whole payload and a cut one: length(payload) against ret
eq "a short write is whole" "$(q "$T" "SELECT length(payload) = ret,
	payload = CAST('fatal: cannot start' || char(10) AS BLOB) FROM syscalls
	WHERE $W AND name = 'write' AND arg0 = 2")" "1,1"
eq "a long write is cut at the snaplen" "$(q "$T" "SELECT length(payload),
	ret FROM syscalls WHERE $W AND name = 'write' AND ret = 300")" "$N,300"
check "replay shows a write as strace does" grep -qF \
	'write(2, "fatal: cannot start\n", 20) = 20 <' "$TMP/replay.txt"
check "replay marks a cut payload with ..." grep -q \
	'write([0-9]*, "\\x03\\n\\x11.*"\.\.\., 300) = 300 <' "$TMP/replay.txt"

# a refused non-blocking connect: SO_ERROR says ECONNREFUSED
soerr=$(sed -n 's/^so_error \([0-9]*\)$/\1/p' "$TMP/work.out")
eq "the workload saw ECONNREFUSED (111)" "$soerr" 111
check "replay shows getsockopt's SO_ERROR as ECONNREFUSED" grep -q \
	'getsockopt([0-9]*, SOL_SOCKET, SO_ERROR, \[ECONNREFUSED\], \[4\]) = 0 <' \
	"$TMP/replay.txt"

# without --snaplen: no payload anywhere, decoded arguments still
T0=$TMP/nosnap.kscope
"$KSCOPE" record -q -o "$T0" -- "$SNAPWORK" "$TMP/w" >/dev/null 2>&1
eq "recorded without --snaplen" "$?" 0
eq "no payload without --snaplen" "$(q "$T0" "SELECT count(payload)
	FROM syscalls")" 0
ge "data calls recorded" "$(q "$T0" "SELECT count(*) FROM syscalls
	WHERE comm = 'snapwork' AND name IN ('read', 'write')")" 5
eq "timeouts decoded without --snaplen" "$(q "$T0" "SELECT timeout_ns,
	timeout_kind FROM syscalls WHERE comm = 'snapwork'
	AND name = 'nanosleep'")" "5000000,relative"
finish
