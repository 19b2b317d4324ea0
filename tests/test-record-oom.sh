#!/bin/sh
# test-record-oom.sh - an OOM kill: a child of tests/sigwork moves itself
# into a memory cgroup limited to 8 MiB (cgroup v2 with the memory
# controller, else a cgroup v1 memory hierarchy) and touches memory until
# the OOM killer kills it.  The trace must hold one oom_kill row per kill
# the cgroup's own oom_kill counter shows (the kernel's oracle), naming
# the victim the workload saw killed and the cgroup's path; `report procs`
# says "the OOM killer (cgroup ...)".  Skips (77) without a memory
# controller it can make a cgroup in.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
SIGWORK=${SIGWORK:-tests/sigwork}
limit=$((8 * 1024 * 1024))
name=kscope-test-$$
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
mem1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' \
	/proc/mounts)
if [ -n "$cg2" ] && grep -qw memory "$cg2/cgroup.subtree_control" 2>/dev/null
then
	dir=$cg2/$name
	mkdir "$dir" 2>"$TMP/mkdir.err" ||
		skip "cannot make a cgroup in $cg2: $(cat "$TMP/mkdir.err")"
	trap 'rmdir "$dir" 2>/dev/null; rm -rf "$TMP"' EXIT
	echo $limit >"$dir/memory.max"
	if [ -e "$dir/memory.swap.max" ]; then
		echo 0 >"$dir/memory.swap.max"
	fi
	oom_kills() { sed -n 's/^oom_kill //p' "$dir/memory.events"; }
elif [ -n "$mem1" ]; then
	dir=$mem1/$name
	mkdir "$dir" 2>"$TMP/mkdir.err" ||
		skip "cannot make a cgroup in $mem1: $(cat "$TMP/mkdir.err")"
	trap 'rmdir "$dir" 2>/dev/null; rm -rf "$TMP"' EXIT
	echo $limit >"$dir/memory.limit_in_bytes"
	if [ -e "$dir/memory.memsw.limit_in_bytes" ]; then
		echo $limit >"$dir/memory.memsw.limit_in_bytes"
	fi
	oom_kills() { sed -n 's/^oom_kill //p' "$dir/memory.oom_control"; }
else
	skip "no memory cgroup controller (neither enabled in the cgroup v2 root's cgroup.subtree_control nor a v1 memory hierarchy)"
fi
[ -n "$(oom_kills)" ] || skip "the memory cgroup has no oom_kill counter"
echo "memory cgroup: $dir"

T=$TMP/oom.kscope
"$KSCOPE" record -q -o "$T" -- "$SIGWORK" oom "$dir" 256 >"$TMP/oom.out" \
	2>"$TMP/oom.err"
eq "oom: recorded" "$?" 0
victim=$(kv "$TMP/oom.out" oom_victim)
eq "oom: the parent saw its child killed by SIGKILL" \
	"$(kv "$TMP/oom.out" oom_status)" "signal:9"
kills=$(oom_kills)
eq "oom: the cgroup counted one OOM kill" "$kills" 1
eq "oom: as many oom_kill rows as the cgroup's counter" \
	"$(q "$T" "SELECT count(*) FROM signals WHERE kind = 'oom_kill'")" \
	"$kills"
eq "oom: the oom_kill row: the victim, by the kernel, and its cgroup" \
	"$(q "$T" "SELECT target_pid, target_tid, target_comm, sig,
		   sender_pid, sender_tid, coalesce(sender_comm, 'NULL'), cgroup
		   FROM signals WHERE kind = 'oom_kill'")" \
	"$victim,$victim,sw-oom,9,0,0,NULL,/$name"
eq "oom: the kernel's SIGKILL to the victim (SI_KERNEL, no sender)" \
	"$(q "$T" "SELECT count(*) FROM signals WHERE kind = 'generate'
		   AND sig = 9 AND target_pid = $victim AND sender_pid = 0
		   AND code = 128 AND result = 0")" 1
"$KSCOPE" report "$T" procs >"$TMP/procs.txt" 2>&1
check "report procs: killed by the OOM killer, with the cgroup" \
	grep -q "^[0-9:.]* *$victim  *sw-oom .*the OOM killer (cgroup /$name)\$" \
	"$TMP/procs.txt"
finish
