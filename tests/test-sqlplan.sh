#!/bin/sh
# test-sqlplan.sh - the event tables' own plans (store/vtab.c) give the
# answers of SQLite's generic plan on the same trace.  Each query runs as
# written and in a form that defeats the plan (+col, a subquery, another
# join order), and EXPLAIN QUERY PLAN shows which plan each took, so that
# a comparison cannot pass by both taking the same path.  Edge cases: an
# empty trace, NULL, text, real and absent keys, ts ranges ending on chunk
# edges, and a trace as format 1.2 wrote it (no processes_by_comm).
. "$(dirname "$0")/cli-lib.sh"

SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
have_python || { echo "SKIP: python3 with sqlite3 is needed"; exit 77; }

T=$TMP/t.kscope # small chunks: many chunk edges
"$SYNTH" -o "$T" -n 200000 --chunk 5000 >/dev/null || exit 99
E=$TMP/empty.kscope
"$SYNTH" -o "$E" -n 0 >/dev/null || exit 99
O=$TMP/old.kscope
cp "$T" "$O"
python3 - "$O" <<'EOF' || exit 99
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""DROP INDEX processes_by_comm;
    UPDATE meta SET value = '1.2' WHERE key = 'format_version';""")
db.close()
EOF

# q FILE SQL: rows of SQL on FILE (CSV, no header) in $TMP/q; 1 on failure
q() {
	last="query $1 $2"
	"$KSCOPE" query -F csv "$1" "$2" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] || { fail "failed"; return 1; }
	tail -n +2 "$TMP/out" | sort >"$TMP/q"
}

# same FILE SQL GENERIC: SQL and GENERIC give the same rows (at least
# MIN of them, 1 unless given)
same() {
	q "$1" "$2" || return
	mv "$TMP/q" "$TMP/a"
	q "$1" "$3" || return
	last="query $1 $2 / $3"
	if ! cmp -s "$TMP/a" "$TMP/q"; then
		diff "$TMP/a" "$TMP/q" | head -5
		fail "different answers"
	elif [ "$(wc -l <"$TMP/a")" -lt "${4:-1}" ]; then
		fail "fewer than ${4:-1} rows"
	else
		ok "$(wc -l <"$TMP/a") rows alike"
	fi
}

# plan FILE SQL PATTERN: EXPLAIN QUERY PLAN of SQL has a line matching
# PATTERN (grep -E); with '!' before PATTERN, none does
plan() {
	q "$1" "EXPLAIN QUERY PLAN $2" || return
	case $3 in
	!*) ! grep -Eq -- "${3#!}" "$TMP/q" ;;
	*) grep -Eq -- "$3" "$TMP/q" ;;
	esac && ok "plan: $3" || { cat "$TMP/q"; fail "plan is not '$3'"; }
}

KEYED='VIRTUAL TABLE INDEX [0-9]+:.*#'

# The join grouped by comm: processes in comm order, syscalls keyed by pid.
J="SELECT p.comm, count(*), sum(s.dur), min(s.ts), max(s.ts)
   FROM syscalls s JOIN processes p ON p.pid = %s GROUP BY p.comm"
# shellcheck disable=SC2059
JK=$(printf "$J" s.pid)
# shellcheck disable=SC2059
JG=$(printf "$J" +s.pid)
plan "$T" "$JK" "$KEYED"
plan "$T" "$JK" "COVERING INDEX processes_by_comm"
plan "$T" "$JK" "!TEMP B-TREE"
plan "$T" "$JG" "!$KEYED"
same "$T" "$JK" "$JG" 10
# the trace of format 1.2 lacks the index: it opens and sorts, as before
plan "$O" "$JK" "TEMP B-TREE FOR GROUP BY"
q "$T" "$JK" && mv "$TMP/q" "$TMP/new"
q "$O" "$JK" && cmp -s "$TMP/new" "$TMP/q" && ok "as on the new trace" ||
	fail "differs from the new trace's answer"
same "$E" "$JK" "$JG" 0

# ts ranges ending on chunk edges, with the keyed join (the vgroup is
# built for the range; CROSS JOIN keeps syscalls inner, where SQLite
# would rather scan the range) and without it
edges=$("$KSCOPE" query -F csv "$T" "SELECT ts_first, ts_last FROM chunks
	WHERE kind = 0 ORDER BY ts_first LIMIT 2 OFFSET 10" | tail -n +2 |
	tr -d '\r' | tr '\n' ',')
a=$(echo "$edges" | cut -d, -f1) # first ts of chunk 10
b=$(echo "$edges" | cut -d, -f4) # last ts of chunk 11
# (ts = and a one-tick range are planned as ts lookups: compared only)
for w in "s.ts BETWEEN $a AND $b" "s.ts > $a AND s.ts < $b" \
	 "s.ts >= $b AND s.ts <= $b" "s.ts = $a"; do
	R="SELECT p.comm, count(*), sum(s.dur) FROM processes p CROSS JOIN
	   syscalls s ON p.pid = %s WHERE $w GROUP BY p.comm"
	# shellcheck disable=SC2059
	case $w in
	*BETWEEN*|*\>\ *) plan "$T" "$(printf "$R" s.pid)" "$KEYED" ;;
	esac
	# shellcheck disable=SC2059
	same "$T" "$(printf "$R" s.pid)" "$(printf "$R" +s.pid)"
done

# ts constraints with literal integers are omitted (SQLite does not
# check the rows again): the scan, the grouped and the ordered plans must
# keep exactly the rows in range, against SQLite filtering (+ts)
c=$(( b + 1 ))
for w in "ts BETWEEN $a AND $b" "ts > $a AND ts < $b" "ts >= $a AND ts <= $c" \
	 "ts = $a" "ts = $b" "ts >= $b AND ts <= $b" "ts < $a" "ts > $b" \
	 "ts > -1 AND ts < $a" "ts <= -1" "ts > $b AND ts < $a"; do
	g=$(echo "$w" | sed 's/ts /+ts /g')
	same "$T" "SELECT count(*), sum(dur), min(ts), max(ts) FROM syscalls
		   WHERE $w" "SELECT count(*), sum(dur), min(ts), max(ts) FROM
		   syscalls WHERE $g"
	same "$T" "SELECT nr, count(*), sum(dur) FROM syscalls WHERE $w
		   GROUP BY nr" "SELECT nr, count(*), sum(dur) FROM syscalls
		   WHERE $g GROUP BY +nr" 0
	same "$T" "SELECT ts, dur FROM syscalls WHERE $w ORDER BY ts" \
		"SELECT ts, dur FROM syscalls WHERE $g ORDER BY +ts" 0
done
same "$E" "SELECT count(*) FROM syscalls WHERE ts BETWEEN $a AND $b" \
	"SELECT count(*) FROM syscalls WHERE +ts BETWEEN $a AND $b"

# Keys that are NULL, text, real, absent, repeated: the first lookup
# scans, the second builds the index, the rest use it.
pid=$("$KSCOPE" query -F csv "$T" "SELECT pid FROM syscalls LIMIT 1" |
	tail -n +2 | tr -d '\r')
K="WITH k(i, v) AS (VALUES (1, $pid), (2, $pid), (3, NULL), (4, '$pid'),
   (5, $pid.0), (6, $pid.5), (7, -1), (8, 99999999), (9, $pid), (10, 1))
   SELECT k.i, count(s.ts), sum(s.dur) FROM k JOIN syscalls s
   ON %s = k.v GROUP BY k.i"
# shellcheck disable=SC2059
plan "$T" "$(printf "$K" s.pid)" "$KEYED"
# shellcheck disable=SC2059
same "$T" "$(printf "$K" s.pid)" "$(printf "$K" +s.pid)" 3
# shellcheck disable=SC2059
same "$E" "$(printf "$K" s.pid)" "$(printf "$K" +s.pid)" 0

# A self-join on tid in a ts range, against counts per tid from a
# subquery (the generic nested loop would take minutes).
S="SELECT count(*), sum(b.dur) FROM syscalls a JOIN syscalls b
   ON b.tid = a.tid WHERE a.ts BETWEEN $a AND $b"
plan "$T" "$S" "$KEYED"
same "$T" "$S" "SELECT sum(c.n), sum(c.d) FROM syscalls a JOIN
   (SELECT tid, count(*) n, sum(dur) d FROM syscalls GROUP BY tid) c
   ON c.tid = a.tid WHERE a.ts BETWEEN $a AND $b"

# One lookup alone scans, handing out only the rows of its key: present,
# absent, in a range ending on chunk edges, from a prepared statement
for w in "pid = $pid" "pid = 99999999" "pid = -1" "tid = $pid" \
	 "pid = $pid AND ts BETWEEN $a AND $b" "pid = '$pid'" "pid = $pid.0"; do
	g=$(echo "$w" | sed 's/pid =/+pid =/; s/tid =/+tid =/')
	same "$T" "SELECT count(*), sum(dur), min(ts), max(ts) FROM syscalls
		   WHERE $w" "SELECT count(*), sum(dur), min(ts), max(ts) FROM
		   syscalls WHERE $g"
done
same "$T" "SELECT (SELECT count(*) FROM syscalls s WHERE s.pid = p.pid) n
	   FROM processes p" "SELECT (SELECT count(*) FROM syscalls s
	   WHERE +s.pid = p.pid) n FROM processes p" 100

[ "$fails" -eq 0 ] || exit 1
echo "test-sqlplan: all ok"
