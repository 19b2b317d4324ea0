#!/bin/sh
# test-report-cmd.sh - `kscope report` end to end on a small synthetic trace
# (tests/kscope-synth): every report in every format, several reports at
# once, histograms, and each kind of bad input (report name, time, option,
# syscall name, file, corrupt chunk).  The figures themselves are checked
# by tests/test-report.c.
. "$(dirname "$0")/cli-lib.sh"

SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
T=$TMP/s.kscope
"$SYNTH" -o "$T" -n 5000 >/dev/null || exit 99
REPORTS="summary syscalls slow errors procs cpu runqlat offcpu net files why"
LIST="summary, syscalls, slow, errors, procs, cpu, runqlat, offcpu, net, files, io, why"

# the default is the summary; nothing on stderr when it is not a terminal
run report "$T"
expect_rc 0 && expect_out_has "kscope report summary: $T" &&
	expect_out_has "Busiest processes" && expect_out_has "next:" &&
	{ [ -z "$err" ] || fail "stderr not empty"; } && ok

for r in $REPORTS; do
	run report "$T" "$r"
	expect_rc 0 && expect_out_has "kscope report $r: $T" &&
		expect_out_has "lost    none in this window" &&
		{ [ -z "$err" ] || fail "stderr not empty"; } && ok
	run report "$T" "$r" --format csv
	expect_rc 0 && expect_out_has "# report" && ok
	run report "$T" "$r" -F json --top 3
	expect_rc 0 || continue
	if have_python; then
		python3 - "$TMP/out" "$r" <<'PY' || fail "json does not read back"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc["report"] == sys.argv[2], doc["report"]
assert doc["lost"]["events"] == 0
assert isinstance(doc["tables"], dict) and doc["tables"]
for name, rows in doc["tables"].items():
    assert isinstance(rows, list), name
    if name not in ("by_state", "utilization", "trace", "events",
                    "histogram", "stats", "by_errno", "lost_windows") \
       and not name.startswith("histogram_"):
        assert len(rows) <= 3, (name, len(rows))
PY
	fi
	ok "json"
done

# several at once, and the syscall histograms (BCC style)
run report "$T" slow errors
expect_rc 0 && expect_out_has "kscope report slow:" &&
	expect_out_has "kscope report errors:" && ok
run report "$T" syscalls read futex
expect_rc 0 && expect_out_has "read latency (log2 buckets, us)" &&
	expect_out_has "futex latency" && expect_out_has "-> " && ok
run report "$T" --syscall read
expect_rc 0 && expect_out_has "kscope report syscalls:" &&
	expect_out_has "read latency" && ok
run report "$T" slow --from +0.005s --to +0.01s --pid 1
expect_rc 0 && expect_out_has "filter  pid 1" && ok
run report "$T" cpu --comm postgres
expect_rc 0 && expect_out_has "comm 'postgres'" && ok

# bad input: one line on stderr, nothing on stdout
run report "$T" bogus
expect_one_error 2 "report: no report called 'bogus'; the reports are: $LIST"
run report "$T" slow bogus
expect_one_error 2 "report: no report called 'bogus'; the reports are: $LIST"
run report "$T" --from yesterday
expect_one_error 2 "report: --from: bad time 'yesterday': use +2.5s or 1500ms (from the start), 10:31:07.25 or 2026-11-25T10:31:07Z (UTC), or @NS (boot-clock ns)"
run report "$T" --to 1x
expect_one_error 2 "report: --to: bad time '1x': use *"
run report "$T" --from +2s --to +1s
expect_one_error 2 "report: --to '+1s' is before --from '+2s'"
run report "$T" --from +1h
expect_one_error 2 "report: the window is empty: the trace spans +0 s to *"
# an empty answer says why on stderr, in one line, and exits 0: a window
# outside the trace, a pid or tid the trace does not hold
end=$("$KSCOPE" query "$T" "SELECT (CAST(value AS INT) - (SELECT CAST(value AS INT) FROM meta WHERE key = 'start_ts')) / 1e9 FROM meta WHERE key = 'end_ts'" -F csv | tail -1 | tr -d "\r")
run report "$T" --from +50s --to +60s
expect_rc 0 && expect_out_has "kscope report summary:" &&
	[ "$err" = "kscope: report: the window +50 s .. +60 s is after the trace's end (+$end s)" ] &&
	ok "$err" || fail "no line saying the window is after the end (+$end s)"
run report "$T" slow --pid 99999
expect_rc 0 && [ "$err" = "kscope: report: pid 99999 is not in the trace" ] &&
	ok "$err" || fail "no line saying pid 99999 is not in the trace"
run report "$T" why --tid 99999
expect_rc 0 && [ "$err" = "kscope: report: tid 99999 is not in the trace" ] &&
	ok "$err" || fail "no line saying tid 99999 is not in the trace"
run report "$T" slow --comm "no$(printf '\t')such"
expect_rc 0 && [ "$err" = "kscope: report: comm 'no\\tsuch' is not in the trace" ] &&
	ok "$err" || fail "no line saying the comm is not in the trace"
run report "$T" slow --comm postgres
expect_rc 0 && [ -z "$err" ] && ok "comm postgres: nothing on stderr" ||
	fail "stderr not empty"
pid=$("$KSCOPE" query "$T" "SELECT pid FROM processes LIMIT 1" -F csv | tail -1 | tr -d "\r")
run report "$T" slow --pid "$pid"
expect_rc 0 && [ -z "$err" ] && ok "pid $pid: nothing on stderr" ||
	fail "stderr not empty"

# a window that starts before the trace, without a clock offset: the
# header's times relative to the start are negative, not wrapped
if have_python; then
	cp "$T" "$TMP/nowall.kscope"
	python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM meta WHERE key = ?", ("clock_offset_ns",))
db.commit()' "$TMP/nowall.kscope"
	run query "$TMP/nowall.kscope" --format csv \
		"SELECT value FROM meta WHERE key = 'start_ts'"
	start=$(sed -n 2p "$TMP/out" | tr -d '\r')
	want=$(awk -v s="$start" 'BEGIN { printf "window  %+.6f s .. %+.6f s", -s / 1e9, (5 - s) / 1e9 }')
	run report "$TMP/nowall.kscope" --from @0 --to @5
	expect_rc 0 && expect_out_has "$want" && ok "$want"
fi
run report "$T" --top 0
expect_one_error 2 "report: bad --top '0' (a number from 1 to 1000000)"
run report "$T" --pid abc
expect_one_error 2 "report: bad pid 'abc'"
run report "$T" --format xml
expect_one_error 2 "report: unknown format 'xml' (text, csv or json)"
run report "$T" --bogus
expect_one_error 2 "report: unknown option '--bogus'; see 'kscope report --help'"
run report "$T" syscalls nosuchcall
expect_one_error 2 "report: 'nosuchcall' is not a syscall name on this trace's architecture"
run report
expect_one_error 2 "report: no trace file given; see 'kscope report --help'"
run report "$TMP/missing.kscope"
expect_one_error 1 "cannot open '$TMP/missing.kscope': *"
run report --help
expect_rc 0 && expect_out_has "runqlat" && expect_out_has "--from T" && ok

# a corrupt chunk: exit 1 and a message naming the chunk
if have_python; then
	cp "$T" "$TMP/bad.kscope"
	python3 - "$TMP/bad.kscope" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE chunk_data SET data = zeroblob(length(data)) WHERE id ="
           " (SELECT min(id) FROM chunks WHERE kind = 0)")
db.commit()
PY
	run report "$TMP/bad.kscope" slow
	expect_rc 1 && case "$err" in
	"kscope: report: slow: chunk "*" of syscalls: "*) ok "$err" ;;
	*) fail "stderr does not name the chunk" ;;
	esac
fi

# a reader that goes away early is no error
"$KSCOPE" report "$T" files --top 100000 | head -1 >/dev/null
rc=$?
last="kscope report files | head -1"
[ "$rc" -eq 0 ] && ok || fail "pipeline failed"

# a count of one takes the singular ("1 reset", "in 1 wait"), and a
# missing value shows as "-", not NULL, on the synthetic trace and the
# planted ones, in every text report
for t in why reuse halfseen causes sleeper; do
	"$SYNTH" -o "$TMP/$t.kscope" --planted "$t" >/dev/null || exit 99
done
for t in "$T" "$TMP/why.kscope" "$TMP/reuse.kscope" "$TMP/halfseen.kscope" \
	 "$TMP/causes.kscope" "$TMP/sleeper.kscope"; do
	for r in $REPORTS io; do
		[ "$r" = why ] && continue
		run report "$t" "$r"
		grep -q -- '+-' "$TMP/out" &&
			fail "a time before the start as +-: $(grep -- '+-' "$TMP/out" | head -1)"
		grep -qw FILE "$TMP/out" &&
			fail "a hint names FILE: $(grep -w FILE "$TMP/out" | head -1)"
		grep -qw NULL "$TMP/out" &&
			fail "NULL in a text report: $(grep -w NULL "$TMP/out" | head -1)"
		grep -E '(^|[^0-9.,])1 [a-z-]+s\b' "$TMP/out" |
			grep -vE '\b1 (ms|us|ns|s)\b' > "$TMP/one" &&
			fail "a plural after 1: $(head -1 "$TMP/one")"
	done
done
last="kscope report (a count of one, missing values)"
ok

# the hints name the trace as a shell word, quoted when it needs it
cp "$TMP/causes.kscope" "$TMP/my trace.kscope"
cp "$TMP/why.kscope" "$TMP/why's.kscope"
for args in "my trace.kscope errors" "my trace.kscope procs" \
	    "my trace.kscope slow" "why's.kscope why --tid 4001"; do
	set -- $args
	f=$1; shift
	[ "$f" = my ] && { f="my trace.kscope"; shift; }
	run report "$TMP/$f" "$@"
	case "$f" in
	my*) word="'$TMP/my trace.kscope'" ;;
	*) word="'$TMP/why'\\''s.kscope'" ;;
	esac
	expect_rc 0 && expect_out_has "kscope " &&
		grep -A20 '^next:' "$TMP/out" | grep -qF -- " $word " &&
		ok || fail "no hint names $word"
done

# procs names the signal that ended a process, as replay does; CSV and
# JSON keep its number
run report "$TMP/causes.kscope" procs
expect_rc 0 && grep -E '^ *61012 .* SIGKILL ' "$TMP/out" |
	grep -q '^ *61012 ' && grep -E '^ *61022 .* SIGSEGV ' "$TMP/out" |
	grep -q . && ok || fail "procs does not name the signals"
run report "$TMP/causes.kscope" procs --format csv
expect_rc 0 && grep -q '^61012,1,sleep,0,' "$TMP/out" &&
	grep '^61012,1,sleep,0,' "$TMP/out" | grep -q ',9,' && ok ||
	fail "CSV lost the signal number"

finish
