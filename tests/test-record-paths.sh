#!/bin/sh
# test-record-paths.sh - strings as the traced programs passed them: a path
# whose page is not in memory when the call starts, execve from a thread
# that is not the leader, and values longer than the capture limits (argv,
# a path, a /proc command line), which must carry the '...' marker after
# exact bytes in SQL and in replay.  Expected values come from what the
# workload printed, the names this script built, and /proc.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

# prefix_of A B: A is a prefix of B
prefix_of() {
	case $2 in
	"$1"*) return 0 ;;
	esac
	echo "  '$1' is not a prefix of '$2'"
	return 1
}

# ---- a path in a page that is not resident at syscall entry -------------
trace=$TMP/unpaged.kscope
"$KSCOPE" record -q -o "$trace" -- "$WORKLOAD" --unpaged "$TMP" \
	>"$TMP/wl.out" 2>"$TMP/rec.err" || { cat "$TMP/rec.err"; exit 1; }
cat "$TMP/wl.out"
pid=$(kv "$TMP/wl.out" pid)
target=$(kv "$TMP/wl.out" unpaged_path)
tfd=$(kv "$TMP/wl.out" unpaged_fd)
missing=$(kv "$TMP/wl.out" unpaged_enoent)
tptr=$(kv "$TMP/wl.out" unpaged_ptr)
mptr=$(kv "$TMP/wl.out" enoent_ptr)
bad=$(kv "$TMP/wl.out" efault_ptr)

# The test is only valid if the names really were not in memory.
eq "the names' pages were not resident before the calls (mincore)" \
	"$(kv "$TMP/wl.out" unpaged_resident)" 0
# openat(AT_FDCWD, name): the name pointer is argument 1
eq "open through an unpaged name: exact path, fd, no status" \
	"$(q "$trace" "SELECT path || '|' || ret || '|' || coalesce(path_status, 'ok') FROM syscalls WHERE pid=$pid AND name='openat' AND arg1=$tptr")" \
	"$target|$tfd|ok"
eq "failed open through an unpaged name: exact path, ENOENT" \
	"$(q "$trace" "SELECT path || '|' || ret || '|' || coalesce(path_status, 'ok') FROM syscalls WHERE pid=$pid AND name='openat' AND arg1=$mptr")" \
	"$missing|-2|ok"
eq "a name nobody can read: NULL path, status unreadable, EFAULT" \
	"$(q "$trace" "SELECT quote(path) || '|' || ret || '|' || path_status FROM syscalls WHERE pid=$pid AND name='openat' AND arg1=$bad")" \
	"NULL|-14|unreadable"
eq "only that call is unreadable" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE path_status='unreadable'")" 1
eq "every open of the workload has a path or a status" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE pid=$pid AND name='openat' AND (path IS NULL OR path='') AND path_status IS NULL")" 0
"$KSCOPE" replay "$trace" "pid = $pid and name = openat" >"$TMP/replay.txt"
check "replay shows the unpaged path" grep -qF "\"$missing\", O_RDONLY) = -2 ENOENT" "$TMP/replay.txt"
check "replay shows the unreadable name as such" \
	grep -qE "openat\(AT_FDCWD, 0x[0-9a-f]+ \(unreadable\), O_RDONLY\) = -14 EFAULT" "$TMP/replay.txt"
"$KSCOPE" report "$trace" files >"$TMP/files.txt"
check "report files lists the failed open's path" grep -qF "$missing" "$TMP/files.txt"

# ---- execve from a thread that is not the leader -------------------------
trace=$TMP/texec.kscope
arg=kscope-texec-$$
"$KSCOPE" record -q -o "$trace" -- "$WORKLOAD" --thread-exec /bin/true "$arg" \
	>"$TMP/wl.out" 2>"$TMP/rec.err" || { cat "$TMP/rec.err"; exit 1; }
cat "$TMP/wl.out"
pid=$(kv "$TMP/wl.out" pid)
etid=$(kv "$TMP/wl.out" exec_tid)
check "the exec'ing thread is not the leader" test "$etid" != "$pid"
eq "execve of the thread has its filename" \
	"$(q "$trace" "SELECT path || '|' || coalesce(path_status, 'ok') FROM syscalls WHERE pid=$pid AND name='execve' AND ret=0 AND arg0 != 0 AND path NOT LIKE '%workload'")" \
	"/bin/true|ok"
eq "no execve without a path" \
	"$(q "$trace" "SELECT count(*) FROM syscalls WHERE pid=$pid AND name='execve' AND (path IS NULL OR path='')")" 0
eq "exec event: filename and argv" \
	"$(q "$trace" "SELECT filename || '|' || argv || '|' || truncated FROM proc_events WHERE pid=$pid AND kind='exec' AND filename='/bin/true'")" \
	"/bin/true|/bin/true $arg|0"

# ---- an argv longer than the capture: words, so a cut shows -------------
words=
i=0
while [ $i -lt 90 ]; do
	words="$words word$i"
	i=$((i + 1))
done
full="/bin/echo$words"
trace=$TMP/argv.kscope
# shellcheck disable=SC2086 # the words are separate arguments
"$KSCOPE" record -q -o "$trace" -- /bin/echo $words >/dev/null 2>"$TMP/rec.err" ||
	{ cat "$TMP/rec.err"; exit 1; }
argv=$(q "$trace" "SELECT argv FROM proc_events WHERE kind='exec' AND filename='/bin/echo'")
kept=${argv%...}
check "argv longer than the capture ends with the marker" test "$kept" != "$argv"
check "the kept part is shorter than the whole" test ${#kept} -lt ${#full}
ge "the kept part is the capture limit long" ${#kept} 500
check "the kept part is an exact prefix of the arguments" prefix_of "$kept" "$full"
eq "proc_events.truncated says argv was cut" \
	"$(q "$trace" "SELECT truncated FROM proc_events WHERE kind='exec' AND filename='/bin/echo'")" 2
eq "processes.cmdline carries the same marked value" \
	"$(q "$trace" "SELECT cmdline FROM processes WHERE exe='/bin/echo'")" "$argv"
"$KSCOPE" replay "$trace" "kind = exec" >"$TMP/replay.txt"
check "replay shows the cut argv as \"...\"..." grep -qF "argv=\"$kept\"..." "$TMP/replay.txt"

# ---- a path longer than the capture: a real nested directory -----------
d=$TMP
i=0
while [ ${#d} -lt 300 ]; do
	d=$d/nested-directory-$i
	i=$((i + 1))
done
mkdir -p "$d" && echo kscope >"$d/file"
long=$d/file
# one of exactly 255 bytes is whole (the capture holds 255 and its NUL)
exact=$TMP/e
exact=$exact$(printf '%*s' $((255 - ${#exact})) '' | tr ' ' x)
echo kscope >"$exact"
trace=$TMP/path.kscope
"$KSCOPE" record -q -o "$trace" -- /bin/cat "$long" "$exact" >/dev/null 2>"$TMP/rec.err" ||
	{ cat "$TMP/rec.err"; exit 1; }
path=$(q "$trace" "SELECT path FROM syscalls WHERE name='openat' AND path_status='truncated'")
kept=${path%...}
check "a path longer than the capture ends with the marker" test -n "$path" -a "$kept" != "$path"
ge "the kept part is the capture limit long" ${#kept} 250
check "the kept part is an exact prefix of the path" prefix_of "$kept" "$long"
eq "the path of exactly 255 bytes is whole, not marked" \
	"$(q "$trace" "SELECT length(path) || '|' || coalesce(path_status, 'ok') FROM syscalls WHERE name='openat' AND path='$exact'")" \
	"255|ok"
"$KSCOPE" replay "$trace" "name = openat" >"$TMP/replay.txt"
check "replay shows the cut path as \"...\"..." grep -qF "\"$kept\"..., O_RDONLY) = 3" "$TMP/replay.txt"

# ---- a /proc command line longer than the snapshot keeps -----------------
mkfifo "$TMP/fifo"
i=0
words=
while [ $i -lt 700 ]; do
	words="$words argument-$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086
sh -c 'read x' sh $words <"$TMP/fifo" &
spid=$!
exec 3>"$TMP/fifo"
n=0
while ! grep -q argument-699 "/proc/$spid/cmdline" 2>/dev/null && [ $n -lt 500 ]; do
	sleep 0.01
	n=$((n + 1))
done
proc_cmdline=$(tr '\0' ' ' <"/proc/$spid/cmdline")
trace=$TMP/proc.kscope
"$KSCOPE" record -q -o "$trace" -p "$spid" -e proc -d 0.2 2>"$TMP/rec.err" ||
	{ cat "$TMP/rec.err"; exec 3>&-; exit 1; }
exec 3>&-
wait $spid
cmdline=$(q "$trace" "SELECT cmdline FROM processes WHERE pid=$spid")
kept=${cmdline%...}
check "the /proc command line (${#proc_cmdline} bytes) ends with the marker" \
	test -n "$cmdline" -a "$kept" != "$cmdline"
ge "the kept part is the snapshot's limit long" ${#kept} 4000
check "the kept part is an exact prefix of /proc/PID/cmdline" prefix_of "$kept" "$proc_cmdline"

finish
