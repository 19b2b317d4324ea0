#!/bin/sh
# test-record-stacks.sh - kernel stacks of tasks going to sleep
# (sched_switch.stack_id and the stacks table), against the kernel's own
# /proc/PID/stack.
#
#   1. A process blocked in read on a pipe: /proc/PID/stack, read while it
#      is blocked, names the same functions in the same order (outermost
#      first) as the stack recorded at its switch-out inside that read;
#      the recorded stack ends in the scheduler (__schedule), not in the
#      tracing machinery.  One stacks row per id; ids only on sleeping
#      switches; every id has its row.
#   2. A writer that fsyncs every write to a file on ext4: its switch-outs
#      inside fsync have stacks through ext4_sync_file.
#   3. --no-stacks: no stack ids, no stacks rows, meta stacks = off.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v python3 >/dev/null 2>&1 || skip "python3 is needed for the workload"
[ -r /proc/self/stack ] || skip "/proc/PID/stack is not readable here"
grep -q '^0*[1-9a-f]' /proc/kallsyms ||
	skip "kernel symbol addresses are hidden here (kptr_restrict)"

# in_read PID: is PID asleep (S) inside read(0, ...), by /proc?
NR_READ=$(python3 -c "import sys; print({'x86_64': 0, 'aarch64': 63}[sys.argv[1]])" \
	"$(uname -m)" 2>/dev/null)
[ -n "$NR_READ" ] || skip "no read syscall number for $(uname -m) in this test"
in_read() {
	[ "$(cut -d' ' -f1,2 "/proc/$1/syscall" 2>/dev/null)" = "$NR_READ 0x0" ] &&
		grep -q '^State:.S' "/proc/$1/status"
}

# is_subseq NEEDLE HAYSTACK: are NEEDLE's ';'-separated names all in
# HAYSTACK, in the same order?
is_subseq() {
	python3 - "$1" "$2" <<'EOF'
import sys
need, hay = sys.argv[1].split(';'), iter(sys.argv[2].split(';'))
sys.exit(0 if all(any(h == n for h in hay) for n in need) else 1)
EOF
}

# --- 1. read on a pipe, against /proc/PID/stack ---------------------------
T=$TMP/read.kscope
mkfifo "$TMP/pipe"
exec 3<>"$TMP/pipe" # read-write: opening does not block
"$KSCOPE" record -q -f -o "$T" -- python3 -c '
import os
print(os.getpid(), flush=True)
os.read(0, 1)' <&3 >"$TMP/pid" 2>"$TMP/rec.err" &
rec=$!
wait_for "the workload's pid" test -s "$TMP/pid"
pid=$(cat "$TMP/pid")
wait_for "the workload blocked in read" in_read "$pid"
# /proc/PID/stack, innermost first, "[<0>] fn+0x1/0x2": folded, outermost
# first.
oracle=$(sed -n 's/^\[<[0-9a-f]*>\] \([^+ ]*\).*/\1/p' "/proc/$pid/stack" |
	tac | paste -sd';')
echo x >&3
wait_exit $rec
eq "recorder exit status" "$rc" 0
[ -s "$TMP/rec.err" ] && sed 's/^/  recorder: /' "$TMP/rec.err"
check "/proc/$pid/stack was read ($oracle)" test -n "$oracle"
eq "meta stacks" "$(meta "$T" stacks)" on

# The switch-out that blocked the read: the last sleeping one inside it.
frames=$(q "$T" "SELECT k.frames FROM sched_switch s JOIN stacks k
	USING (stack_id) WHERE s.prev_tid = $pid AND s.stack_id > 0 AND
	s.ts BETWEEN (SELECT ts FROM syscalls WHERE tid = $pid AND
	name = 'read' AND fd = 0) AND (SELECT ts + dur FROM syscalls WHERE
	tid = $pid AND name = 'read' AND fd = 0) ORDER BY s.ts DESC LIMIT 1")
echo "  recorded: $frames"
check "the recorded stack has /proc/PID/stack's functions in order" \
	is_subseq "$oracle" "$frames"
eq "the same outermost frame" "${frames%%;*}" "${oracle%%;*}"
eq "the innermost frame is the scheduler's" "${frames##*;}" __schedule
eq "one stacks row per id" "$(q "$T" "SELECT count(*) - count(DISTINCT stack_id)
	AS dup FROM stacks")" 0
eq "stack ids only on sleeping switches (S or D)" "$(q "$T" "SELECT
	count(*) FROM sched_switch WHERE stack_id > 0 AND
	(prev_state & 3) = 0")" 0
lost=$(meta "$T" stacks_lost)
if [ "$lost" = 0 ]; then
	eq "every stack id has its row" "$(q "$T" "SELECT count(*) FROM
		sched_switch s WHERE stack_id > 0 AND NOT EXISTS (SELECT 1 FROM
		stacks k WHERE k.stack_id = s.stack_id)")" 0
else
	echo "  ($lost stacks lost: rows not checked)"
fi
eq "replay leaves stacks rows out" "$("$KSCOPE" replay "$T" |
	grep -c ' stack [0-9][0-9]* ')" 0
eq "replay 'kind = stack' shows them" "$("$KSCOPE" replay "$T" 'kind = stack' |
	grep -c ' stack [0-9][0-9]* ')" "$(q "$T" "SELECT count(*) FROM stacks")"
ge "sleeping switches of the workload with a stack" "$(q "$T" "SELECT
	count(*) FROM sched_switch WHERE prev_tid = $pid AND stack_id > 0")" 1

# --- 2. fsync on ext4 -----------------------------------------------------
dir=/var/tmp
if [ "$(findmnt -n -o FSTYPE -T "$dir" 2>/dev/null)" != ext4 ]; then
	echo "SKIP part 2: $dir is not on ext4"
else
	T=$TMP/fsync.kscope
	f=$(mktemp "$dir/kscope-stacks.XXXXXX")
	"$KSCOPE" record -q -f -o "$T" -- python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
for i in range(20):
    os.write(fd, b"x" * 4096)
    os.fsync(fd)
print(os.getpid())' "$f" >"$TMP/pid" 2>"$TMP/rec.err"
	eq "fsync: recorder exit status" "$?" 0
	rm -f "$f"
	pid=$(cat "$TMP/pid")
	n=$(q "$T" "SELECT count(*) FROM sched_switch s JOIN syscalls c
		ON c.tid = s.prev_tid AND s.ts BETWEEN c.ts AND c.ts + c.dur
		JOIN stacks k ON k.stack_id = s.stack_id
		WHERE s.prev_tid = $pid AND c.name = 'fsync' AND
		k.frames LIKE '%;ext4_sync_file;%'")
	ge "switch-outs inside fsync with a stack through ext4_sync_file" "$n" 1
fi

# --- 3. --no-stacks -------------------------------------------------------
T=$TMP/nostacks.kscope
"$KSCOPE" record -q -f --no-stacks -o "$T" -- sh -c 'sleep 0.05; cat /proc/self/stat' \
	>/dev/null 2>"$TMP/rec.err"
eq "--no-stacks: exit status" "$?" 0
eq "--no-stacks: meta stacks" "$(meta "$T" stacks)" off
eq "--no-stacks: no stack ids" "$(q "$T" "SELECT count(*) FROM sched_switch
	WHERE stack_id != 0")" 0
eq "--no-stacks: no stacks rows" "$(q "$T" "SELECT count(*) FROM stacks")" 0
ge "--no-stacks: sleeping switches still recorded" "$(q "$T" "SELECT count(*)
	FROM sched_switch WHERE (prev_state & 3) != 0")" 1
finish
