# cli-lib.sh - helpers for the shell tests that drive the real ./kscope.
#
#     . "$(dirname "$0")/cli-lib.sh"
#     run info "$T"            # runs ./kscope info "$T"; sets $rc, $out, $err
#     expect_rc 0; expect_out_has 'host         test-host'
#     expect_one_error 1 "cannot open '$T': not a kscope trace"
#
# Tests run from the build directory (automake's harness); binaries are
# ./kscope and tests/test-mktrace there.  A temp dir is made and removed.
set -u

KSCOPE=${KSCOPE:-./kscope}
MKTRACE=${MKTRACE:-tests/test-mktrace}
TEST_NAME=$(basename "$0" .sh)
fails=0

[ -x "$KSCOPE" ] || { echo "SKIP: $KSCOPE not built"; exit 77; }
[ -x "$MKTRACE" ] || { echo "SKIP: $MKTRACE not built"; exit 77; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-$TEST_NAME.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT

# run ARGS... : run kscope; stdout in $TMP/out ($out), stderr in $err
run() {
	"$KSCOPE" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	last="kscope $*"
}

# run_in INPUT ARGS... : same with INPUT on standard input
run_in() {
	input=$1
	shift
	printf '%s' "$input" | "$KSCOPE" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	last="kscope $* <<< $input"
}

fail() {
	printf "FAIL: %s: %s\n" "$last" "$*"
	echo "  exit $rc; stdout:"; sed 's/^/    /' "$TMP/out" | head -20
	echo "  stderr:"; sed 's/^/    /' "$TMP/err" | head -20
	fails=$((fails + 1))
}

ok() {
	printf "ok: %s%s\n" "$last" "${1:+: $1}"
}

expect_rc() {
	[ "$rc" -eq "$1" ] || { fail "exit $rc, wanted $1"; return 1; }
}

expect_out_has() {
	grep -qF -- "$1" "$TMP/out" || { fail "stdout lacks '$1'"; return 1; }
}

# expect_out_equals TEXT: stdout is exactly TEXT and a newline
expect_out_equals() {
	printf '%s\n' "$1" | cmp -s - "$TMP/out" ||
		{ fail "stdout is not exactly '$1'"; return 1; }
}

# expect_one_error RC MESSAGE: exit RC, nothing on stdout, and stderr is
# exactly one line "kscope: MESSAGE" (MESSAGE may be a prefix if it ends
# with '*')
expect_one_error() {
	want_rc=$1
	msg=$2
	expect_rc "$want_rc" || return 1
	[ "$(wc -l < "$TMP/err")" -eq 1 ] ||
		{ fail "stderr is not one line"; return 1; }
	[ -s "$TMP/out" ] && { fail "stdout not empty"; return 1; }
	case "$msg" in
	*'*')
		case "$err" in
		"kscope: ${msg%\*}"*) ;;
		*) fail "stderr is not 'kscope: $msg'"; return 1 ;;
		esac ;;
	*)
		[ "$err" = "kscope: $msg" ] ||
			{ fail "stderr is not 'kscope: $msg'"; return 1; }
		;;
	esac
	ok "$err"
}

have_python() {
	command -v python3 >/dev/null 2>&1 &&
		python3 -c 'import json, csv, sqlite3' 2>/dev/null
}

# flip_chunk TRACE: damage 16 bytes in the middle of the first syscalls
# chunk of TRACE (in place; needs have_python)
flip_chunk() {
	python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
i, d = c.execute("SELECT id, data FROM chunk_data WHERE id IN "
                 "(SELECT id FROM chunks WHERE kind = 0) LIMIT 1").fetchone()
b = bytearray(d)
for k in range(len(b) // 2, len(b) // 2 + 16):
    b[k] ^= 0x5a
c.execute("UPDATE chunk_data SET data = ? WHERE id = ?", (bytes(b), i))
c.commit()
PY
}

finish() {
	if [ "$fails" -gt 0 ]; then
		echo "$fails check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}
