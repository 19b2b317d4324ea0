# oracle-lib.sh - the real programs the oracle tests run (sourced by
# tests/test-oracle-strace.sh and tests/test-oracle-perf.sh, after
# record-lib.sh).  Each function prepares its inputs under $TMP and calls
# the sourcing test's own `run NAME CMD...`, which records CMD beside that
# test's oracle and compares (strace_run below, for strace).

# A shell script: a pipeline, a failing child (exit 2), a child killed by
# SIGTERM, and exit 3.
oracle_pipe() {
	mkdir "$TMP/tree"
	cp -r "${srcdir:-.}/tests" "${srcdir:-.}/docs" "$TMP/tree/"
	cat > "$TMP/script.sh" <<'SCRIPT'
tar c -C "$1" . | gzip -1 > "$2"
gzip -t "$2"
ls "$1/no-such-file" 2>/dev/null
sh -c 'kill -TERM $$'
exit 3
SCRIPT
	run pipe sh "$TMP/script.sh" "$TMP/tree" "$TMP/tree.tar.gz"
}

# A multi-threaded program: xz -T2 makes 3 MiB blocks at -1, so a 10 MB
# input keeps both worker threads busy.
oracle_xz() {
	seq 1 1500000 > "$TMP/numbers"
	run xz xz -T2 -1 -k -f "$TMP/numbers"
}

# A compiler run: make -j2 of N generated C files (gcc, cc1, as).
oracle_cc() {
	mkdir "$TMP/cc"
	i=1
	while [ $i -le "$1" ]; do
		cat > "$TMP/cc/f$i.c" <<SRC
#include <stdio.h>
#include <string.h>
int f$i(const char *s) { return (int)strlen(s) + $i; }
SRC
		printf 'f%s.o ' "$i" >> "$TMP/cc/objs"
		i=$((i + 1))
	done
	printf 'all: %s\n%%.o: %%.c\n\tgcc -O1 -c $< -o $@\n' \
		"$(cat "$TMP/cc/objs")" > "$TMP/cc/Makefile"
	run cc make -s -C "$TMP/cc" -j2
}

# strace_run NAME CMD...: record CMD under `strace -f -q -o LOG`, then
# compare the trace with the log (tests/strace-compare.py).  $KOPTS are
# kscope record's options (capture filters), $SOPTS strace's, $COPTS the
# comparison's; all empty by default.
strace_run() {
	name=$1
	shift
	echo "== $name${KOPTS:+ ($KOPTS)}: $*"
	"$KSCOPE" record -q -o "$TMP/$name.kscope" $KOPTS -- \
		strace -f -q $SOPTS -o "$TMP/$name.log" -- "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	# strace exits with CMD's status; kscope's own exit status is not
	# what this is about.
	if [ ! -s "$TMP/$name.log" ]; then
		echo "FAIL $name: no strace log (record exited $rc)"
		cat "$TMP/$name.err"
		failures=$((failures + 1))
		return
	fi
	eq "$name: no events lost (but block I/O)" \
		"$(lost_but_block "$TMP/$name.kscope")" 0
	if python3 "${srcdir:-.}/tests/strace-compare.py" $COPTS "$KSCOPE" \
		"$TMP/$name.kscope" "$TMP/$name.log"; then
		echo "ok   $name: the trace matches strace"
	else
		echo "FAIL $name: the trace differs from strace (above)"
		failures=$((failures + 1))
	fi
}
