# record-lib.sh - shared by the live recorder tests (sourced, not run).
#
#   . "$srcdir/tests/record-lib.sh"
#   record_require             # exit 77 with a reason unless root + BPF
#   q "$trace" "SELECT ..."    # one value per line (csv, header dropped)
#   check "what" test ...      # fail the test with WHAT when test fails
#   wait_for "what" CMD ...    # poll CMD until it succeeds
#   ready ERRFILE              # the recorder said it is recording
#
# Runs from the build directory: ./kscope and tests/workload are there.

KSCOPE=${KSCOPE:-./kscope}
WORKLOAD=${WORKLOAD:-tests/workload}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0

skip() { echo "SKIP: $*"; exit 77; }

record_require() {
	[ "$(id -u)" -eq 0 ] || skip "live recording needs root"
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF (/sys/kernel/btf/vmlinux)"
	[ -x "$KSCOPE" ] || skip "no $KSCOPE"
	if ! "$KSCOPE" record -q -f -e proc -d 0.1 -o "$TMP/probe.kscope" \
		>"$TMP/probe.out" 2>&1; then
		skip "cannot load eBPF here: $(head -n1 "$TMP/probe.out")"
	fi
}

# q TRACE SQL: the result rows as CSV, without the header line.
q() {
	"$KSCOPE" query "$1" "$2" --format csv | tail -n +2 | tr -d '\r'
}

# wait_rows TRACE SQL [MIN]: poll the live trace until SQL (a count) gives
# at least MIN (1); the recorder commits about once a second, so rows seen
# there say it is attached and recording.  Gives up after 60 s (returns 1).
wait_rows() {
	i=0
	while [ $i -lt 600 ]; do
		n=$(q "$1" "$2" 2>/dev/null)
		[ -n "$n" ] && [ "$n" -ge "${3:-1}" ] 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL waited 60 s for the recorder: $2"
	failures=$((failures + 1))
	return 1
}

# wait_for WHAT CMD...: poll CMD until it succeeds (30 s at most; then a
# failure, and it returns 1).
wait_for() {
	what=$1
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		if [ $i -ge 600 ]; then
			echo "FAIL timed out waiting for $what"
			failures=$((failures + 1))
			return 1
		fi
		sleep 0.05
	done
}

# ready ERRFILE: has the recorder writing its stderr to ERRFILE said that
# it is recording?
ready() { grep -q "^kscope: record: recording" "$1" 2>/dev/null; }

# check WHAT CMD...: run CMD (a test(1) expression or command).
check() {
	what=$1
	shift
	if "$@"; then
		echo "ok   $what"
	else
		echo "FAIL $what"
		failures=$((failures + 1))
	fi
}

# eq WHAT GOT WANT
eq() {
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		failures=$((failures + 1))
	fi
}

# ge WHAT GOT MIN
ge() {
	if [ -n "$2" ] && [ "$2" -ge "$3" ] 2>/dev/null; then
		echo "ok   $1 ($2)"
	else
		echo "FAIL $1: got '$2', want at least $3"
		failures=$((failures + 1))
	fi
}

# kv FILE KEY: a value from the workload's key=value output.
kv() {
	sed -n "s/^$2=//p" "$1" | head -n1
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	exit 0
}
