#!/bin/sh
# test-sqlext.sh - the loadable extension as a user meets it: the sqlite3
# program opens a trace (tests/test-mktrace.c's known contents), .load's
# the built kscope.so, and queries the event tables, the functions and the
# views; a corrupt chunk is an error naming the chunk.
. "$(dirname "$0")/cli-lib.sh"

EXT=${KSCOPE_EXT:-.libs/kscope.so}
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }
[ -f "$EXT" ] || { echo "SKIP: $EXT not built"; exit 77; }
# An extension built with the sanitizers (--enable-sanitizers) loads only
# into a program that starts with their runtimes: sqlite3 gets them
# preloaded, so that they watch the extension there too.
SAN_RT=$(ldd "$EXT" 2>/dev/null | awk '$1 ~ /^lib(asan|ubsan)\.so/ { printf "%s ", $3 }')
sqlite3_ext() { # the sqlite3 program, as it can .load $EXT
	LD_PRELOAD="$SAN_RT${LD_PRELOAD:+ $LD_PRELOAD}" "$SQLITE3" "$@"
}

T=$TMP/t.kscope
"$MKTRACE" "$T" >/dev/null || { echo "FAIL: mktrace"; exit 1; }

# sq SQL...: run the sqlite3 program on $T, .load first
sq() {
	sqlite3_ext -batch -bail "$T" ".load ${EXT%.so}" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	last="sqlite3 t.kscope .load kscope $*"
}

sq "SELECT count(*), sum(ret < 0), min(name), max(name) FROM syscalls"
expect_rc 0 && expect_out_equals "1000|100|read|write" && ok "syscalls"
sq "SELECT count(*) FROM sched_switch" "SELECT count(*) FROM sched_wakeup" \
   "SELECT group_concat(kind) FROM proc_events" "SELECT count(*) FROM net_events" \
   "SELECT count(*) FROM sched_migrate"
expect_rc 0 && expect_out_equals "10
10
fork,exec,exit
2
0" && ok "every event table"
p=$("$KSCOPE" query "$T" -F csv "SELECT percentile(dur, 90) FROM syscalls" | tail -1 | tr -d '\r')
sq "SELECT errno_name(-2), fmt_dur(1500000), log2_bucket(1024), wall(1000000000)" \
   "SELECT percentile(dur, 90) FROM syscalls"
expect_rc 0 && expect_out_equals "ENOENT|1.50 ms|10|2023-11-14T22:13:20.000000000Z
$p" && ok "functions, percentile as kscope query has it ($p)"
sq "SELECT count(*), min(errno), max(errno) FROM errors" \
   "SELECT count(*), count(cmdline) FROM syscalls_p" "SELECT count(*) FROM threads_p"
expect_rc 0 && expect_out_equals "100|ENOENT|ENOENT
1000|1000
3" && ok "views"
# .tables lists every table `kscope query --help` names (the event tables
# are TEMP virtual tables, listed as temp.NAME) and the views
sq ".tables"
tables=$(tr '\n' ' ' < "$TMP/out")
want=$("$KSCOPE" query --help | tr '\n' ' ' |
	sed -n 's/.*Tables: \([^.]*\)\..*/\1/p' | tr -d ',')
[ -n "$want" ] || fail "no Tables: line in kscope query --help"
lacks=
for name in $want syscalls_p errors threads_p; do
	case " $tables " in
	*" $name "* | *" temp.$name "*) ;;
	*) lacks="$lacks $name" ;;
	esac
done
[ -z "$lacks" ] && ok "$(echo $want | wc -w) tables and the views" ||
	fail ".tables lacks$lacks"
# a ts range still works through the extension's tables
sq "SELECT count(*) FROM syscalls WHERE ts BETWEEN 1100000000 AND 1200000000"
expect_rc 0 && expect_out_equals "100" && ok "ts range"

# after .load, the sqlite3 program's connection only reads, as kscope's:
# no VACUUM INTO (a 0644 copy of a 0600 trace), ATTACH, writes, settings,
# writefile(); nothing appears, the trace is unchanged
chmod 0600 "$T"
sum_before=$(sha256sum < "$T")
for sql in "VACUUM INTO '$TMP/copy.db'" "ATTACH '$TMP/att.db' AS a" \
	   "DELETE FROM meta" "PRAGMA user_version = 7" \
	   "SELECT writefile('$TMP/w.txt', 'x')" "CREATE TABLE z(a)"; do
	sq "$sql"
	[ "$rc" -ne 0 ] && grep -q -e "not authorized" -e "authorization denied" "$TMP/err" &&
		ok "refused" || fail "not refused"
done
last="sqlite3 .load kscope, then writes"
[ ! -e "$TMP/copy.db" ] && [ ! -e "$TMP/att.db" ] && [ ! -e "$TMP/w.txt" ] &&
	ok "no file created" || fail "a file appeared: $(ls "$TMP")"
[ "$(sha256sum < "$T")" = "$sum_before" ] && ok "trace unchanged" || fail "trace changed"
sq "PRAGMA table_info(meta)" "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'"
expect_rc 0 && expect_out_equals "0|key|TEXT|1||1
1|value|TEXT|0||0
1" && ok "reading PRAGMAs and the schema still work"

# loading into a database that is not a trace is refused, saying why
printf 'CREATE TABLE x(a);\n' | "$SQLITE3" "$TMP/plain.db"
sqlite3_ext -batch "$TMP/plain.db" ".load ${EXT%.so}" >"$TMP/out" 2>"$TMP/err"
last="sqlite3 plain.db .load kscope"
grep -q "kscope: the main database is not a kscope trace (open the trace, then .load the extension)" "$TMP/err" &&
	ok "$(cat "$TMP/err")" || fail "no clear error: '$(cat "$TMP/err")'"

# a chunk index row no scan would meet (a negative span): the load is
# refused naming the chunk, as kscope refuses to open the file
cp "$T" "$TMP/neg.kscope"
"$SQLITE3" "$TMP/neg.kscope" "UPDATE chunks SET ts_first = -5, ts_last = -1 WHERE kind = 0"
sqlite3_ext -batch "$TMP/neg.kscope" ".load ${EXT%.so}" "SELECT count(*) FROM syscalls" >"$TMP/out" 2>"$TMP/err"
last="sqlite3 neg.kscope .load kscope"
grep -q "kscope: chunk [0-9]* of syscalls: bad time span \[-5, -1\]" "$TMP/err" &&
	ok "$(head -1 "$TMP/err")" || fail "no error naming the chunk: '$(cat "$TMP/err")'"

# a corrupt chunk: an error naming the chunk, not a crash
if have_python; then
	flip_chunk "$T"
	sq "SELECT sum(ret), sum(dur) FROM syscalls"
	[ "$rc" -ne 0 ] && grep -q "chunk [0-9]* of syscalls" "$TMP/err" &&
		ok "$(cat "$TMP/err")" || fail "corrupt chunk"
fi

finish
