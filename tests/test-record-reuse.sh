#!/bin/sh
# test-record-reuse.sh - a thread id reused on the same CPU does not carry
# the pid filter's answer for its former owner over to the new one.
#
# tests/tidreuse (see there) forces the kernel to hand a tid that an
# untraced task last used on CPU k to a new thread of the process recorded
# with -p, which then calls getppid 3 times on CPU k (round A), and a tid
# that a thread of that process last used on CPU k to an untraced process
# doing the same (round B).  No other task makes a call on CPU k between
# the two.  The trace must hold the 3 calls of each A thread, on CPU k,
# and nothing of any B process.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
TIDREUSE=${TIDREUSE:-tests/tidreuse}

mkfifo "$TMP/go"
exec 3<>"$TMP/go"
"$TIDREUSE" 5 <&3 >"$TMP/tr.out" 2>"$TMP/tr.err" &
helper=$!
wait_for "the traced process" grep -qs '^traced_pid=\|^skip=' "$TMP/tr.out" ||
	finish
if grep -q '^skip=' "$TMP/tr.out"; then
	wait $helper
	skip "$(kv "$TMP/tr.out" skip)"
fi
traced=$(kv "$TMP/tr.out" traced_pid)
cpu_k=$(kv "$TMP/tr.out" cpu_k)

trace=$TMP/reuse.kscope
"$KSCOPE" record -e syscall,proc -o "$trace" -p "$traced" 2>"$TMP/rec.err" &
rec=$!
wait_for "the recorder's readiness line" ready "$TMP/rec.err" || finish
echo go >&3
wait $helper
eq "tidreuse exits 0" "$?" 0
wait $rec
eq "record exits 0" "$?" 0
exec 3>&-
cat "$TMP/tr.out" "$TMP/tr.err" "$TMP/rec.err"

ge "round A: tids reused" "$(kv "$TMP/tr.out" rounds_a)" 1
ge "round B: tids reused" "$(kv "$TMP/tr.out" rounds_b)" 1
eq "nothing lost (but block I/O)" "$(lost_but_block "$trace")" 0
for t in $(sed -n 's/^a_tid=//p' "$TMP/tr.out"); do
	eq "A: thread $t's getppid calls on CPU $cpu_k" \
		"$(q "$trace" "SELECT count(*) FROM syscalls WHERE pid=$traced AND tid=$t AND name='getppid' AND cpu=$cpu_k")" 3
done
for p in $(sed -n 's/^b_pid=//p' "$TMP/tr.out"); do
	eq "B: untraced process $p not recorded" \
		"$(q "$trace" "SELECT count(*) FROM syscalls WHERE pid=$p")" 0
done
finish
