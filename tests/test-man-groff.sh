#!/bin/sh
# test-man-groff.sh - the manual pages render with groff without a single
# warning.  Skips (77) when groff is not installed.  KSCOPE_MAN_DIR points
# the test at other pages (to see it fail).
command -v groff >/dev/null 2>&1 || { echo "SKIP: groff is not installed (groff-base)"; exit 77; }
MANDIR=${KSCOPE_MAN_DIR:-${srcdir:-$(dirname "$0")/..}/docs}
fails=0
for f in "$MANDIR/kscope.1" "$MANDIR/kscope-record.1"; do
	[ -r "$f" ] || { echo "FAIL: cannot read $f"; exit 1; }
	w=$(groff -man -Tutf8 -ww -z "$f" 2>&1)
	if [ -n "$w" ]; then
		echo "FAIL: groff warns on $f:"
		echo "$w"
		fails=$((fails + 1))
	else
		echo "ok: $f"
	fi
done
[ "$fails" -eq 0 ]
