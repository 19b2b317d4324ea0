#!/bin/sh
# test-man-mandoc.sh - the manual pages render with mandoc without a single
# warning.  Skips (77) when mandoc is not installed.  KSCOPE_MAN_DIR points
# the test at other pages (to see it fail).
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: mandoc is not installed"; exit 77; }
MANDIR=${KSCOPE_MAN_DIR:-${srcdir:-$(dirname "$0")/..}/docs}
fails=0
for f in "$MANDIR/kscope.1" "$MANDIR/kscope-record.1"; do
	[ -r "$f" ] || { echo "FAIL: cannot read $f"; exit 1; }
	w=$(mandoc -Tlint -W warning "$f" 2>&1)
	if [ -n "$w" ]; then
		echo "FAIL: mandoc warns on $f:"
		echo "$w"
		fails=$((fails + 1))
	else
		echo "ok: $f"
	fi
done
[ "$fails" -eq 0 ]
