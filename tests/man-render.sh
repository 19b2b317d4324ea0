# man-render.sh - sourced by test-man-groff.sh and test-man-mandoc.sh, which
# set RENDER (the formatter's name) and define render_warnings FILE (what
# it warns about FILE): each manual page must render without a warning.
# KSCOPE_MAN_DIR points the test at other pages (to see it fail).
command -v "$RENDER" >/dev/null 2>&1 || { echo "SKIP: $RENDER is not installed"; exit 77; }
MANDIR=${KSCOPE_MAN_DIR:-${srcdir:-$(dirname "$0")/..}/docs}
fails=0
for f in "$MANDIR/kscope.1" "$MANDIR/kscope-record.1"; do
	[ -r "$f" ] || { echo "FAIL: cannot read $f"; exit 1; }
	w=$(render_warnings "$f")
	if [ -n "$w" ]; then
		echo "FAIL: $RENDER warns on $f:"
		echo "$w"
		fails=$((fails + 1))
	else
		echo "ok: $f"
	fi
done
[ "$fails" -eq 0 ]
