#!/bin/sh
# test-hostile.sh - traces crafted to attack the reader (tests/hostile.py
# makes them): triggers, views calling unsafe functions, schema tricks,
# attached databases, lying chunk headers and a lying chunk index.  Each
# must give a clear error or be harmless: never a crash, never a write to
# any file, never a call of an unsafe function.
. "$(dirname "$0")/cli-lib.sh"

have_python || { echo "SKIP: python3 with sqlite3 is needed to craft files"; exit 77; }

G=$TMP/good.kscope
"$MKTRACE" "$G" --chunk-events 100 || exit 99
python3 "$(dirname "$0")/hostile.py" "$G" "$TMP" > "$TMP/cases" || {
	echo "FAIL: hostile.py could not craft the traces"; exit 1; }
chunk_of() { sed -n "s/^$1 //p" "$TMP/cases"; }
( cd "$TMP" && sha256sum *.kscope ) > "$TMP/sums.before"
ls "$TMP" > "$TMP/files.before"

# expect_err CASE SQL PATTERN: the query fails, stderr one line matching
# 'kscope: query: PATTERN' (stdout may have the column headers)
expect_err() {
	run query "$TMP/$1.kscope" "$2"
	expect_rc 1 || return
	[ "$(wc -l < "$TMP/err")" -eq 1 ] || { fail "stderr is not one line"; return; }
	case "$err" in
	"kscope: query: "$3) ok "$err" ;;
	*) fail "stderr is not 'kscope: query: $3'" ;;
	esac
}
# expect_val CASE SQL VALUE: the query succeeds and prints just VALUE
expect_val() {
	run query "$TMP/$1.kscope" --format csv "$2"
	expect_rc 0 || return
	v=$(sed -n 2p "$TMP/out" | tr -d '\r')
	[ "$v" = "$3" ] && ok "= $3" || fail "got '$v', wanted '$3'"
}

# Triggers (on meta, on chunks, INSTEAD OF on a view) never fire: the
# connection is read-only with triggers off.
expect_val triggers 'SELECT count(*) FROM syscalls' 1000
expect_err triggers "INSERT INTO meta VALUES('a', 'b')" \
	'attempt to write a readonly database'
expect_err triggers "INSERT INTO w VALUES('a', 'b')" '*'
expect_err triggers 'DELETE FROM chunks' 'attempt to write a readonly database'

# Views: unsafe functions are refused (untrusted schema), unknown ones are
# unknown; a view named like ours is shadowed by ours; harmless views work.
expect_err views 'SELECT * FROM summary' 'unsafe use of load_extension()'
expect_err views 'SELECT * FROM dump' 'no such function: writefile'
expect_val views 'SELECT count(*) FROM errors' 100
expect_val views 'SELECT * FROM busy' 1000
expect_val views 'SELECT * FROM hours' '1.50 ms'

# Schema tricks SQLite itself rejects: a column computed by an unsafe
# function, views over another schema or that attach.
run query "$TMP/generated.kscope" 'SELECT count(*) FROM syscalls'
expect_one_error 1 "cannot open '$TMP/generated.kscope': *"
run query "$TMP/crossdb.kscope" 'SELECT count(*) FROM syscalls'
expect_one_error 1 "cannot open '$TMP/crossdb.kscope': *"

# Attaching from a query cannot create or write a file either.
run_in "ATTACH '$TMP/new.db' AS x; CREATE TABLE x.t(a);" query "$G"
expect_rc 1 && [ ! -e "$TMP/new.db" ] && ok "no new.db"
run_in "ATTACH 'file:$TMP/new2.db?mode=rwc' AS x;" query "$G"
expect_one_error 1 'query: access mode not allowed: rwc'
run_in "ATTACH 'file:$G?mode=rw' AS x; DELETE FROM x.meta;" query "$G"
expect_one_error 1 'query: access mode not allowed: rw'

# Sizes that lie: the index's (only shown), a column's raw size past the
# decoder's limit, an LZ4 column claiming more than LZ4 can expand to, an
# event count the columns cannot hold, events without columns.
expect_val huge_raw 'SELECT count(*) FROM syscalls' 1000
run info "$TMP/huge_raw.kscope"
expect_rc 0 && ok "info shows what the index says"
for c in huge_column lz4_bomb count_lie no_columns; do
	expect_err $c 'SELECT sum(ts) FROM sched_migrate' \
		"chunk $(chunk_of $c) of sched_migrate: *"
done

# The chunk index: a row without its blob, a blob that is not one.
expect_err missing_blob 'SELECT sum(ts) FROM syscalls' \
	"chunk $(chunk_of missing_blob) of syscalls: cannot read it: *"
expect_err text_blob 'SELECT sum(ts) FROM syscalls' \
	"chunk $(chunk_of text_blob) of syscalls: cannot read it: *"
# Duplicate ids (a chunks table without a primary key): the chunk counts
# twice, which is what the file says; order stays right.
expect_val dup_ids 'SELECT count(*) FROM syscalls' 1100
run query "$TMP/dup_ids.kscope" --format csv 'SELECT ts FROM syscalls ORDER BY ts'
expect_rc 0 && sed 1d "$TMP/out" | tr -d '\r' | sort -c -n && ok "ORDER BY ts sorted"
# Kinds no table has are ignored.
expect_val bad_kind 'SELECT count(*) FROM syscalls' 800
run replay "$TMP/bad_kind.kscope"
expect_rc 0 && ok "replay skips unknown kinds"
# A damaged b-tree under chunks_by_kind is refused at open.
run query "$TMP/index_lies.kscope" 'SELECT count(*) FROM syscalls'
expect_one_error 1 "cannot open '$TMP/index_lies.kscope': the trace is corrupt (its chunk index is damaged)"

# ts spans that lie.  Any read of the chunk's ts checks its events against
# the span, so scans, ORDER BY, range queries that read the chunk and
# replay all fail naming it.  (A range that the lying span rules out does
# not read the chunk: what a range skips is the index's word.)
for c in span_narrow span_late; do
	id=$(chunk_of $c)
	expect_err $c 'SELECT sum(ts) FROM syscalls' \
		"chunk $id of syscalls: ts outside its index span"
	expect_err $c 'SELECT ts FROM syscalls ORDER BY ts' \
		"chunk $id of syscalls: ts outside its index span"
	expect_err $c 'SELECT * FROM syscalls WHERE ts BETWEEN 1050000000 AND 1060000000' \
		"chunk $id of syscalls: ts outside its index span"
	run replay "$TMP/$c.kscope"
	expect_rc 1 && case "$err" in
	*"chunk $id of syscalls: ts outside its index span"*) ok ;;
	*) fail "replay does not name the lie" ;;
	esac
	# reports' columnar scan: the index puts the chunk inside the
	# window; its events say otherwise
	run report "$TMP/$c.kscope" syscalls --from @1004000000 --to @1100000000
	expect_rc 1 && case "$err" in
	*"chunk $id of syscalls: ts outside its index span"*) ok ;;
	*) fail "report does not name the lie" ;;
	esac
done
run report "$TMP/span_wide.kscope" syscalls --from @1004000000 --to @1100000000
expect_rc 0 && expect_out_has '96 calls, 9 failed'

expect_val span_wide 'SELECT count(*) FROM syscalls WHERE ts BETWEEN 1010000000 AND 1019000001' 10
expect_val span_wide 'SELECT sum(ts) FROM syscalls' 1499500001000
expect_err unsorted 'SELECT ts FROM sched_migrate' \
	"chunk $(chunk_of unsorted) of sched_migrate: column 'ts' is not in ts order"

# Extreme values: the fuzz seeds tests/fuzz/corpus-trace/extreme-* (pids
# 0xFFFFFFFF, the first syscall's among them; syscall numbers, returns,
# durations, ts and clock offsets at their types' limits; an index count of
# INT64_MIN).  Each command answers (exit 0) or says why in one line (exit
# 1); none crashes (the summary once did on the first pid).
for f in "${srcdir:-.}"/tests/fuzz/corpus-trace/extreme-*; do
	for args in "info" "report" \
		"report syscalls slow errors procs cpu runqlat offcpu net files" \
		"replay" "replay --format json" \
		"query SELECT wall(ts), fmt_dur(dur), errno_name(ret) FROM syscalls"; do
		set -- $args
		cmd=$1
		shift
		if [ "$cmd" = query ]; then
			run query "$f" "$*"
		else
			run "$cmd" "$f" "$@"
		fi
		last="${f##*/}: $args"
		case "$rc:$(wc -l < "$TMP/err")" in
		0:*) ok ;;
		1:1) case "$err" in
			"kscope: "*) ok "$err" ;;
			*) fail "exit 1 without a kscope message" ;;
			esac ;;
		*) fail "exit $rc, $(wc -l < "$TMP/err") line(s) on stderr" ;;
		esac
	done
done
run report "${srcdir:-.}/tests/fuzz/corpus-trace/extreme-ids"
expect_rc 0 && expect_out_has "4294967295  max       3" && ok "pid 4294967295 has its 3 calls"

# Nothing above wrote to any file or left one behind.
( cd "$TMP" && sha256sum *.kscope ) > "$TMP/sums.after"
last="every trace"
cmp -s "$TMP/sums.before" "$TMP/sums.after" && ok "unchanged" ||
	fail "a trace changed: $(diff "$TMP/sums.before" "$TMP/sums.after")"
ls "$TMP" | grep -v -e '^sums\.' -e '^out$' -e '^err$' -e '^files\.' > "$TMP/files.after"
grep -v -e '^sums\.' -e '^files\.' "$TMP/files.before" | cmp -s - "$TMP/files.after" &&
	ok "no file created" ||
	fail "files appeared: $(grep -v -e '^sums\.' -e '^files\.' "$TMP/files.before" |
		diff - "$TMP/files.after")"

finish
