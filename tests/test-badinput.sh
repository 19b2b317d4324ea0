#!/bin/sh
# test-badinput.sh - bad files and bad arguments given to `kscope info` and
# `kscope query`: each gets one clear line on stderr, exit 1 (bad file) or
# 2 (bad usage), and never a crash.
. "$(dirname "$0")/cli-lib.sh"

have_python || { echo "SKIP: python3 with sqlite3 is needed to craft files"; exit 77; }

T=$TMP/good.kscope
"$MKTRACE" "$T" --syscalls 20000 || exit 99

# the bad files
: > "$TMP/empty.kscope"
head -c 5000 /dev/urandom > "$TMP/random.kscope"
python3 -c 'import sys
for i in range(200): sys.stdout.write("this is a text file, not a trace\n")' > "$TMP/text.kscope"
python3 - "$TMP/plain.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE meta(key TEXT, value TEXT)")
c.execute("INSERT INTO meta VALUES('format_version', '1.0')")
c.commit()
PY
# a file that carries our application id but is not a trace
python3 - "$TMP/fake.kscope" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA application_id = 0x4b53434f")
c.execute("CREATE TABLE meta(key TEXT, value TEXT)")
c.commit()
PY
size=$(wc -c < "$T")
head -c $((size / 2)) "$T" > "$TMP/half.kscope"
head -c 4096 "$T" > "$TMP/page.kscope"
"$MKTRACE" "$TMP/v2.kscope" --format-version 2.0 || exit 99
if [ "$(id -u)" -ne 0 ]; then # root reads anything
	cp "$T" "$TMP/noread.kscope"
	chmod 000 "$TMP/noread.kscope"
fi

# every bad file, through both commands
for cmd in info query; do
	q() {
		if [ "$cmd" = query ]; then
			run query "$1" 'SELECT count(*) FROM syscalls'
		else
			run info "$1"
		fi
	}
	q "$TMP/missing.kscope"
	expect_one_error 1 "cannot open '$TMP/missing.kscope': No such file or directory"
	q "$TMP"
	expect_one_error 1 "cannot open '$TMP': is a directory"
	q "$TMP/empty.kscope"
	expect_one_error 1 "cannot open '$TMP/empty.kscope': *"
	q "$TMP/random.kscope"
	expect_one_error 1 "cannot open '$TMP/random.kscope': not a kscope trace*"
	q "$TMP/text.kscope"
	expect_one_error 1 "cannot open '$TMP/text.kscope': not a kscope trace*"
	q "$TMP/plain.db"
	expect_one_error 1 "cannot open '$TMP/plain.db': not a kscope trace*"
	q "$TMP/fake.kscope"
	expect_one_error 1 "cannot open '$TMP/fake.kscope': not a kscope trace*"
	q "$TMP/half.kscope"
	expect_one_error 1 "cannot open '$TMP/half.kscope': *"
	q "$TMP/page.kscope"
	expect_one_error 1 "cannot open '$TMP/page.kscope': *"
	q "$TMP/v2.kscope"
	expect_one_error 1 "cannot open '$TMP/v2.kscope': trace format 2.0 is newer than this kscope reads*"
	if [ -f "$TMP/noread.kscope" ]; then
		q "$TMP/noread.kscope"
		expect_one_error 1 "cannot open '$TMP/noread.kscope': Permission denied"
	fi
done

# a chunk whose bytes are flipped: the trace opens, reading that chunk's
# damaged column fails with a message naming the chunk
cp "$T" "$TMP/flip.kscope"
flip_chunk "$TMP/flip.kscope"
run query "$TMP/flip.kscope" 'SELECT * FROM syscalls'
expect_rc 1 && case "$err" in
"kscope: query: chunk "*) ok "$err" ;;
*) fail "stderr does not name the chunk" ;;
esac
[ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "stderr is not one line"
run info "$TMP/flip.kscope"
expect_rc 0 && ok "info reads only the chunk index"

# a chunk cut short
cp "$T" "$TMP/cut.kscope"
python3 - "$TMP/cut.kscope" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE chunk_data SET data = substr(data, 1, length(data) / 2) "
          "WHERE id = (SELECT min(id) FROM chunks WHERE kind = 0)")
# the index agreeing on the new length (else refused at open, naming it)
c.execute("UPDATE chunks SET stored_size = (SELECT length(data) FROM "
          "chunk_data WHERE chunk_data.id = chunks.id)")
c.commit()
PY
run query "$TMP/cut.kscope" 'SELECT sum(dur), sum(ret) FROM syscalls'
expect_rc 1 && case "$err" in
"kscope: query: chunk "*) ok "$err" ;;
*) fail "stderr does not name the chunk" ;;
esac

# bad usage: exit 2, one line
run info
expect_one_error 2 "info: no trace file given; see 'kscope info --help'"
run info --bogus "$T"
expect_one_error 2 "info: unknown option '--bogus'; see 'kscope info --help'"
run info -x "$T"
expect_one_error 2 "info: unknown option '-x'; see 'kscope info --help'"
run info "$T" --format xml
expect_one_error 2 "info: unknown format 'xml' (text or json)"
# several traces are several; one that does not open is one line
run info "$T" "$TMP/nosuch.kscope"
expect_one_error 1 "cannot open '$TMP/nosuch.kscope': No such file or directory"
run query
expect_one_error 2 "query: no trace file given; see 'kscope query --help'"
run query "$T" 'SELECT 1' --bogus
expect_one_error 2 "query: unknown option '--bogus'; see 'kscope query --help'"
run query "$T" --format xml 'SELECT 1'
expect_one_error 2 "query: unknown format 'xml' (table, csv or json)"
run query "$T" --format
expect_one_error 2 "query: --format needs a value (table, csv or json)"
run query "$T" SELECT 1
expect_one_error 2 "query: too many arguments (quote the SQL as one argument)"
# the same words in every command (cmdopt.c): a missing value, a missing
# or an extra trace file
for cmd in info query replay export report verify tui; do
	run "$cmd"
	expect_one_error 2 "$cmd: no trace file given; see 'kscope $cmd --help'"
done
for cmd in verify tui; do
	run "$cmd" "$T" "$T"
	expect_one_error 2 "$cmd: one trace file at a time"
done
run report "$T" --from
expect_one_error 2 "report: --from needs a value; see 'kscope report --help'"
run report "$T" -n
expect_one_error 2 "report: -n needs a value; see 'kscope report --help'"
run replay "$T" -F
expect_one_error 2 "replay: -F needs a value; see 'kscope replay --help'"
run export "$T" -o
expect_one_error 2 "export: -o needs a value; see 'kscope export --help'"
run tui "$T" --bogus
expect_one_error 2 "tui: unknown option '--bogus'; see 'kscope tui --help'"
run nosuchcommand
expect_one_error 2 "'nosuchcommand' is not a kscope command; see 'kscope --help'"

# user input quoted in an error shows its control characters escaped
# (textesc_quote): a CSV line end, a tab, an escape sequence
CR=$(printf '\r')
TAB=$(printf '\t')
ESC=$(printf '\033')
run report "$T" --pid "32046$CR"
expect_one_error 2 "report: bad pid '32046\\r'"
run report "$T" --tid "1${TAB}2"
expect_one_error 2 "report: bad tid '1\\t2'"
run report "$T" --top "${ESC}[31m"
expect_one_error 2 "report: bad --top '\\x1b[31m' (a number from 1 to 1000000)"
run report "$T" "sum${ESC}"
expect_one_error 2 "report: no report called 'sum\\x1b'; *"
run report "$T" --from "1s$CR"
expect_one_error 2 "report: --from: bad time '1s\\r': *"
run report "$T" --from 2s --to "1s$TAB"
expect_one_error 2 "report: --to: bad time '1s\\t': *"
for cmd in info query replay export report; do
	run "$cmd" "$T" --format "x$CR"
	expect_one_error 2 "$cmd: unknown format 'x\\r' (*"
done
run info "$T" "--bo${ESC}gus"
expect_one_error 2 "info: unknown option '--bo\\x1bgus'; see 'kscope info --help'"
run "bogus$ESC"
expect_one_error 2 "'bogus\\x1b' is not a kscope command*"
run replay "$T" "comm = a and bogus${ESC} = 1"
expect_rc 2 && case "$(head -n 1 "$TMP/err")" in
*"unknown field 'bogus\\x1b'"*) ok "$err" ;;
*) fail "the field is not quoted escaped" ;;
esac
grep -q "$ESC" "$TMP/err" && fail "an escape character reached stderr"
run replay "$T" "pid = 1 $ESC"
expect_rc 2 && case "$(head -n 1 "$TMP/err")" in
*"not '\\x1b'"*) ok "$err" ;;
*) fail "the character is not quoted escaped" ;;
esac
run record -p "1$CR" -- true
expect_one_error 2 "record: bad pid list '1\\r'*"
# a file name: the store's and the output's errors quote it escaped
run record -o "$TMP/no${ESC}dir/t.kscope" -- true
expect_one_error 1 "record: cannot create '$TMP/no\\x1bdir/t.kscope': *"
run export "$T" --format perfetto -o "$TMP/no${ESC}dir/t.json"
expect_one_error 1 "export: cannot create '$TMP/no\\x1bdir/t.json': *"

finish
