# record-lib.sh - shared by the live recorder tests (sourced, not run).
#
#   . "$srcdir/tests/record-lib.sh"
#   record_require             # exit 77 with a reason unless root + BPF
#   q "$trace" "SELECT ..."    # one value per line (csv, header dropped)
#   check "what" test ...      # fail the test with WHAT when test fails
#   chunks_read_back "$trace"  # the events, when every committed chunk reads
#   skip "reason"              # exit 77 (the test, or this part of it, cannot run)
#   wait_for "what" CMD ...    # poll CMD until it succeeds
#   ready ERRFILE              # the recorder said it is recording
#   env "$NOLEAKS" WORKLOAD    # a workload whose own calls are counted, or
#                              # one run under strace: a sanitizer build's
#                              # leak check at exit makes calls (a clone, a
#                              # getppid) and cannot run under ptrace
#
# Runs from the build directory: ./kscope and tests/workload are there.

KSCOPE=${KSCOPE:-./kscope}
WORKLOAD=${WORKLOAD:-tests/workload}
NOLEAKS=ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
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

# Every committed chunk reads back: per event table, the rows the virtual
# table yields equal the chunk index's counts, and nothing fails to decode.
# Prints the number of events on success.
chunks_read_back() {
	kinds=$(tests/kscope-synth --tables) && [ -n "$kinds" ] || return 1
	sql="SELECT 1"
	for kt in $kinds; do
		k=${kt%%:*}
		t=${kt#*:}
		sql="$sql AND (SELECT count(*) FROM $t) = (SELECT coalesce(sum(count), 0) FROM chunks WHERE kind=$k)"
	done
	got=$(q "$1" "SELECT ($sql) || ' ' || (SELECT coalesce(sum(count), 0) FROM chunks)" 2>"$TMP/rb.err")
	[ -s "$TMP/rb.err" ] && sed 's/^/  /' "$TMP/rb.err" >&2
	[ ! -s "$TMP/rb.err" ] && [ "${got%% *}" = 1 ] || return 1
	echo "${got#* }"
}

# meta TRACE KEY: a value of the meta table
meta() {
	q "$1" "SELECT value FROM meta WHERE key='$2'"
}

# lost_but_block TRACE: the events TRACE lost outside class block.  Block
# I/O is recorded for the whole system, and a completion the kernel runs
# no program for (docs/RECORD.md) is counted lost there whatever the
# workload; tests of other classes check that their own data is whole.
lost_but_block() {
	q "$1" "SELECT coalesce(sum(count), 0) FROM lost WHERE class != 'block'"
}

# wait_exit PID: wait for the recorder to exit (by a signal, a limit, a
# full disk; 30 s at most, then fail and stop it with SIGINT); its status
# in $rc.
wait_exit() {
	i=0
	while kill -0 $1 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 $1 2>/dev/null; then
		echo "FAIL recorder $1 still running after 30 s"
		failures=$((failures + 1))
		kill -INT $1
	fi
	wait $1
	rc=$?
}

# two_loops: two background tasks, each reading its own marker file every
# 20 ms ($m1 by the tree of pid $a, $m2 by that of $b): events a trace
# can tell apart by path and pid.
two_loops() {
	m1=$TMP/marker-1
	m2=$TMP/marker-2
	echo 1 >"$m1"
	echo 2 >"$m2"
	( while :; do cat "$m1" >/dev/null; sleep 0.02; done ) &
	a=$!
	( while :; do cat "$m2" >/dev/null; sleep 0.02; done ) &
	b=$!
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
