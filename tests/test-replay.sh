#!/bin/sh
# test-replay.sh - `kscope replay` end to end on the known trace of
# tests/test-mktrace.c: every event once and in order, filters and time
# windows, JSON lines, a reader that goes away, and every bad input.
. "$(dirname "$0")/cli-lib.sh"

T=$TMP/t.kscope
"$MKTRACE" "$T" >/dev/null || { echo "FAIL: mktrace"; exit 1; }

# all 1025 events (1000 syscalls, 10 switch, 10 wakeup, 3 proc, 2 net)
run replay "$T"
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq 1025 ] && ok "1025 lines" ||
	fail "not 1025 lines"
[ -s "$TMP/err" ] && fail "stderr not empty"
sed -n 2p "$TMP/out" > "$TMP/line2"
grep -q '^+0.000000001 22:13:20.000000001 \[000\] proc-100/100  *read(.*) = -2 ENOENT <1.00 us>$' "$TMP/line2" &&
	ok "the first syscall's line" || fail "line 2 is '$(cat "$TMP/line2")'"
expect_out_has '+2.000000001 22:13:22.000000001 [000] proc-102/102         exec "/usr/bin/true" argv="true --version"'
expect_out_has 'tcp state 10.0.0.1:40000 -> 10.0.0.2:443 SYN_SENT -> ESTABLISHED'
expect_out_has 'switch proc-100/100 (S) -> proc-101/101'
# time order: the relative times never go down
cut -d' ' -f1 "$TMP/out" | tr -d + > "$TMP/times"
sort -n -c "$TMP/times" 2>/dev/null && ok "in time order" || fail "out of order"

# a filter; values as words, numbers, durations, quoted strings
run replay "$T" 'errno = ENOENT'
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq 100 ] &&
	[ "$(grep -c ' = -2 ENOENT ' "$TMP/out")" -eq 100 ] &&
	ok "100 ENOENT lines" || fail "errno = ENOENT"
run replay "$T" 'kind = exec or (kind = net and port = 443)'
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq 3 ] && ok "exec and net" ||
	fail "not 3 lines"
run replay "$T" 'pid = 101 and dur >= 1.5us and name = write'
# i = 500..999 with i % 3 == 1 and i odd
want=$(awk 'BEGIN { n = 0; for (i = 500; i < 1000; i++) if (i % 3 == 1 && i % 2 == 1) n++; print n }')
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq "$want" ] && ok "$want slow writes of pid 101" ||
	fail "want $want lines"
run replay "$T" 'path ~ "/tmp/a,b"'
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq 1 ] &&
	expect_out_has 'write(0, NULL, 0) = 5 <1.01 us> path="/tmp/a,b \"q\"\nx"' &&
	ok "a path with quotes and a newline"

# a window, with a filter and options after the file
run replay "$T" 'kind = syscall' --from +0.1s --to +0.2s
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq 100 ] && ok "window of 100 syscalls" ||
	fail "window"
run replay --from 22:13:22 "$T"
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq 5 ] && ok "from a wall time" ||
	fail "from 22:13:22"

# an empty answer says why on stderr, in one line; the exit stays 0
run replay "$T" --from +50s --to +60s
expect_rc 0 && [ ! -s "$TMP/out" ] && [ "$(wc -l < "$TMP/err")" -eq 1 ] &&
	[ "$err" = "kscope: replay: the window +50 s .. +60 s is after the trace's end (+2.5 s)" ] &&
	ok "$err" || fail "no line saying the window is after the end"
run replay "$T" --from @10 --to @20
expect_rc 0 && [ "$err" = "kscope: replay: the window -0.99999999 s .. -0.99999998 s is before the trace's start" ] &&
	ok "$err" || fail "no line saying the window is before the start"
run replay "$T" 'pid = 99999'
expect_rc 0 && [ ! -s "$TMP/out" ] &&
	[ "$err" = "kscope: replay: no event matched 'pid = 99999'" ] &&
	ok "$err" || fail "no line saying the filter matched nothing"
ESC=$(printf '\033')
run replay "$T" "comm = \"x$ESC\""
expect_rc 0 && [ "$err" = "kscope: replay: no event matched 'comm = \"x\x1b\"'" ] &&
	ok "$err" || fail "the filter is not quoted escaped"
run replay "$T" 'kind = net' --from +0.1s --to +0.2s
expect_rc 0 && [ ! -s "$TMP/out" ] &&
	[ "$err" = "kscope: replay: no event matched 'kind = net' in the window +0.1 s .. +0.2 s" ] &&
	ok "$err" || fail "no line saying the filter matched nothing in the window"
run replay "$T" --from +2.4s --to +2.45s
expect_rc 0 && [ ! -s "$TMP/out" ] &&
	[ "$err" = "kscope: replay: no event in the window +2.4 s .. +2.45 s" ] &&
	ok "$err" || fail "no line saying the window holds no event"

# JSON: one object per line
run replay "$T" --format json 'kind = proc'
expect_rc 0 && [ "$(wc -l < "$TMP/out")" -eq 3 ] && ok "3 JSON lines" || fail "json"
if have_python; then
	python3 - "$TMP/out" <<'PY' && ok "JSON lines parse" || fail "bad JSON"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["kind"] for r in rows] == ["fork", "exec", "exit"], rows
assert all(r["event"] == "proc" for r in rows)
assert rows[1]["filename"] == "/usr/bin/true" and rows[1]["argv"] == "true --version"
assert rows[0]["wall"] == "2023-11-14T22:13:22.000000000Z", rows[0]["wall"]
assert rows[1]["ts"] == 3000000001 and abs(rows[1]["time"] - 2.000000001) < 1e-12
PY
fi

# a reader that goes away: no message, exit 0
"$MKTRACE" "$TMP/big.kscope" --syscalls 50000 >/dev/null
( "$KSCOPE" replay "$TMP/big.kscope" 2>"$TMP/err"; echo $? >"$TMP/rc" ) | head -1 >/dev/null
last="kscope replay big | head -1"
rc=$(cat "$TMP/rc")
[ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ] && ok "quiet on a closed pipe" ||
	fail "exit $rc, stderr '$(cat "$TMP/err")'"
if [ -w /dev/full ]; then
	"$KSCOPE" replay "$T" >/dev/full 2>"$TMP/err"
	rc=$?
	last="kscope replay > /dev/full"
	[ "$rc" -eq 1 ] && grep -q '^kscope: replay: cannot write: ' "$TMP/err" &&
		ok "a full disk is an error" || fail "exit $rc, '$(cat "$TMP/err")'"
fi

# progress: on a terminal (stderr) while writing a file; never into a pipe
if command -v script >/dev/null 2>&1; then
	script -qc "'$KSCOPE' replay '$TMP/big.kscope' > '$TMP/file.txt'" "$TMP/pty.log" >/dev/null 2>&1
	last="replay to a file, stderr on a terminal"
	grep -q 'replay: *[0-9]*% ([0-9]* events)' "$TMP/pty.log" &&
		[ "$(wc -l < "$TMP/file.txt")" -eq 50025 ] &&
		ok "progress shown" || fail "no progress line: $(cat -v "$TMP/pty.log")"
	script -qc "'$KSCOPE' replay '$TMP/big.kscope' | cat > /dev/null" "$TMP/pty2.log" >/dev/null 2>&1
	last="replay into a pipe, stderr on a terminal"
	grep -q 'replay:' "$TMP/pty2.log" && fail "progress into a pipe" ||
		ok "no progress into a pipe"
fi

# a bad filter: the message, the filter, a caret under the token; exit 2
run replay "$T" 'pid = 1 and bogus > 2'
expect_rc 2 && [ "$(wc -l < "$TMP/err")" -eq 3 ] &&
	[ "$(sed -n 1p "$TMP/err")" = "kscope: replay: bad filter at column 13: unknown field 'bogus' (pid, tid, comm, kind, name, ret, errno, dur, path, fd, addr, port, cpu, or a column of an event table)" ] &&
	[ "$(sed -n 2p "$TMP/err")" = "  pid = 1 and bogus > 2" ] &&
	[ "$(sed -n 3p "$TMP/err")" = "              ^^^^^" ] &&
	[ ! -s "$TMP/out" ] && ok "bad filter points at 'bogus'" || fail "bad filter"

# a corrupt chunk: one line naming the chunk
if have_python; then
	cp "$T" "$TMP/flip.kscope"
	flip_chunk "$TMP/flip.kscope"
	for f in '' 'cpu >= 0'; do
		"$KSCOPE" replay "$TMP/flip.kscope" "$f" >/dev/null 2>"$TMP/err"
		rc=$?
		last="kscope replay flip.kscope $f"
		[ "$rc" -eq 1 ] && [ "$(wc -l < "$TMP/err")" -eq 1 ] &&
			grep -q '^kscope: replay: .*chunk [0-9]' "$TMP/err" &&
			ok "$(cat "$TMP/err")" || fail "exit $rc, '$(cat "$TMP/err")'"
	done
fi

# bad usage and bad files
run replay "$T" --from soon
expect_one_error 2 "replay: --from: bad time 'soon': use +2.5s or 1500ms (from the start), 10:31:07.25 or 2026-11-25T10:31:07Z (UTC), or @NS (boot-clock ns)"
run replay "$T" --from @1 --to @0
expect_one_error 2 "replay: --to '@0' is before --from '@1'"
run replay
expect_one_error 2 "replay: no trace file given; see 'kscope replay --help'"
run replay "$T" 'pid = 1' extra
expect_one_error 2 "replay: too many arguments (quote the filter as one argument)"
run replay "$T" --format xml
expect_one_error 2 "replay: unknown format 'xml' (text or json)"
run replay "$T" --bogus
expect_one_error 2 "replay: unknown option '--bogus'; see 'kscope replay --help'"
run replay "$TMP/missing.kscope"
expect_one_error 1 "cannot open '$TMP/missing.kscope': No such file or directory"
run replay --help
expect_rc 0 && expect_out_has "usage: kscope replay FILE [FILTER]" && ok "--help"

finish
