#!/bin/sh
# test-tui-print-timeline.sh - kscope tui --print timeline on the planted
# why trace (tests/synth_why.h): every thread's rows are the stretches of
# its thread_state rows (kscope query; adjacent rows of one state are one
# stretch), in order, with their times; JSON and --steps say whether the
# states are complete.
set -u
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$KSCOPE" ] || { echo "SKIP: $KSCOPE not built"; exit 77; }
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test-tlprint.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
T=$TMP/why.kscope
"$SYNTH" -o "$T" --planted why >/dev/null || exit 99

fails=0
check() { # check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fails=$((fails + 1)); fi
}

"$KSCOPE" tui --print timeline "$T" >"$TMP/text" 2>"$TMP/err"
check "text: exit 0" [ $? = 0 ]
check "text: complete" [ "$(head -n 1 "$TMP/text")" = "timeline: complete" ]
"$KSCOPE" tui --print timeline -F json "$T" >"$TMP/json"
check "json: complete" grep -q '^{"view": "timeline", "complete": true, "fraction": 1.0000}$' "$TMP/json"
for tid in 4001 4003 4005; do
	# the oracle: thread_state's rows, a run of one state (and, running,
	# one CPU) as one stretch
	"$KSCOPE" query "$T" "SELECT state, ts, dur, cpu FROM thread_state
		WHERE tid = $tid ORDER BY ts" --format csv | tail -n +2 |
		tr -d '\r' | awk -F, '{
			c = $1 == "running" ? $4 : "NULL"
			if (n && $1 == s && c == pc && $2 == e) { e = $2 + $3; next }
			if (n) printf "%s %s %s %s\n", s, b, e - b, pc
			s = $1; b = $2; e = $2 + $3; pc = c; n++ }
			END { if (n) printf "%s %s %s %s\n", s, b, e - b, pc }' \
		>"$TMP/want"
	grep "^{\"tid\":$tid," "$TMP/json" |
		sed 's/.*"state":"\([a-z]*\)","ts":\([0-9]*\),"dur":\([0-9]*\),"cpu":\([0-9a-z]*\).*/\1 \2 \3 \4/;s/ null$/ NULL/' \
		>"$TMP/got"
	check "thread $tid: its stretches of thread_state" cmp -s "$TMP/want" "$TMP/got"
	[ -s "$TMP/want" ] || { echo "FAIL no thread_state rows of $tid"; fails=$((fails + 1)); }
done
check "writer: running, blocked, runnable, running, dead" [ "$(awk '$1 == 4005 { printf "%s ", $4 }' "$TMP/text")" = "running blocked runnable running dead " ]
"$KSCOPE" tui --print timeline --steps 1 "$T" >"$TMP/part"
check "--steps 1: partial" grep -q '^timeline: partial ([0-9]*% computed)$' "$TMP/part"
"$KSCOPE" tui --print nosuch "$T" >/dev/null 2>"$TMP/err"
check "unknown view: names timeline" grep -q 'conns, timeline,' "$TMP/err"
[ "$fails" = 0 ]
