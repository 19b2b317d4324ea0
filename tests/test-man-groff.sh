#!/bin/sh
# test-man-groff.sh - the manual pages render with groff without a single
# warning (tests/man-render.sh).  Skips (77) when groff is not installed.
RENDER=groff
render_warnings() {
	groff -man -Tutf8 -ww -z "$1" 2>&1
}
. "$(dirname "$0")/man-render.sh"
