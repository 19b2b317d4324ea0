#!/bin/sh
# test-hostile.sh - traces crafted to attack the reader (tests/hostile.py
# makes them): triggers, views calling unsafe functions, generated columns,
# schema mutations, format versions, attached databases, lying chunk
# headers and a lying chunk index.  Each must give a clear error or be
# harmless: never a crash, never a hang (commands run under timeout 20),
# never a write to any file, never a call of an unsafe function.
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

# expect_refused CASE MESSAGE: `kscope info` refuses the trace at open
# with one line "cannot open 'CASE.kscope': not a kscope trace: MESSAGE"
expect_refused() {
	run_t info "$TMP/$1.kscope"
	expect_one_error 1 "cannot open '$TMP/$1.kscope': not a kscope trace: $2"
}
# run_t ARGS...: run, bounded: a reader that hangs fails the check
run_t() {
	timeout 20 "$KSCOPE" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	last="kscope $*"
	[ "$rc" -ne 124 ] || fail "still running after 20 s"
}

# The schema must be the format's own, object for object and column for
# column: triggers, views, extra tables, columns and indexes are refused
# at open, before any statement reads a row.
expect_refused triggers "unexpected trigger 'meta_ins'"
expect_refused views "unexpected view 'summary'"
expect_refused sm_view "unexpected view 'v'"
expect_refused sm_extra_table "unexpected table 'notes'"
expect_refused sm_stat1 "unexpected table 'sqlite_stat1'"
expect_refused sm_extra_column "table threads has an unexpected column 'note'"
expect_refused sm_extra_index "unexpected index 'procs_by_comm' on table 'processes'"
expect_refused sm_no_index "index chunks_by_kind is missing"
expect_refused sm_missing_table "table lost is missing"
# the shed table came with format 1.2: older files lack it
run_t info "$TMP/sm_no_shed.kscope"
expect_rc 0 && ok "a trace without the shed table opens"
run_t report "$TMP/sm_no_shed.kscope" syscalls
expect_rc 0 && ok "and reports on it work"
# processes_by_comm came with format 1.3
run_t info "$TMP/sm_no_comm_index.kscope"
expect_rc 0 && ok "a trace without processes_by_comm opens"
run_t query "$TMP/sm_no_comm_index.kscope" "SELECT p.comm, count(*) FROM syscalls s JOIN processes p ON p.pid = s.pid GROUP BY p.comm"
expect_rc 0 && ok "and joins with processes"
expect_refused sm_comm_index_cols "index processes_by_comm does not have the format's*"
expect_refused sm_shed_type "column shed.dropped has type 'BLOB', not 'INTEGER'"
expect_refused sm_type "column chunks.count has type 'TEXT', not 'INTEGER'"
expect_refused sm_rowid_meta "column meta.key is not declared as the format declares it*"
expect_refused gen_stored "table processes has a generated column 'exit_signal'"
# chunks without a primary key (ids could repeat)
expect_refused dup_ids "column chunks.id is not declared as the format declares it (primary key)"

# A newer minor version's own tables are let be; code is not, nor an
# index on a table of ours.
run_t info "$TMP/minor_table.kscope"
expect_rc 0 && expect_out_has "format       1.9" && ok "opens"
expect_refused minor_gen "table 'future' has a generated or hidden column"
expect_refused minor_view "unexpected view 'future'"
expect_refused minor_index "unexpected index 'procs_by_comm' on table 'processes'"
expect_refused minor_shadow "unexpected table 'Syscalls'"
expect_refused minor_pragma "unexpected table 'pragma_table_xinfo'"

# Generated columns computing 200 MB of hex per row (of meta, read by
# every command at open; of processes, read by reports, exports and the
# TUI) are refused at once, by every command.
expect_refused gen_meta "table meta has an unexpected column 'value0'"
GC=$TMP/gen_comm.kscope
gen_refused() {
	run_t "$@"
	rm -rf "$TMP/exp.d" "$TMP/exp.pb"
	expect_one_error 1 "cannot open '$GC': not a kscope trace: table processes has an unexpected column 'comm0'"
}
gen_refused info "$GC"
gen_refused report "$GC" procs
gen_refused report "$GC"
gen_refused query "$GC" 'SELECT count(*) FROM processes'
gen_refused export "$GC" --format csv -o "$TMP/exp.d"
gen_refused export "$GC" --format perfetto -o "$TMP/exp.pb"
gen_refused replay "$GC"
gen_refused tui "$GC"

# Format versions: the header's (user_version) and meta's, strictly.
for c in uv_zero uv_negative; do
	run_t info "$TMP/$c.kscope"
	expect_one_error 1 "cannot open '$TMP/$c.kscope': not a kscope trace (its header says format *"
done
run_t info "$TMP/uv_newer.kscope"
expect_one_error 1 "cannot open '$TMP/uv_newer.kscope': trace format 2.x is newer than this kscope reads (1.x); upgrade kscope"
run_t info "$TMP/ver_wrap.kscope"
expect_one_error 1 "cannot open '$TMP/ver_wrap.kscope': not a kscope trace (format version '4294967297.0' is not MAJOR.MINOR)"
run_t info "$TMP/ver_negative.kscope"
expect_one_error 1 "cannot open '$TMP/ver_negative.kscope': not a kscope trace (format version '-1.0' is not MAJOR.MINOR)"
run_t info "$TMP/ver_junk.kscope"
expect_one_error 1 "cannot open '$TMP/ver_junk.kscope': not a kscope trace (format version '1.0 beta' is not MAJOR.MINOR)"

# What SQL may cost is bounded: a statement that would never end is
# stopped by the reader's budget (docs/FUZZING.md "Reader's promises").
run_t query "$G" 'WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT count(*) FROM c'
expect_rc 1 && case "$err" in
"kscope: query: interrupted (the statement ran past the reader's budget of SQL steps: docs/FUZZING.md)") ok "$err" ;;
*) fail "not stopped by the budget" ;;
esac
# ... and so is a value past the length limit
run_t query "$G" 'SELECT length(hex(zeroblob(200000000)))'
expect_rc 1 && case "$err" in
"kscope: query: string or blob too big") ok "$err" ;;
*) fail "no length limit" ;;
esac
# ... and SQLite's heap: three 200 MB strings held at once are refused,
# the process staying under the 512 MiB cap (peak RSS by /usr/bin/time)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o "$TMP/rss" timeout 20 "$KSCOPE" query "$G" \
		'SELECT length(a) + length(b) + length(c) FROM (SELECT hex(zeroblob(100000000)) a, hex(zeroblob(100000001)) b, hex(zeroblob(100000002)) c)' \
		>"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	err=$(cat "$TMP/err")
	rss=$(tail -n 1 "$TMP/rss")
	rm -f "$TMP/rss"
	last="kscope query: 600 MB of strings"
	expect_rc 1 && if [ "$err" = "kscope: query: out of memory" ] &&
		[ "$rss" -lt $((640 * 1024)) ]; then
		ok "$err, peak RSS $rss KB"
	else
		fail "peak RSS $rss KB"
	fi
fi
# a statement after a stopped one has a new budget
run_t query "$G" --format csv 'SELECT count(*) FROM syscalls'
expect_rc 0 && ok

# The TUI on the generated-column trace: one line and the shell back,
# never a blank screen that ignores q.
if command -v tmux >/dev/null 2>&1; then
	srcdir=${srcdir:-.}
	. "$srcdir/tests/tui-lib.sh"
	TUI_TIMEOUT=20
	KABS=$(cd "$(dirname "$KSCOPE")" && pwd)/$(basename "$KSCOPE")
	last="kscope tui gen_comm.kscope (tmux)"
	if tui_start 100 30; then
		tui_run "$KABS tui $TMP/gen_comm.kscope; echo rc=\$?"
		if tui_wait 'rc=1'; then
			tui_screen | tr -d '\n' | grep -q "table processes has an unexpected column 'comm0'" &&
				ok "refused, shell back" || fail "no message: $(tui_screen)"
		else
			tui_keys q
			fail "still running after ${TUI_TIMEOUT} s: $(tui_screen | head -5)"
		fi
		tui_stop
	else
		echo "note: tmux would not start; the TUI check is skipped"
	fi
fi

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
expect_one_error 1 'query: not authorized *'
run_in "ATTACH 'file:$G?mode=rw' AS x; DELETE FROM x.meta;" query "$G"
expect_one_error 1 'query: not authorized *'

# Sizes that lie: the index's (refused at open: a blob of another size, a
# raw size no chunk of that many events can have), a column's raw size
# past what its events can need, an LZ4 column claiming more than LZ4 can
# expand to, an event count the columns cannot hold, events without
# columns (their index rows pass the open check; the decoder refuses).
run info "$TMP/huge_raw.kscope"
expect_one_error 1 "cannot open '$TMP/huge_raw.kscope': chunk $(chunk_of huge_raw) of syscalls: *"
run info "$TMP/count_huge.kscope"
expect_one_error 1 "cannot open '$TMP/count_huge.kscope': chunk $(chunk_of count_huge) of sched_migrate: bad event count 4000000 (1 to 65536)"
for c in huge_column lz4_bomb count_lie no_columns; do
	expect_err $c 'SELECT sum(ts) FROM sched_migrate' \
		"chunk $(chunk_of $c) of sched_migrate: *"
done

# The chunk index: a row without its blob, a blob that is not one
# (refused at open, naming the chunk).
run query "$TMP/missing_blob.kscope" 'SELECT sum(ts) FROM syscalls'
expect_one_error 1 "cannot open '$TMP/missing_blob.kscope': chunk $(chunk_of missing_blob) of syscalls: its data is missing"
run query "$TMP/text_blob.kscope" 'SELECT sum(ts) FROM syscalls'
expect_one_error 1 "cannot open '$TMP/text_blob.kscope': chunk $(chunk_of text_blob) of syscalls: its data is a integer, not a blob"
# Kinds no table has: no scan would read the chunk, so a file of this
# format version (not a newer one) with one is refused.
run replay "$TMP/bad_kind.kscope"
expect_one_error 1 "cannot open '$TMP/bad_kind.kscope': chunk $(chunk_of bad_kind): unknown event kind 99"
# An index whose declaration does not match its b-tree is refused at open.
run query "$TMP/index_lies.kscope" 'SELECT count(*) FROM syscalls'
expect_one_error 1 "cannot open '$TMP/index_lies.kscope': not a kscope trace: index chunks_by_kind does not have the format's key columns"

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

# Index spans and other index rows no scan would meet (a negative or
# reversed span, no events, an unknown codec, a text where an integer
# belongs, a stored size that is not the blob's, a blob without a row):
# every command refuses the file with one line naming the chunk, where
# the code before this check showed the events in info and hid them from
# everything else.
for c in neg_span reversed_span zero_count bad_codec text_span stored_lie \
	 orphan_data; do
	id=$(chunk_of $c)
	case $c in
	orphan_data) want="chunk data $id has no row in the chunk index" ;;
	text_span) want="chunk $id: *" ;;
	*) want="chunk $id of syscalls: *" ;;
	esac
	for cmd in "info" "query|SELECT count(*) FROM syscalls" "replay" \
		   "report|syscalls" "export|--format|csv|-o|$TMP/x-$c" \
		   "export|--format|clickhouse|-o|$TMP/y-$c" \
		   "export|--format|perfetto" "verify"; do
		IFS='|'
		set -- $cmd
		unset IFS
		sub=$1
		shift
		run "$sub" "$TMP/$c.kscope" "$@"
		pre=
		[ "$sub" = verify ] && pre="verify: "
		expect_rc 1 || continue
		[ "$(wc -l < "$TMP/err")" -eq 1 ] ||
			{ fail "stderr is not one line"; continue; }
		case "$err" in
		"kscope: ${pre}cannot open '$TMP/$c.kscope': "$want) ok ;;
		*) fail "stderr is not 'cannot open ...: $want'" ;;
		esac
	done
	rm -rf "$TMP/x-$c" "$TMP/y-$c"
done
# the issue's own case, in numbers: every syscall chunk's span negative
run query "$TMP/neg_span.kscope" 'SELECT count(*) FROM syscalls'
expect_one_error 1 "cannot open '$TMP/neg_span.kscope': chunk $(chunk_of neg_span) of syscalls: bad time span [-5, -1]"

# kscope verify: a good trace passes (its event count is what the index
# and SQL say); damaged chunks are listed one line each, naming each.
run query "$G" --format csv 'SELECT count(*) FROM syscalls'
nsys=$(sed -n 2p "$TMP/out" | tr -d '\r')
run query "$G" --format csv 'SELECT count(*), sum(count) FROM chunks'
nchunks=$(sed -n 2p "$TMP/out" | tr -d '\r' | cut -d, -f1)
nev=$(sed -n 2p "$TMP/out" | tr -d '\r' | cut -d, -f2)
run verify "$G"
expect_rc 0 && [ ! -s "$TMP/err" ] &&
	expect_out_equals "$G: $nchunks chunks, $nev events: ok" && ok "$nev events ($nsys syscalls)"
run verify "$TMP/column_damage.kscope"
expect_rc 1 && {
	id=$(chunk_of column_damage)
	ids=$(sed -n 's/^kscope: verify: chunk \([0-9]*\) of syscalls: column .* checksum mismatch$/\1/p' "$TMP/err" | tr '\n' ' ')
	[ "$(wc -l < "$TMP/err")" -eq 3 ] && [ "$ids" = "$id $((id + 1)) $((id + 2)) " ] &&
		expect_out_has ": 3 bad chunks" && ok "chunks $ids"
} || fail "wanted three lines naming chunks $(chunk_of column_damage).."
run verify "$TMP/span_wide_verify.kscope"
expect_rc 1 && [ "$(wc -l < "$TMP/err")" -eq 1 ] && case "$err" in
"kscope: verify: chunk $(chunk_of span_wide_verify) of syscalls: the index span "*) ok ;;
*) fail "verify does not name the wide span" ;;
esac
run verify "$TMP/unsorted.kscope"
expect_rc 1 && case "$err" in
"kscope: verify: chunk $(chunk_of unsorted) of sched_migrate: column 'ts' is not in ts order") ok ;;
*) fail "verify does not name the unsorted chunk" ;;
esac
run verify "$TMP/neg_span.kscope"
expect_one_error 1 "verify: cannot open '$TMP/neg_span.kscope': chunk $(chunk_of neg_span) of syscalls: bad time span [-5, -1]"
# 25 damaged chunks: 20 lines, then how many more
"$MKTRACE" "$TMP/many.kscope" --chunk-events 10 || exit 99
python3 - "$TMP/many.kscope" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for cid, d in db.execute("SELECT id, data FROM chunk_data WHERE id IN (SELECT"
                         " id FROM chunks WHERE kind = 0) LIMIT 25").fetchall():
    b = bytearray(d)
    b[-1] ^= 0xff
    db.execute("UPDATE chunk_data SET data = ? WHERE id = ?", (bytes(b), cid))
db.commit()
PY
run verify "$TMP/many.kscope"
expect_rc 1 && [ "$(grep -c '^kscope: verify: chunk [0-9]* of syscalls: ' "$TMP/err")" -eq 20 ] &&
	[ "$(tail -1 "$TMP/err")" = "kscope: verify: ... and 5 more problems" ] &&
	expect_out_has ": 25 bad chunks" && ok "20 lines and 5 more" ||
	fail "wanted 20 lines, then '... and 5 more problems'"
rm -f "$TMP/many.kscope"
run verify "$G" "$G"
expect_one_error 2 "verify: one trace file at a time"
run verify --help
expect_rc 0 && expect_out_has "usage: kscope verify FILE"

# Bombs: a 19 MB chunk of 18 LZ4 columns of 65536 events, each claiming
# 256 MiB (zeros).  A column of N events needs at most 10 N raw bytes (an
# integer) or 5 N + 8 MiB (a string), so the decoder refuses it before
# allocating (bomb); an index owning up to the sizes is refused at open
# (bomb_index).  Every command fails with a reason, and the peak RSS
# stays within the good trace's plus the largest decoded chunk
# (docs/FORMAT.md, "Limits": 80 MiB at 65536 events).
rss() { # rss CMD ARGS...: peak RSS in KiB into $kb; run's $rc, $err
	/usr/bin/time -f %M -o "$TMP/rss" "$KSCOPE" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	err=$(cat "$TMP/err")
	kb=$(tail -1 "$TMP/rss")
	last="kscope $*"
}
if [ -x /usr/bin/time ]; then
	for c in bomb bomb_index; do
		id=$(chunk_of $c)
		for cmd in "query|SELECT sum(ts), count(path) FROM syscalls" \
			   "replay" "report|syscalls" "export|--format|perfetto" \
			   "verify"; do
			IFS='|'
			set -- $cmd
			unset IFS
			sub=$1
			shift
			rss "$sub" "$G" "$@"
			base=$kb
			rss "$sub" "$TMP/$c.kscope" "$@"
			[ "$rc" -eq 1 ] || { fail "exit $rc, wanted 1"; continue; }
			case "$err" in
			*"chunk $id of syscalls: "?*) ;;
			*) fail "no reason naming chunk $id"; continue ;;
			esac
			[ "$kb" -le $((base + 80 * 1024)) ] &&
				ok "$kb KiB peak (good trace: $base KiB): ${err#kscope: }" ||
				fail "peak RSS $kb KiB, past $base + 80 MiB"
		done
	done
else
	echo "note: no /usr/bin/time: bomb RSS not measured"
fi

# Extreme values: the fuzz seeds tests/fuzz/corpus-trace/extreme-* (pids
# 0xFFFFFFFF, the first syscall's among them; syscall numbers, returns,
# durations, ts and clock offsets at their types' limits; an index count of
# INT64_MIN).  Each command answers (exit 0) or says why in one line (exit
# 1); none crashes (the summary once did on the first pid).
for f in "${srcdir:-.}"/tests/fuzz/corpus-trace/extreme-*; do
	for args in "info" "report" \
		"report syscalls slow errors procs cpu runqlat offcpu net files why" \
		"query SELECT count(*), sum(dur) FROM thread_state" \
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
ls "$TMP" | grep -v -e '^sums\.' -e '^out$' -e '^err$' -e '^rss$' -e '^files\.' > "$TMP/files.after"
grep -v -e '^sums\.' -e '^files\.' "$TMP/files.before" | cmp -s - "$TMP/files.after" &&
	ok "no file created" ||
	fail "files appeared: $(grep -v -e '^sums\.' -e '^files\.' "$TMP/files.before" |
		diff - "$TMP/files.after")"

# Terminal controls in a trace: an OSC title, BEL and erase-screen CSI in
# the format version (in info's error), C1 CSI (U+009B, UTF-8 c2 9b) and a
# stray 0x9b byte in a path and the host (table output, replay, info).  No
# raw ESC, BEL, C1 or 0x9b byte reaches stdout or stderr; each is shown
# \xHH.  JSON \u-escapes them; CSV keeps the exact bytes.
# raw_controls FILE: does FILE hold ESC, BEL, C1 (c2 80-9f) or a lone 0x9b?
raw_controls() {
	LC_ALL=C grep -q -e "$(printf '\033')" -e "$(printf '\007')" \
		-e "$(printf '\302')[$(printf '\200')-$(printf '\237')]" \
		-e "$(printf '\233')" "$1"
}
E=$TMP/esc
mkdir "$E"
for fv in "$(printf '9.0\033]0;PWNED\007\033[2J')" "$(printf '9.0\302\2332J')"; do
	"$MKTRACE" "$E/fv.kscope" --format-version "$fv" >/dev/null || exit 99
	for cmd in info query replay report; do
		run $cmd "$E/fv.kscope"
		last="kscope $cmd (format_version with controls)"
		[ "$rc" -eq 1 ] && [ "$(wc -l < "$TMP/err")" -eq 1 ] &&
			! raw_controls "$TMP/err" && ! raw_controls "$TMP/out" &&
			{ grep -q -e '9\.0\\x1b\]0;PWNED\\x07\\x1b\[2J' \
				-e '9\.0\\xc2\\x9b2J' "$TMP/err" ||
			  ! grep -q -e PWNED -e 2J "$TMP/err"; } &&
			ok "$err" || fail "raw controls, or the version not escaped"
	done
done
"$MKTRACE" "$E/e.kscope" --escapes >/dev/null || exit 99
want_path='/tmp/\xc2\x9b2J\x1b]0;PWNED\x07\x1b[2J\x9b1m'
run query "$E/e.kscope" "SELECT ts, path FROM syscalls WHERE path LIKE '%PWNED%'"
expect_rc 0 && ! raw_controls "$TMP/out" && expect_out_has "$want_path" &&
	ok "table output escaped" || fail "raw controls in the table"
run query "$E/e.kscope" "SELECT meta.value FROM meta WHERE key = 'host'"
expect_rc 0 && ! raw_controls "$TMP/out" && expect_out_has 'evil\xc2\x9b2J\x1b]0;PWNED\x07' &&
	ok "table output escaped" || fail "raw controls in the table"
run replay "$E/e.kscope"
expect_rc 0 && ! raw_controls "$TMP/out" && expect_out_has "path=\"$want_path\"" &&
	ok "replay text escaped" || fail "raw controls in replay"
run info "$E/e.kscope"
expect_rc 0 && ! raw_controls "$TMP/out" && expect_out_has 'evil\xc2\x9b2J\x1b]0;PWNED\x07' &&
	ok "info escaped" || fail "raw controls in info"
run report "$E/e.kscope" files
expect_rc 0 && ! raw_controls "$TMP/out" && ok "report files: no raw controls" ||
	fail "raw controls in a report"
run query "$E/e.kscope" -F json "SELECT path FROM syscalls WHERE path LIKE '%PWNED%'"
expect_rc 0 && ! raw_controls "$TMP/out" &&
	expect_out_has '"/tmp/\u009b2J\u001b]0;PWNED\u0007\u001b[2J\ufffd1m"' &&
	ok "JSON \\u-escapes controls" || fail "JSON"
run replay "$E/e.kscope" --format json
expect_rc 0 && ! raw_controls "$TMP/out" && expect_out_has '"path":"/tmp/\u009b2J\u001b]0;PWNED\u0007' &&
	ok "replay JSON \\u-escapes controls" || fail "replay JSON"
run query "$E/e.kscope" -F csv "SELECT path FROM syscalls WHERE path LIKE '%PWNED%'"
last="query -F csv keeps the bytes"
[ "$rc" -eq 0 ] && [ "$(sed -n 2p "$TMP/out" | tr -d '\r' | od -An -tx1)" = \
	"$(printf '/tmp/\302\2332J\033]0;PWNED\007\033[2J\2331m\n' | od -An -tx1)" ] &&
	ok || fail "CSV changed the bytes"

finish
