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
# connection is read-only with triggers off, and writes are not authorized
# (analyze/sqlguard.c).
expect_val triggers 'SELECT count(*) FROM syscalls' 1000
expect_err triggers "INSERT INTO meta VALUES('a', 'b')" 'not authorized *'
expect_err triggers "INSERT INTO w VALUES('a', 'b')" '*'
expect_err triggers 'DELETE FROM chunks' 'not authorized *'

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
# Duplicate ids (a chunks table without a primary key): the chunk counts
# twice, which is what the file says; order stays right.
expect_val dup_ids 'SELECT count(*) FROM syscalls' 1100
run query "$TMP/dup_ids.kscope" --format csv 'SELECT ts FROM syscalls ORDER BY ts'
expect_rc 0 && sed 1d "$TMP/out" | tr -d '\r' | sort -c -n && ok "ORDER BY ts sorted"
# Kinds no table has: no scan would read the chunk, so a file of this
# format version (not a newer one) with one is refused.
run replay "$TMP/bad_kind.kscope"
expect_one_error 1 "cannot open '$TMP/bad_kind.kscope': chunk $(chunk_of bad_kind): unknown event kind 99"
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
	rm -rf "$TMP/x-$c"
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
