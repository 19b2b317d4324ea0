#!/bin/sh
# test-query-multi.sh - `kscope query A B C SQL` over three kscope-synth
# traces (different seeds, so different hosts, clock offsets and events).
# The oracle is kscope itself on one trace at a time: every multi-trace
# answer must be the union of the single-trace answers, each row led by
# its trace (the path as given) - counts per (trace, name) and per table,
# the rows of a ts range, a ts range with trace = ..., joins with
# processes per trace, the views and thread_state; ORDER BY ts merges the
# traces' rows in ts order (against SQLite's own sort).  wall_ns(ts, trace) -
# ts must be each trace's own meta clock_offset_ns; wall(ts) over traces
# whose offsets differ must fail naming wall(ts, trace).  Bad operands
# (missing, not a trace, given twice, unquoted SQL) and bad SQL give one
# clear line.  With one trace no column is added.
. "$(dirname "$0")/cli-lib.sh"
SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }

A=$TMP/a.kscope B=$TMP/b.kscope C=$TMP/c.kscope
for s in 1 2 3; do
	eval t=\$$(echo A B C | cut -d' ' -f$s)
	"$SYNTH" -o "$t" -n 30000 --seed $s --chunk 2000 >/dev/null ||
		{ echo "FAIL: synth seed $s"; exit 1; }
done

# csv_rows ARGS...: kscope query ARGS -F csv, rows only, sorted
csv_rows() {
	"$KSCOPE" query -F csv "$@" 2>"$TMP/err" | tail -n +2 | LC_ALL=C sort
}

# same MULTI_SQL SINGLE_SQL: MULTI_SQL over A B C gives the rows of
# SINGLE_SQL over each trace, each led by the trace's name
same() {
	last="query A B C '$1'"
	csv_rows "$A" "$B" "$C" "$1" >"$TMP/multi"
	: >"$TMP/union"
	for t in "$A" "$B" "$C"; do
		csv_rows "$t" "$2" | sed "s|^|$t,|" >>"$TMP/union"
	done
	LC_ALL=C sort -o "$TMP/union" "$TMP/union"
	if [ ! -s "$TMP/multi" ]; then
		rc=1; fail "no rows"
	elif ! cmp -s "$TMP/multi" "$TMP/union"; then
		rc=1; fail "not the union of the single-trace answers"
		diff "$TMP/multi" "$TMP/union" | head -10
	else
		ok "$(wc -l <"$TMP/multi") rows"
	fi
}

# expect_csv TEXT: stdout (CSV, CRLF line ends) is TEXT's lines
expect_csv() {
	tr -d '\r' <"$TMP/out" >"$TMP/csv"
	printf '%s\n' "$1" | cmp -s - "$TMP/csv" ||
		{ fail "stdout is not '$1'"; return 1; }
}

# expect_sql_error MESSAGE: exit 1 and stderr is the one line
# "kscope: query: MESSAGE" (the header may have been printed)
expect_sql_error() {
	expect_rc 1 || return 1
	[ "$err" = "kscope: query: $1" ] ||
		{ fail "stderr is not 'kscope: query: $1'"; return 1; }
	ok "$err"
}

# ---- the union of single-trace answers --------------------------------
same "SELECT trace, name, count(*), sum(dur), min(ts) FROM syscalls GROUP BY trace, name" \
     "SELECT name, count(*), sum(dur), min(ts) FROM syscalls GROUP BY name"
for tab in $("$SYNTH" --tables | cut -d: -f2) processes threads lost meta \
	   shed syscalls_p errors threads_p thread_state; do
	same "SELECT t.trace, (SELECT count(*) FROM $tab x WHERE x.trace = t.trace) FROM (SELECT DISTINCT trace FROM meta) t" \
	     "SELECT count(*) FROM $tab"
done
same "SELECT trace, host, count(*) FROM processes GROUP BY 1, 2" \
     "SELECT (SELECT value FROM meta WHERE key = 'host'), count(*) FROM processes"

# a ts range inside every trace (the three start within a second)
lo=$("$KSCOPE" query -F csv "$A" "SELECT min(ts) + 40000000 FROM syscalls" | tail -1 | tr -d "\r")
hi=$((lo + 20000000))
same "SELECT trace, ts, tid, name, ret, path FROM syscalls WHERE ts >= $lo AND ts < $hi" \
     "SELECT ts, tid, name, ret, path FROM syscalls WHERE ts >= $lo AND ts < $hi"
same "SELECT trace, ts, cpu, next_tid FROM sched_switch WHERE ts BETWEEN $lo AND $hi" \
     "SELECT ts, cpu, next_tid FROM sched_switch WHERE ts BETWEEN $lo AND $hi"
run query "$A" "$B" "$C" -F csv "SELECT DISTINCT trace FROM syscalls WHERE trace = '$B' AND ts >= $lo"
expect_rc 0 && expect_csv "trace
$B" && ok

# ORDER BY ts (merged from the traces): in order, and the same rows
for dir in "" DESC; do
	last="query A B C 'ORDER BY ts $dir'"
	csv_rows "$A" "$B" "$C" "SELECT trace, ts, name FROM syscalls WHERE ts BETWEEN $lo AND $hi ORDER BY ts $dir" >"$TMP/sorted"
	"$KSCOPE" query -F csv "$A" "$B" "$C" "SELECT ts FROM syscalls WHERE ts BETWEEN $lo AND $hi ORDER BY ts $dir" |
		tail -n +2 | tr -d '\r' >"$TMP/order"
	csv_rows "$A" "$B" "$C" "SELECT trace, ts, name FROM syscalls WHERE ts BETWEEN $lo AND $hi" >"$TMP/plain"
	if [ ! -s "$TMP/order" ] || ! cmp -s "$TMP/sorted" "$TMP/plain"; then
		rc=1; fail "not the rows of the range"
	elif ! sort -n ${dir:+-r} -c "$TMP/order" 2>/dev/null; then
		rc=1; fail "not in ts order"
	else
		ok "$(wc -l <"$TMP/order") rows in order"
	fi
done
run query -F csv "$A" "$B" "$C" "SELECT ts FROM syscalls ORDER BY ts LIMIT 50"
tr -d '\r' <"$TMP/out" >"$TMP/first"
run query -F csv "$A" "$B" "$C" "SELECT ts FROM syscalls ORDER BY +ts LIMIT 50"
tr -d '\r' <"$TMP/out" | cmp -s - "$TMP/first" && ok || fail "ORDER BY ts LIMIT differs from SQLite's sort"

# joins with processes, per trace
same "SELECT s.trace, p.comm, count(*), sum(s.dur) FROM syscalls s JOIN processes p ON p.pid = s.pid AND p.trace = s.trace WHERE p.start_ts <= s.ts GROUP BY 1, 2" \
     "SELECT p.comm, count(*), sum(s.dur) FROM syscalls s JOIN processes p ON p.pid = s.pid WHERE p.start_ts <= s.ts GROUP BY 1"
same "SELECT trace, cmdline, count(*) FROM syscalls_p GROUP BY 1, 2" \
     "SELECT cmdline, count(*) FROM syscalls_p GROUP BY 1"
same "SELECT trace, state, count(*), sum(dur) FROM thread_state GROUP BY 1, 2" \
     "SELECT state, count(*), sum(dur) FROM thread_state GROUP BY 1"
same "SELECT trace, errno, count(*) FROM errors GROUP BY 1, 2" \
     "SELECT errno, count(*) FROM errors GROUP BY 1"

# ---- wall clock ---------------------------------------------------------
same "SELECT trace, wall_ns(ts, trace) - ts, count(*) FROM syscalls GROUP BY 1, 2" \
     "SELECT (SELECT value FROM meta WHERE key = 'clock_offset_ns'), count(*) FROM syscalls"
same "SELECT trace, ts, wall(ts, trace) FROM syscalls WHERE ts < $lo" \
     "SELECT ts, wall(ts) FROM syscalls WHERE ts < $lo"
run query "$A" "$B" "SELECT wall(ts) FROM syscalls"
expect_sql_error "wall(ts) is ambiguous: the traces have different clock offsets; use wall(ts, trace)"
run query "$A" "$B" "SELECT wall_ns(ts) FROM syscalls"
expect_sql_error "wall_ns(ts) is ambiguous: the traces have different clock offsets; use wall_ns(ts, trace)"
run query "$A" "$B" "SELECT wall(1, 'nope')"
expect_sql_error "wall: no trace 'nope' in this query"
# traces of one boot share the offset: wall(ts) is then unambiguous
cp "$A" "$TMP/a2.kscope"
run query -F csv "$A" "$TMP/a2.kscope" "SELECT count(*) FROM syscalls WHERE wall(ts) = wall(ts, trace) AND wall_ns(ts) = wall_ns(ts, trace)"
expect_rc 0 && expect_csv "count(*)
60000" && ok

# ---- operands -----------------------------------------------------------
run_in "SELECT count(*) FROM syscalls" query -F csv "$A" "$B" "$C"
expect_rc 0 && expect_csv "count(*)
90000" && ok "SQL from standard input"
run query "$A" "$TMP/none.kscope" "$B" "SELECT 1"
expect_one_error 1 "cannot open '$TMP/none.kscope': No such file or directory"
run query "$A" "$B" "$TMP/none.kscope"
expect_one_error 1 "cannot open '$TMP/none.kscope': No such file or directory"
echo "not a trace" >"$TMP/notes.txt"
run query "$A" "$TMP/notes.txt" "SELECT 1"
expect_one_error 1 "cannot open '$TMP/notes.txt': not a kscope trace*"
run query "$A" "$B" "$TMP/notes.txt"
expect_one_error 1 "cannot open '$TMP/notes.txt': not a kscope trace*"
run query "$A" "$A" "SELECT 1"
expect_one_error 1 "'$A' is given twice"
run query "$A" "$B" SELECT 1
expect_one_error 2 "query: too many arguments (quote the SQL as one argument)"
run query "$A" "$B" "SELEC 1"
expect_one_error 1 'query: near "SELEC": syntax error'
run query "$A" "$B" "SELECT nosuch FROM syscalls"
expect_sql_error "no such column: nosuch"
run query "$A" "$B" "DELETE FROM meta"
expect_one_error 1 "query: *"
# many traces: each reads through its own connection, no ATTACH limit
set --
for i in $(seq 1 40); do
	cp "$C" "$TMP/m$i.kscope"
	set -- "$@" "$TMP/m$i.kscope"
done
run query -F csv "$@" "SELECT count(DISTINCT trace), count(*) FROM processes"
n=$("$KSCOPE" query -F csv "$C" "SELECT count(*) FROM processes" | tail -1 | tr -d "\r")
expect_rc 0 && expect_csv "count(DISTINCT trace),count(*)
40,$((40 * n))" && ok "40 traces"

# ---- one trace: no new column ------------------------------------------
run query -F csv "$A" "SELECT * FROM processes LIMIT 1"
case "$out" in
pid,ppid,*) ok "one trace, no trace column" ;;
*) fail "one trace has new columns" ;;
esac
run query -F csv "$A" "$B" "SELECT * FROM processes LIMIT 1"
case "$out" in
trace,host,pid,ppid,*) ok "several traces: trace, host first" ;;
*) fail "several traces lack trace, host" ;;
esac

finish
