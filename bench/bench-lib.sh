# bench-lib.sh - shared by the benchmark scripts (sourced, not run).
#
#     SYNTH=tests/kscope-synth
#     . bench/bench-lib.sh
#     bench_trace /tmp/kscope-bench-x-1000.kscope 1000 || exit 1
#
# bench_trace FILE SYSCALLS: a synthetic trace of SYSCALLS system calls
# (with the scheduler, process and TCP events that come with them) in
# FILE, kept for later runs.  FILE.build holds the sha256 of the $SYNTH
# that wrote it: a trace written by another build of the writer is
# written again, so that a figure is never measured on a stale format.
bench_trace() {
	_build=$(sha256sum <"$SYNTH" | cut -d' ' -f1) || return 1
	if [ -s "$1" ] && [ "$(cat "$1.build" 2>/dev/null)" = "$_build" ]; then
		return 0
	fi
	echo "writing $1 ($2 syscalls, by $SYNTH $_build) ..."
	rm -f "$1" "$1.build"
	"$SYNTH" -o "$1" -n "$2" >/dev/null || return 1
	echo "$_build" >"$1.build"
}
