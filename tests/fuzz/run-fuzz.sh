#!/bin/sh
# run-fuzz.sh - make check's short run of the libFuzzer targets.
#
#     make check TESTS=tests/fuzz/run-fuzz.sh
#     FUZZ_RUNS=100000 sh tests/fuzz/run-fuzz.sh    # longer, same seed
#
# Each target (tests/fuzz.mk builds them) starts from its seed corpus in
# the source tree and runs a fixed number of inputs from a fixed seed, so a
# run is repeatable; new inputs go to a temp dir, never into the tree.  Any
# crash, sanitizer report, leak, timeout or abort() from a target's own
# checks fails the test; the input that did it is copied to the build
# directory as fuzz-crash-TARGET-* (run the target on it to reproduce).
# Skips (77) when configure did not enable the targets.  Longer runs:
# docs/FUZZING.md.
set -u
srcdir=${srcdir:-$(dirname "$0")/../..}
dir=tests/fuzz
runs_chunk=${FUZZ_RUNS:-20000}
runs_trace=${FUZZ_RUNS:-2000}

for t in chunk trace; do
	if [ ! -x "$dir/fuzz-$t" ]; then
		echo "SKIP: $dir/fuzz-$t is not built: configure found no clang" \
		     "that links -fsanitize=fuzzer (libclang-rt-14-dev), or was" \
		     "given --disable-fuzzing"
		exit 77
	fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
fails=0
for t in chunk trace; do
	eval runs=\$runs_$t
	mkdir -p "$TMP/$t"
	# -error_exitcode: libFuzzer's default (77) would read as a skip
	"$dir/fuzz-$t" -seed=1 -runs="$runs" -timeout=60 -rss_limit_mb=2048 -malloc_limit_mb=128 \
		-error_exitcode=1 -timeout_exitcode=1 \
		-artifact_prefix="$TMP/crash-" \
		"$TMP/$t" "$srcdir/tests/fuzz/corpus-$t" > "$TMP/$t.log" 2>&1
	rc=$?
	grep -E '^(#[0-9]+[[:space:]]+INITED|Done)' "$TMP/$t.log"
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: fuzz-$t exited $rc"
		tail -n 60 "$TMP/$t.log"
		for f in "$TMP"/crash-*; do
			[ -f "$f" ] && cp "$f" "fuzz-crash-$t-${f##*/crash-}" &&
				echo "input kept in fuzz-crash-$t-${f##*/crash-}"
		done
		fails=$((fails + 1))
	else
		echo "ok: fuzz-$t, $runs inputs from seed 1"
	fi
done
[ "$fails" -eq 0 ]
