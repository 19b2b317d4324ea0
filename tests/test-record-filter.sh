#!/bin/sh
# test-record-filter.sh - narrowing in the kernel: -p follows a running
# process and what it forks, and --max-size with --ring keeps only the
# newest data (--cgroup: test-record-cgroup.sh).
. "${srcdir:-.}/tests/record-lib.sh"
record_require

two_loops
pids="$a $b"
trap 'kill $pids 2>/dev/null; rm -rf "$TMP"' EXIT

# -p: the tree under $a, forks included; nothing of $b.
"$KSCOPE" record -q -p $a -d 1.5 -o "$TMP/p.kscope" 2>"$TMP/p.err"
rc=$?
[ "$rc" -eq 0 ] || sed 's/^/  record: /' "$TMP/p.err"
eq "-p: exit 0" "$rc" 0
ge "-p: children forked by the target are followed" \
	"$(q "$TMP/p.kscope" "SELECT count(*) FROM syscalls WHERE path='$m1' AND name IN ('open','openat')")" 5
eq "-p: nothing of the other loop" \
	"$(q "$TMP/p.kscope" "SELECT count(*) FROM syscalls WHERE path='$m2' OR pid=$b")" 0
eq "-p: snapshot holds the target, not the rest" \
	"$(q "$TMP/p.kscope" "SELECT group_concat(pid) FROM processes WHERE pid IN ($a, $b, 1)")" "$a"

# --ring: a flight recorder keeps the newest chunks within the limit.
"$WORKLOAD" --loop 100000000 &
load=$!
pids="$pids $load"
"$KSCOPE" record -q -a -e syscall --max-size 2M --ring -d 4 \
	-o "$TMP/ring.kscope" 2>"$TMP/ring.err"
rc=$?
kill $load 2>/dev/null
[ "$rc" -eq 0 ] || sed 's/^/  record: /' "$TMP/ring.err"
eq "--ring: exit 0 (dropping is not an error)" "$rc" 0
size=$(stat -c %s "$TMP/ring.kscope")
check "--ring: file within the limit ($size bytes)" \
	test "$size" -le $((2 * 1024 * 1024 + 512 * 1024))
ge "--ring: oldest chunks were dropped" \
	"$(q "$TMP/ring.kscope" "SELECT value FROM meta WHERE key='ring_dropped_chunks'")" 1
ge "--ring: the newest second is there" \
	"$(q "$TMP/ring.kscope" "SELECT count(*) FROM syscalls WHERE ts > (SELECT value FROM meta WHERE key='end_ts') - 1000000000")" 1000
finish
