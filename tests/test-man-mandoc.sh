#!/bin/sh
# test-man-mandoc.sh - the manual pages render with mandoc without a single
# warning (tests/man-render.sh).  Skips (77) when mandoc is not installed.
RENDER=mandoc
render_warnings() {
	mandoc -Tlint -W warning "$1" 2>&1
}
. "$(dirname "$0")/man-render.sh"
