#!/bin/sh
# test-man.sh - the manual pages and docs/FORMAT.md keep up with the binary.  What the binary
# says it has, the man pages must name:
#
#   - every command `kscope --help` lists has a section in kscope(1);
#   - every long option (--xxx) and short option (-x,) that
#     `kscope CMD --help` prints is in kscope(1), and record's are also in
#     kscope-record(1);
#   - every report (`kscope report` lists them when given a bad name);
#   - every filter field and kind (`kscope replay` lists them on a bad one);
#   - every table and view of a trace (those `kscope query --help` names,
#     thread_state included, and those pragma_table_list shows), and every
#     column of each (asked of the binary with pragma_table_xinfo on a trace
#     from tests/test-mktrace);
#   - and in docs/FORMAT.md every table with its columns in order, each
#     event kind with its number;
#   - every SQL function the trace connection registers.
#
# And the help itself: `kscope help CMD` prints `kscope CMD --help`, and an
# unknown option gives one line that names it and points at --help.
#
# Each miss is named.  That the pages render without a warning is
# test-man-groff.sh and test-man-mandoc.sh.  KSCOPE_MAN_DIR points the
# test at other pages (to see it fail).
. "$(dirname "$0")/cli-lib.sh"

MANDIR=${KSCOPE_MAN_DIR:-${srcdir:-$(dirname "$0")/..}/docs}
MAN=$MANDIR/kscope.1
RECMAN=$MANDIR/kscope-record.1
FORMAT=$MANDIR/FORMAT.md
for f in "$MAN" "$RECMAN"; do
	[ -r "$f" ] || { echo "FAIL: cannot read $f"; exit 1; }
done

# The pages as plain words: roff escapes for fonts, dashes, quotes and
# backslashes undone.
plain() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\-/-/g' \
		-e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\e/\\/g' \
		-e 's/\\&//g' -e 's/\\(em/ /g' "$1"
}
plain "$MAN" >"$TMP/kscope.txt"
plain "$RECMAN" >"$TMP/kscope-record.txt"

# has FILE WORD: WORD appears in FILE, not as part of a longer name
# (letters, digits, '_' and '-' around it do not count)
has() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|$)" "$1"
}

checks=0
# need WHAT WORD PAGE...: WORD is in each PAGE (a .txt basename)
need() {
	what=$1 word=$2
	shift 2
	for page in "$@"; do
		checks=$((checks + 1))
		if ! has "$TMP/$page.txt" "$word"; then
			echo "FAIL: $page.1 lacks $what '$word'"
			fails=$((fails + 1))
		fi
	done
}

T=$TMP/t.kscope
"$MKTRACE" "$T" >/dev/null || { echo "FAIL: mktrace"; exit 1; }

# ---- commands and their options ---------------------------------------------
"$KSCOPE" --help >"$TMP/help" 2>&1 || { echo "FAIL: kscope --help"; exit 1; }
cmds=$(sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' "$TMP/help")
[ -n "$cmds" ] || { echo "FAIL: kscope --help lists no commands"; exit 1; }
for cmd in $cmds help; do
	checks=$((checks + 1))
	grep -q "^\.SS kscope $cmd\$" "$MAN" || {
		echo "FAIL: kscope.1 has no section '.SS kscope $cmd'"
		fails=$((fails + 1))
	}
	[ "$cmd" = help ] && continue
	"$KSCOPE" "$cmd" --help >"$TMP/help-$cmd" 2>&1 ||
		{ echo "FAIL: kscope $cmd --help exits non-zero"; fails=$((fails + 1)); }
	pages=kscope
	[ "$cmd" = record ] && pages="kscope kscope-record"
	longs=$(grep -oE -- '--[a-z][a-z0-9-]*' "$TMP/help-$cmd" | sort -u)
	[ -n "$longs" ] || { echo "FAIL: kscope $cmd --help shows no options"; fails=$((fails + 1)); }
	for o in $longs; do
		need "option of $cmd" "$o" $pages
	done
	for o in $(grep -oE -- '(^|[[:space:]])-[A-Za-z],' "$TMP/help-$cmd" |
		   tr -d ' \t,' | sort -u); do
		need "option of $cmd" "$o" $pages
	done
done
need "option" --version kscope

# ---- every command: help, and unknown options --------------------------------
# `kscope help CMD` is `kscope CMD --help`; an unknown option is one line
# on stderr that points at --help, and exit 2.
for cmd in $cmds; do
	run help "$cmd"
	expect_rc 0 && cmp -s "$TMP/out" "$TMP/help-$cmd" && ok ||
		fail "not the same as 'kscope $cmd --help'"
	for bad in --no-such-option -Z; do
		run "$cmd" "$bad" "$T"
		expect_rc 2 || continue
		if [ -s "$TMP/out" ] || [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
			fail "not one line on stderr alone"
		else
			case "$err" in
			*"$bad"*"'kscope $cmd --help'"*) ok "$err" ;;
			*) fail "does not name '$bad' and 'kscope $cmd --help'" ;;
			esac
		fi
	done
done

# ---- reports ----------------------------------------------------------------
run report "$T" no-such-report
reports=$(printf '%s\n' "$err" | sed -n 's/.*the reports are: //p' | tr -d ,)
[ -n "$reports" ] || fail "no list of reports"
for r in $reports; do
	need "report" "$r" kscope
	# ... and in the report list, as a .TP item of its own
	checks=$((checks + 1))
	grep -qE "^\.BR? $r( |\$)" "$MAN" ||
		{ echo "FAIL: kscope.1 does not describe report '$r'"; fails=$((fails + 1)); }
done

# ---- filter fields and kinds -------------------------------------------------
run replay "$T" 'no_such_field = 1'
fields=$(printf '%s\n' "$err" | sed -n "s/.*unknown field '[^']*' (\\([^)]*\\)).*/\\1/p" |
	 sed 's/, or .*//' | tr -d ,)
[ -n "$fields" ] || fail "no list of filter fields"
for f in $fields; do
	need "filter field" "$f" kscope
done
run replay "$T" 'kind = no_such_kind'
kinds=$(printf '%s\n' "$err" | sed -n "s/.*unknown kind '[^']*' (\\([^)]*\\)).*/\\1/p" |
	tr -d ,)
[ -n "$kinds" ] || fail "no list of filter kinds"
for k in $kinds; do
	need "filter kind" "$k" kscope
done

# ---- tables, views, columns -------------------------------------------------
# The event tables are eponymous virtual tables, which pragma_table_list
# does not show: `kscope query --help` names them.
tables=$(tr '\n' ' ' <"$TMP/help-query" | sed -n 's/.*Tables: \([^.]*\)\..*/\1/p' |
	 tr -d ,)
[ -n "$tables" ] || fail "kscope query --help names no tables"
stored=$tables # the trace's own tables, not views
# ... and the views, thread_state among them (an eponymous virtual table
# that pragma_table_list does not show either)
views=$(tr '\n' ' ' <"$TMP/help-query" | sed -n 's/.*Views: \([^.]*\)\..*/\1/p' |
	tr -d ,)
[ -n "$views" ] || fail "kscope query --help names no views"
tables="$tables $views"
run query "$T" -F csv "SELECT name FROM pragma_table_list WHERE schema IN ('main', 'temp') AND name NOT LIKE 'sqlite_%'"
expect_rc 0 || true
tables="$tables $(tail -n +2 "$TMP/out" | tr -d '\r')"
ntables=0
for t in $(printf '%s\n' $tables | sort -u); do
	ntables=$((ntables + 1))
	need "table" "$t" kscope
	run query "$T" -F csv "SELECT name FROM pragma_table_xinfo('$t')"
	cols=$(tail -n +2 "$TMP/out" | tr -d '\r')
	[ "$rc" -eq 0 ] && [ -n "$cols" ] || { fail "no columns for table '$t'"; continue; }
	for c in $cols; do
		need "column of $t" "$c" kscope
	done
done
[ "$ntables" -ge 14 ] || fail "only $ntables tables found: $tables"

# ---- the file format: FORMAT.md ----------------------------------------------
# Every table, with its columns in their order (for an event table the
# order of the columns in its chunks): each event kind as the row
# "| KIND | `table(col, ...)` |" of the kinds table, numbered as
# `kscope info` lists the kinds; the other tables as `table(col, ...)`.
checks=$((checks + 1))
[ -r "$FORMAT" ] || { echo "FAIL: cannot read $FORMAT"; fails=$((fails + 1)); }
run info -F json "$T"
kinds=$(printf '%s\n' "$out" | python3 -c \
	'import json, sys; print(" ".join(json.load(sys.stdin)["kinds"]))')
[ -n "$kinds" ] || fail "kscope info -F json lists no kinds"
# spec TABLE: "TABLE(col, ...)" from the trace's columns
spec() {
	run query "$T" -F csv "SELECT '$1(' || group_concat(name, ', ') || ')' FROM (SELECT name FROM pragma_table_xinfo('$1') ORDER BY cid)"
	tail -n 1 "$TMP/out" | tr -d '\r"'
}
k=0
for t in $kinds; do
	checks=$((checks + 1))
	grep -qF "| $k | \`$(spec "$t")\` |" "$FORMAT" || {
		echo "FAIL: FORMAT.md lacks kind $k as '| $k | \`$(spec "$t")\` |'"
		fails=$((fails + 1))
	}
	k=$((k + 1))
done
for t in $stored; do
	case " $kinds " in *" $t "*) continue ;; esac
	checks=$((checks + 1))
	grep -qF "\`$(spec "$t")\`" "$FORMAT" || {
		echo "FAIL: FORMAT.md lacks table '$(spec "$t")'"
		fails=$((fails + 1))
	}
done

# ---- SQL functions -----------------------------------------------------------
run query "$T" -F csv "SELECT name FROM pragma_function_list WHERE name IN ('errno_name', 'wall', 'fmt_dur', 'percentile', 'log2_bucket')"
fns=$(tail -n +2 "$TMP/out" | tr -d '\r' | sort -u)
[ "$(printf '%s\n' $fns | wc -l)" -eq 5 ] || fail "the five SQL functions are not all there: $fns"
for fn in $fns; do
	need "SQL function" "$fn" kscope
done

echo "$checks checks on $MAN, $RECMAN and $FORMAT"
finish
