#!/bin/sh
# test-query-cmd.sh - `kscope query` end to end on a trace of known
# contents (tests/test-mktrace.c): the three formats read back by Python's
# csv and json modules, statements from standard input, SQL errors, a
# read-only trace, and a reader that goes away early.
. "$(dirname "$0")/cli-lib.sh"

T=$TMP/t.kscope
"$MKTRACE" "$T" || exit 99
CR=$(printf '\r')

run query "$T" 'SELECT count(*) AS n FROM syscalls' --format csv
expect_rc 0 && expect_out_equals "n${CR}
1000${CR}" && ok

# table: aligned, numbers right, NULL shown as NULL
run query "$T" "SELECT name, count(*) AS calls, sum(ret < 0) AS errors, max(addr) AS addr, min(path) AS p FROM syscalls GROUP BY name ORDER BY name"
expect_rc 0 && expect_out_equals "name   calls  errors  addr  p
-----  -----  ------  ----  ---------------
read     500     100  NULL  /tmp/ünï 日本
write    500       0  NULL  /tmp/a,b \"q\"\\nx" && ok

# the same rows in every format
SQL='SELECT ts, pid, comm, path, ret, dur / 3.0 AS third FROM syscalls WHERE ts < 1010000000 ORDER BY ts'
if have_python; then
	for fmt in csv json; do
		run query "$T" -F "$fmt" "$SQL"
		expect_rc 0 || continue
		python3 - "$TMP/out" "$fmt" <<'PY' || fail "$fmt does not read back"
import csv, io, json, sys
path, fmt = sys.argv[1], sys.argv[2]
rows = []
for i in range(10):
    p = {5: '/tmp/a,b "q"\nx', 6: '/tmp/\u00fcn\u00ef \u65e5\u672c'}.get(i)
    rows.append({"ts": 1000000001 + i * 1000000, "pid": 100 + i % 3,
                 "comm": "proc-%d" % (100 + i % 3), "path": p,
                 "ret": -2 if i % 10 == 0 else i, "third": (1000 + i) / 3.0})
if fmt == "json":
    got = json.load(open(path, encoding="utf-8"))
    assert got == rows, (got, rows)
else:
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    assert raw.count("\r\n") == 11  # records end in CRLF; the LF is data
    r = list(csv.reader(io.StringIO(raw, newline="")))
    assert r[0] == ["ts", "pid", "comm", "path", "ret", "third"], r[0]
    for want, got in zip(rows, r[1:]):
        assert got[0] == str(want["ts"]) and got[1] == str(want["pid"])
        assert got[2] == want["comm"]
        assert got[3] == (want["path"] or ""), (got[3], want["path"])
        assert int(got[4]) == want["ret"]
        assert float(got[5]) == want["third"], (got[5], want["third"])
    assert len(r) == 11, len(r)
PY
		ok "$fmt read back"
	done
fi

# statements from standard input: one per line ...
run_in "SELECT count(*) AS n FROM proc_events
SELECT kind FROM proc_events ORDER BY ts
" query "$T" -F csv
expect_rc 0 && expect_out_equals "n${CR}
3${CR}
${CR}
kind${CR}
fork${CR}
exec${CR}
exit${CR}" && ok "one statement per line"

# ... or ';'-separated over several lines, with '-' for stdin
run_in "SELECT count(*) AS n
  FROM net_events;
SELECT daddr || ':' || dport AS peer
  FROM net_events
  LIMIT 1;" query "$T" - -F csv
expect_rc 0 && expect_out_equals "n${CR}
2${CR}
${CR}
peer${CR}
10.0.0.2:443${CR}" && ok "';'-separated statements"

run_in "" query "$T"
expect_rc 0 && [ ! -s "$TMP/out" ] && ok "empty input" || fail "output on empty input"

# at a terminal: each statement runs at its ';', an error does not end the
# session, Ctrl-D runs what is left
if have_python && python3 -c 'import pty' 2>/dev/null; then
	last="kscope query (at a terminal)"
	python3 - "$KSCOPE" "$T" <<'PY' || fail "interactive session"
import os, pty, select, subprocess, sys
kscope, trace = sys.argv[1], sys.argv[2]
m, s = pty.openpty()
p = subprocess.Popen([kscope, "query", trace, "-F", "csv"], stdin=s,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
os.close(s)
def typed(text, answered=False):
    os.write(m, text.encode())
    if answered:  # its rows come out before anything else is typed
        assert select.select([p.stdout], [], [], 10)[0], "no answer"
typed("SELECT count(*) AS n\n")
typed("  FROM syscalls;\n", answered=True)
typed("SELECT nosuch FROM syscalls;\n")
typed("\nSELECT 2 AS two\n")
# the terminal hands the lines over in order, and Ctrl-D at the start of
# a line is the end of input after them: nothing to wait for
os.write(m, b"\x04")
out, err = p.communicate(timeout=20)
out, err = out.decode(), err.decode()
assert p.returncode == 1, p.returncode
assert out == "n\r\n1000\r\n\r\ntwo\r\n2\r\n", repr(out)
assert "kscope> " in err and "   ...> " in err, repr(err)
assert "kscope: query: no such column: nosuch\n" in err, repr(err)
PY
	ok "statements run as typed"
fi

# SQL errors: SQLite's message on one line, exit 1, earlier output kept
run query "$T" 'SELECT * FROM nosuch'
expect_one_error 1 "query: no such table: nosuch"
run query "$T" 'SELEC 1'
expect_one_error 1 'query: near "SELEC": syntax error'
run_in "SELECT 1 AS a;
SELECT nosuchcol FROM syscalls;
SELECT 3 AS c;" query "$T" -F csv
expect_rc 1 && expect_out_equals "a${CR}
1${CR}" && [ "$err" = "kscope: query: no such column: nosuchcol" ] &&
	ok "stops at the first error" || fail "wrong output or message"

# the trace is read-only
GUARD='not authorized (kscope only reads traces: no writes, ATTACH, VACUUM, settings or file functions)'
run query "$T" "DELETE FROM meta"
expect_one_error 1 "query: $GUARD"
run query "$T" "INSERT INTO syscalls(ts) VALUES(1)"
expect_rc 1 || fail "insert into an event table succeeded"

# nothing a query runs writes a file or changes a setting: not VACUUM INTO
# (a 0644 copy of a 0600 trace), not ATTACH (which creates its file), as
# an argument or from standard input; reading PRAGMAs still work
chmod 0600 "$T"
sum_before=$(sha256sum < "$T")
for sql in "VACUUM INTO '$TMP/copy.db'" "VACUUM" "ATTACH '$TMP/att.db' AS a" \
	   "PRAGMA user_version = 7" "PRAGMA journal_mode = DELETE" \
	   "CREATE TEMP TABLE z(a)" "CREATE TEMP VIEW v AS SELECT 1" \
	   "SELECT load_extension('$TMP/x')"; do
	run query "$T" "$sql"
	expect_one_error 1 "query: *" || continue
	case "$err" in
	*"not authorized"*|*"authorization denied"*) ok "refused" ;;
	*) fail "not refused by the authorizer" ;;
	esac
	run_in "SELECT 1;
$sql;" query "$T" -F csv
	expect_rc 1 && case "$err" in
	"kscope: query: not authorized"*|"kscope: query: authorization denied"*)
		ok "refused from standard input" ;;
	*) fail "not refused from standard input" ;;
	esac
	run_in "$sql" query "$T"
	expect_rc 1 && ok "refused from a line of standard input"
done
last="VACUUM INTO, ATTACH"
[ ! -e "$TMP/copy.db" ] && [ ! -e "$TMP/att.db" ] && ok "no file created" ||
	fail "a file appeared: $(ls "$TMP")"
[ "$(sha256sum < "$T")" = "$sum_before" ] && ok "trace unchanged" || fail "trace changed"
run query "$T" -F csv "PRAGMA user_version"
expect_rc 0 && expect_out_equals "user_version${CR}
$(sqlite3 "$T" 'PRAGMA user_version' 2>/dev/null || echo 1)${CR}" && ok
run query "$T" -F csv "SELECT count(*) FROM pragma_table_info('meta')"
expect_rc 0 && expect_out_equals "count(*)${CR}
2${CR}" && ok
run query "$T" -F csv "PRAGMA table_info(processes)"
expect_rc 0 && expect_out_has "cmdline" && ok "PRAGMA table_info"

# a reader that goes away: stop quietly and at once, exit 0
# (an endless query: only the closed pipe can stop it)
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 60"
last="kscope query (endless) | head -n 3"
rc=$( { $TIMEOUT "$KSCOPE" query "$T" 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x, x * 2 FROM c' -F csv 2>"$TMP/err"; echo $? >"$TMP/rc"; } | head -n 3 >/dev/null; cat "$TMP/rc")
[ "$rc" = 0 ] && [ ! -s "$TMP/err" ] && ok "stopped, silent, exit 0" ||
	fail "endless query on a closed pipe"
for fmt in table csv json; do
	last="kscope query -F $fmt 'SELECT * FROM syscalls' | head -c 100"
	rc=$( { "$KSCOPE" query "$T" 'SELECT * FROM syscalls' -F $fmt 2>"$TMP/err"; echo $? >"$TMP/rc"; } | head -c 100 >/dev/null; cat "$TMP/rc")
	[ "$rc" = 0 ] && [ ! -s "$TMP/err" ] && ok "silent, exit 0" ||
		fail "closed pipe"
done

# a full disk is an error, not a quiet stop
if [ -w /dev/full ]; then
	last="kscope query ... > /dev/full"
	"$KSCOPE" query "$T" 'SELECT * FROM syscalls' >/dev/full 2>"$TMP/err"
	rc=$?
	[ "$rc" = 1 ] && [ "$(cat "$TMP/err")" = "kscope: query: write error: No space left on device" ] &&
		ok "write error reported" || fail "$(cat "$TMP/err")"
	last="kscope info ... > /dev/full"
	"$KSCOPE" info "$T" >/dev/full 2>"$TMP/err"
	rc=$?
	[ "$rc" = 1 ] && [ "$(cat "$TMP/err")" = "kscope: info: write error: No space left on device" ] &&
		ok "write error reported" || fail "$(cat "$TMP/err")"
fi

run query --help
expect_rc 0 && expect_out_has "usage: kscope query FILE [SQL]" && ok

finish
