#!/bin/sh
# test-record-lifecycle.sh - a traced task's life to its very end, and its
# names on the way, each compared with an independent source in the same
# run (its exit path against perf is test-record-exitcpu.sh, the sockets
# closed by exit test-record-exitsock.sh):
#
#   exit rows     children whose two threads exit(2) at the same moment:
#                 one exit row per thread the workload created (count, sum
#                 of tids).
#   renames       prctl(PR_SET_NAME) of the main thread and of a second
#                 thread: the getppid calls after it carry the new name,
#                 the threads and processes tables hold it.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

# ---- two threads exiting at once: both exit rows --------------------------
pairs=300
"$KSCOPE" record -q -o "$TMP/pairs.kscope" -- "$WORKLOAD" --exit-pairs $pairs \
	>"$TMP/pairs.out" 2>"$TMP/pairs.err"
eq "exit pairs: record exits 0" "$?" 0
wp=$(kv "$TMP/pairs.out" pid)
# The workload's children, up to its last one (a sanitizer runtime may
# fork a helper of its own at exit).
kids="SELECT child_pid FROM proc_events WHERE kind='fork' AND pid=$wp AND tid=$wp AND ts <= (SELECT ts FROM proc_events WHERE kind='fork' AND child_pid=$(kv "$TMP/pairs.out" exit_last_child))"
eq "exit pairs: one exit row per thread (count, sum of tids)" \
	"$(q "$TMP/pairs.kscope" "SELECT count(*) || ' ' || sum(tid) FROM proc_events WHERE kind='exit' AND ppid=$wp AND pid IN ($kids)")" \
	"$(kv "$TMP/pairs.out" exit_threads) $(kv "$TMP/pairs.out" exit_tid_sum)"
eq "exit pairs: every child process ended" \
	"$(q "$TMP/pairs.kscope" "SELECT count(*) FROM processes WHERE ppid=$wp AND end_ts IS NOT NULL AND pid IN ($kids)")" \
	"$(kv "$TMP/pairs.out" exit_pairs)"

# ---- renames --------------------------------------------------------------
n=200
name=kslc$$
"$KSCOPE" record -q -o "$TMP/rn.kscope" -- "$WORKLOAD" --rename $n "$name" \
	>"$TMP/rn.out" 2>"$TMP/rn.err"
eq "rename: record exits 0" "$?" 0
rp=$(kv "$TMP/rn.out" pid)
rname=$(kv "$TMP/rn.out" rename_name)
rtid=$(kv "$TMP/rn.out" rename_tid)
rtname=$(kv "$TMP/rn.out" rename_thread_name)
calls=$(kv "$TMP/rn.out" rename_calls)
eq "rename: getppid calls before it keep the exec name" \
	"$(q "$TMP/rn.kscope" "SELECT count(*) FROM syscalls WHERE tid=$rp AND name='getppid' AND comm='workload'")" "$calls"
eq "rename: getppid calls after it carry the new name" \
	"$(q "$TMP/rn.kscope" "SELECT count(*) FROM syscalls WHERE tid=$rp AND name='getppid' AND comm='$rname'")" "$calls"
eq "rename: the thread's calls carry its own new name" \
	"$(q "$TMP/rn.kscope" "SELECT count(*) FROM syscalls WHERE tid=$rtid AND name='getppid' AND comm='$rtname'")" "$calls"
eq "rename: threads table" \
	"$(q "$TMP/rn.kscope" "SELECT group_concat(comm, ' ') FROM (SELECT comm FROM threads WHERE tid IN ($rp, $rtid) ORDER BY tid)")" \
	"$rname $rtname"
eq "rename: processes table" \
	"$(q "$TMP/rn.kscope" "SELECT comm FROM processes WHERE pid=$rp")" "$rname"

finish
