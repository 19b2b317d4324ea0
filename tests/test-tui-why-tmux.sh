#!/bin/sh
# test-tui-why-tmux.sh - the why pane of the real 'kscope tui' in tmux, at
# 80x24 and without colours, on the planted trace of tests/synth_why.h:
# from the Events view, 'w' on the writer's fsync shows the call, the
# file, where it blocked and the softirq that woke it; 'w' on the
# worker's futex names its waker, and the follow key reaches the waker's
# own wait; Esc steps back along the path, then closes the pane.  What
# the screen shows is checked against `kscope report why` on the same
# trace (its critical path, as JSON).
set -u
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
srcdir=${srcdir:-.}

command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
[ -x "$KSCOPE" ] || { echo "SKIP: $KSCOPE not built"; exit 77; }
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
. "$srcdir/tests/tui-lib.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test-tui-why.XXXXXX") || exit 99
trap 'tui_stop; rm -rf "$TMP"' EXIT
KSCOPE=$(cd "$(dirname "$KSCOPE")" && pwd)/$(basename "$KSCOPE")
T=$TMP/why.kscope
"$SYNTH" -o "$T" --planted why >/dev/null || exit 99

# hop HOP FIELD TID: a field of report why's critical path (first wait)
hop() {
	"$KSCOPE" report "$T" why --tid "$3" -F json >"$TMP/why.json" || return 1
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["tables"]["critical_path"]
h = [h for h in d if h["wait"] == 1 and h["hop"] == int(sys.argv[2])][0]
print(h[sys.argv[3]])' "$TMP/why.json" "$1" "$2"
}
w_sys=$(hop 0 syscall 4005) && w_file=$(hop 0 fd_name 4005) &&
	w_in=$(hop 0 blocked_in 4005) && w_woke=$(hop 0 woken_by 4005) &&
	f_woke=$(hop 0 woken_by 4001) && h_comm=$(hop 1 comm 4001) &&
	h_tid=$(hop 1 tid 4001) && h_sys=$(hop 1 syscall 4001) &&
	h_in=$(hop 1 blocked_in 4001) && h_end=$(hop 1 ends_at 4001) ||
	{ echo "FAIL: report why"; exit 1; }

tui_start 80 24 || { echo "SKIP: cannot start tmux here"; exit 77; }
tui_run "$KSCOPE tui --mono $T"
tui_check "overview drawn" tui_wait '1 Overview +2 Processes'
tui_keys 4
tui_check "events view" tui_wait '^EVENTS'

# the fsync: the call's wait, its file, where it blocked, its waker
tui_keys / ; tui_type "fsync("; tui_keys Enter
tui_check "fsync row found" tui_wait '^/fsync\($'
tui_keys w
tui_check "pane opened" tui_wait '^ why writer/4005 *$'
tui_check "state blocked" tui_wait '^ state +blocked \(D'
tui_check "names $w_sys" tui_wait "^ syscall +$w_sys *\$"
tui_check "names the file $w_file" tui_wait "^ fd +$w_file *\$"
tui_check "blocked in $w_in" tui_wait "^ blocked in +$w_in *\$"
tui_check "woken by $w_woke" tui_wait "^ woken by +$w_woke at \\+0\\.054000"
tui_check "path ends: an interrupt" tui_wait 'ends here: an interrupt'
tui_check "keys shown" tui_wait '^ w/Right: follow the waker +Esc: back'
tui_keys Down Down Down Down Down Down Down Down Down Down Down Down Down
tui_check "scrolled to the stack" tui_wait '^ +ext4_sync_file *$'
tui_keys Escape
tui_check "pane closed" tui_wait_gone '^ why '
tui_check "still in events" tui_wait '^EVENTS'

# the worker's futex: woken by the holder; follow to the holder's wait
tui_keys Home
tui_keys / ; tui_type "futex("; tui_keys Enter
tui_check "futex row found" tui_wait '^\+0\.005000000 .*worker/4001 +futex\('
tui_keys w
tui_check "worker pane" tui_wait '^ why worker/4001 *$'
tui_check "woken by the holder ($f_woke)" tui_wait "^ woken by +${f_woke%/*} +tid ${f_woke#*/} "
tui_check "the waker's wait shown" tui_wait "^ its wait +sleeping 50\\.00 ms from \\+0\\.010000 in $h_sys"
tui_keys Right
tui_check "followed to $h_comm/$h_tid" tui_wait "^ why worker/4001 < $h_comm/$h_tid *\$"
tui_check "the waker's syscall $h_sys" tui_wait "^ syscall +$h_sys *\$"
tui_check "the waker's blocked_in $h_in" tui_wait "^ blocked in +$h_in *\$"
tui_check "path ends: $h_end" tui_wait "ends here: $h_end"
tui_keys w
tui_check "nothing to follow" tui_wait "^the critical path ends here: $h_end"
tui_keys Escape
tui_check "back a hop" tui_wait '^ why worker/4001 *$'
tui_keys BSpace
tui_check "closed" tui_wait_gone '^ why '
tui_keys q
tui_check "quit" tui_wait 'tui-prompt\$ *$'

[ "$tui_fails" -eq 0 ] || exit 1
echo "ok: the why pane"
