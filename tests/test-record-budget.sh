#!/bin/sh
# test-record-budget.sh - --budget: a flood far past a tiny budget
# (cpu=1,rate=64K/s) by a workload that also forks, fails calls and makes
# slow ones (tests/budgetload, which counts each of its calls: the
# oracle).  The kept classes are complete (every fork and exit, every
# failed call with its path, every slow call), the shed ones are
# accounted exactly (recorded + the shed table's dropped = the workload's
# count, per syscall), calls kept without their strings are counted as
# such, and fd names stay right though opens and closes were sampled out.
# A recording without --budget has no shed rows.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
LOAD=${BUDGETLOAD:-tests/budgetload}

echo aaaa >"$TMP/a"
echo bbbb >"$TMP/b"
T=$TMP/budget.kscope
"$KSCOPE" record -q -o "$T" --budget cpu=1,rate=64K/s -- \
	env "$NOLEAKS" "$LOAD" 200000 1000 "$TMP" >"$TMP/load.out" 2>"$TMP/rec.err"
eq "recorded under a budget" "$?" 0
sed 's/^/  /' "$TMP/rec.err"
pid=$(kv "$TMP/load.out" pid)
check "the workload ran" [ -n "$pid" ]
eq "no syscall lost (else the counts below cannot be exact)" \
	"$(q "$T" "SELECT coalesce(sum(count), 0) FROM lost
		   WHERE class = 'syscall'")" 0
eq "meta budget" "$(q "$T" "SELECT value = 'cpu=1%,rate=65536/s,slow=1000000ns'
	FROM meta WHERE key = 'budget'")" 1

# ---- shedding happened, in order ---------------------------------------
ge "calls sampled out" "$(q "$T" "SELECT coalesce(sum(dropped), 0) FROM shed
	WHERE what = 'sample'")" 1
ge "calls kept without their strings" "$(q "$T" "SELECT
	coalesce(sum(dropped), 0) FROM shed WHERE what = 'payload'")" 1
eq "sample rows: rates are powers of two from 2 to 1024" \
	"$(q "$T" "SELECT count(*) FROM shed WHERE what = 'sample' AND
		   (rate < 2 OR rate > 1024 OR (rate & (rate - 1)) != 0)")" 0
eq "shed totals in meta = the shed table" \
	"$(meta "$T" shed_sampled) $(meta "$T" shed_payload)" \
	"$(q "$T" "SELECT (SELECT sum(dropped) FROM shed WHERE what = 'sample')
		   || ' ' || (SELECT sum(dropped) FROM shed
		   WHERE what = 'payload') AS n")"

# ---- shed: accounted exactly -------------------------------------------
# recorded + sampled out = the workload's own count (getppid and getpgid
# are made nowhere else in the process; access fails once in the dynamic
# loader, which the failed-call check below leaves out).
for c in getppid getpgid; do
	eq "$c: recorded + sampled out = the workload's count" \
		"$(q "$T" "SELECT (SELECT count(*) FROM syscalls WHERE pid = $pid
			   AND name = '$c') + (SELECT coalesce(sum(dropped), 0)
			   FROM shed WHERE what = 'sample' AND name = '$c')
			   AS n")" \
		"$(kv "$TMP/load.out" "$c")"
done
eq "access (successful): recorded + sampled out = the workload's count" \
	"$(q "$T" "SELECT (SELECT count(*) FROM syscalls WHERE pid = $pid
		   AND name = 'access' AND ret = 0) + (SELECT
		   coalesce(sum(dropped), 0) FROM shed WHERE what = 'sample'
		   AND name = 'access') AS n")" "$(kv "$TMP/load.out" access)"
eq "access kept without a path = the shed table's payload count" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   name = 'access' AND path IS NULL")" \
	"$(q "$T" "SELECT coalesce(sum(dropped), 0) FROM shed
		   WHERE what = 'payload' AND name = 'access'")"
eq "only fast successful calls lost their strings" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   name = 'access' AND path IS NULL AND
		   (ret < 0 OR dur >= 1000000)")" 0

# ---- kept: complete ------------------------------------------------------
n=$(kv "$TMP/load.out" failed)
ge "the workload's failed opens" "$n" 1
eq "every failed call, with its path" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   name = 'openat' AND ret = -2 AND path = '$TMP/missing'")" "$n"
n=$(kv "$TMP/load.out" slow)
ge "the workload's slow calls" "$n" 1
eq "every slow call (sleeps of 5 ms)" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   name IN ('nanosleep', 'clock_nanosleep') AND
		   dur >= 1000000")" "$n"
eq "no sleep shed" "$(q "$T" "SELECT count(*) FROM shed
	WHERE name IN ('nanosleep', 'clock_nanosleep')")" 0
n=$(kv "$TMP/load.out" forks)
ge "the workload's forks" "$n" 1
eq "every fork" "$(q "$T" "SELECT count(*) FROM proc_events
	WHERE kind = 'fork' AND pid = $pid")" "$n"
eq "every child's exit" "$(q "$T" "SELECT count(*) FROM proc_events
	WHERE kind = 'exit' AND pid != $pid")" "$n"
eq "every clone call" "$(q "$T" "SELECT count(*) FROM syscalls
	WHERE pid = $pid AND name = 'clone' AND ret > 0")" "$n"
eq "no process, signal or connection call shed" \
	"$(q "$T" "SELECT count(*) FROM shed WHERE name IN ('clone', 'clone3',
		   'fork', 'vfork', 'execve', 'exit_group', 'kill', 'tgkill',
		   'connect', 'accept', 'accept4')")" 0

# ---- fd names stay right --------------------------------------------------
# Each iteration opens a (then reads 1 byte) or b (2 bytes) on the same fd
# number and closes it; a sampled-out open or close that did not reach the
# fd table would leave a stale name on the next recorded read.
ge "reads of a and b recorded" "$(q "$T" "SELECT count(*) FROM syscalls
	WHERE pid = $pid AND name = 'read' AND arg2 IN (1, 2)")" 2
eq "every read names the file opened for it" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   name = 'read' AND arg2 IN (1, 2) AND fd_name IS NOT
		   (CASE arg2 WHEN 1 THEN '$TMP/a' ELSE '$TMP/b' END)")" 0
ge "opens and closes were sampled out" "$(q "$T" "SELECT
	coalesce(sum(dropped), 0) FROM shed WHERE what = 'sample'
	AND name IN ('openat', 'close')")" 1

# ---- what the reports say ------------------------------------------------
"$KSCOPE" info "$T" >"$TMP/info.txt" 2>&1
check "info: syscalls sampled from +A s to +B s" \
	grep -q "syscalls: sampled 1/[0-9]*\( to 1/[0-9]*\)\{0,1\} from +[0-9]* s to +[0-9]* s" \
	"$TMP/info.txt"
"$KSCOPE" report "$T" syscalls >"$TMP/rep.txt" 2>&1
check "report: the header says the trace is sampled" \
	grep -q "syscalls: sampled" "$TMP/rep.txt"
check "report syscalls: counts marked partial" \
	grep -q "partial" "$TMP/rep.txt"
"$KSCOPE" tui --print overview "$T" >"$TMP/ovw.txt" 2>&1
check "TUI Overview: the same line as info" grep -qF \
	"$(sed -n 's/^shed  *//p' "$TMP/info.txt")" "$TMP/ovw.txt"
"$KSCOPE" report "$T" syscalls --format json >"$TMP/rep.json" 2>&1
check "report (JSON): a shed object with the calls sampled out" \
	grep -q "\"shed\": {\"sampled\": $(meta "$T" shed_sampled)" \
	"$TMP/rep.json"

# ---- no budget, no shedding ----------------------------------------------
U=$TMP/nobudget.kscope
"$KSCOPE" record -q -o "$U" -- env "$NOLEAKS" "$LOAD" 20000 1000 "$TMP" >/dev/null \
	2>"$TMP/rec2.err"
eq "recorded without a budget" "$?" 0
eq "no shed rows without a budget" "$(q "$U" "SELECT count(*) FROM shed")" 0
eq "no meta budget" "$(meta "$U" budget)" ""
"$KSCOPE" info "$U" >"$TMP/info2.txt" 2>&1
check "info: nothing sampled" sh -c "! grep -q sampled '$TMP/info2.txt'"
finish
