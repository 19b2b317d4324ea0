#!/bin/sh
# test-tui-timeline.sh - the Timeline view on a live trace, in tmux at
# 80x24: a thread (tests/tlwork) sleeps 50 ms, runs, blocks in fsync and
# is starved by real-time hogs on its CPU; on the screen its strip shows
# sleeping, running, blocked and runnable, in that order, each where the
# trace's thread_state (kscope query, the oracle) puts it.
#
# The window is set to the thread's story with the keys (g @NS, m, g @NS,
# m); each state is checked at a cell it takes more than half of.  Enter
# on its block in fsync opens the why pane: the call, the file, and w
# follows to the waker (or says an interrupt woke it).
. "${srcdir:-.}/tests/record-lib.sh"
record_require
TLWORK=${TLWORK:-tests/tlwork}
[ -x "$TLWORK" ] || skip "no $TLWORK"
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
dir=$(mktemp -d /var/tmp/kscope-tl.XXXXXX) || skip "no /var/tmp"
. "${srcdir:-.}/tests/tui-lib.sh"
trap 'tui_stop; rm -rf "$TMP" "$dir"' EXIT
KSCOPE=$(cd "$(dirname "$KSCOPE")" && pwd)/$(basename "$KSCOPE")

trace=$TMP/tl.kscope
"$KSCOPE" record -q -o "$trace" -- "$TLWORK" "$dir/data" \
	>"$TMP/w.out" 2>"$TMP/rec.err"
eq "record exits with the workload's status" "$?" 0
cat "$TMP/w.out" "$TMP/rec.err"
tid=$(kv "$TMP/w.out" tid)
[ -n "$tid" ] || { echo "FAIL workload output"; exit 1; }

# the oracle: the thread's story from thread_state
q "$trace" "SELECT state, ts, dur, syscall IS NOT NULL FROM thread_state
	WHERE tid = $tid ORDER BY ts" | tr ',' ' ' >"$TMP/states"
# its first sleep of 40 ms or more begins it, the last runnable of 100
# ms or more (the hogs) ends it
from=$(awk '$1 == "sleeping" && $3 >= 40000000 { print $2; exit }' "$TMP/states")
to=$(awk -v f="${from:-0}" '$1 == "runnable" && $3 >= 100000000 && $2 > f {
	e = $2 + $3 } END { if (e) printf "%.0f\n", e }' "$TMP/states")
[ -n "$from" ] && [ -n "$to" ] || { echo "FAIL the trace lacks the planted sleep or starvation"; cat "$TMP/states"; exit 1; }

COLS=80
W=$(( COLS - 16 - 1 ))	# cells at 80 columns (draw_tl.c: a 16-column label)
X0=17
# the cell of each state: of the cells its interval ANCHOR (the sleep,
# the longest run outside calls, the longest block, the starvation)
# touches, the one where the state has the largest share, which must be
# more than half the cell (the state is then the cell's, whatever the
# rest)
cells=$(awk -v f="$from" -v t="$to" -v w="$W" '
function st(s, sys) { return s == "running" && sys ? "syscall" : s }
{ n++; S[n] = st($1, $4); A[n] = $2; D[n] = $3 }
$1 == "sleeping" && $3 >= 40000000 && !sl { sl = n }
$1 == "runnable" && $3 >= 100000000 && sl { wt = n }
END {
	span = t - f + 1
	for (i = sl + 1; i < wt; i++) {
		if (S[i] == "running" && D[i] > D[ru]) ru = i
		if (S[i] == "blocked" && D[i] > D[bl]) bl = i
	}
	split(sl " " ru " " bl " " wt, anchor, " ")
	for (k = 1; k <= 4; k++) {
		a = anchor[k]; best = -1; bc = -1
		if (!a) { printf "- "; continue }
		c0 = int((A[a] - f) * w / span); c1 = int((A[a] + D[a] - 1 - f) * w / span)
		for (c = c0; c <= c1 && c < w; c++) {
			ca = f + c * span / w; cb = f + (c + 1) * span / w; share = 0
			for (i = 1; i <= n; i++) {
				if (S[i] != S[a]) continue
				x = A[i] > ca ? A[i] : ca; y = A[i] + D[i] < cb ? A[i] + D[i] : cb
				if (y > x) share += y - x
			}
			if (share > best) { best = share; bc = c; bw = cb - ca }
		}
		printf "%s ", (best * 2 > bw ? bc : "-")
	}
	print ""
}' "$TMP/states")
set -- $cells
c_sleep=$1 c_run=$2 c_block=$3 c_wait=$4
echo "window $from..$to, cells: sleeping $c_sleep running $c_run blocked $c_block runnable $c_wait"
case "$cells" in
*-*|"") echo "FAIL a state is not most of any cell"; cat "$TMP/states"; exit 1 ;;
esac
check "the states in order" [ "$c_sleep" -lt "$c_run" -a "$c_run" -lt "$c_block" -a "$c_block" -lt "$c_wait" ]

tui_start $COLS 24 || skip "cannot start tmux here"
tui_run "$KSCOPE tui --mono $trace"
tui_wait '1 Overview' || { echo "FAIL no first screen"; tui_screen; exit 1; }
tui_keys 8
check "timeline drawn" tui_wait '^ THREADS'
check "states computed" tui_wait 'cell [0-9.]+ (us|ms|s) '
# the window: the thread's story
tui_keys g; tui_type "@$from"; tui_keys Enter m g; tui_type "@$to"; tui_keys Enter m
check "window set" tui_wait '^window \+[0-9.]+ \.\. \+'
check "legend shown" tui_wait '^# run s syscall = runnable . sleep D blocked'
# select the thread: the strips between the selected one (named under
# the cursor) and it, by their letters
letter() { # the strip letter of thread NAME[TID] as a number
	r=$(tui_screen | grep -F "$1" | grep "^[a-zA-Z] ")
	case $r in
	[a-z]*) echo $(( $(printf '%d' "'$r") - 97 )) ;;
	[A-Z]*) echo $(( $(printf '%d' "'$r") - 65 + 26 )) ;;
	esac
}
sel=$(tui_screen | sed -n 's/^\([^ ]*\[[0-9]*\]\) pid .*/\1/p')
want=$(letter "tlstrip[$tid")
have=$(letter "$sel")
n=$(( ${want:-0} - ${have:-0} ))
while [ "$n" -gt 0 ]; do tui_keys Down; n=$((n - 1)); done
while [ "$n" -lt 0 ]; do tui_keys Up; n=$((n + 1)); done
check "thread selected" tui_wait "^tlstrip\\[$tid\\] pid"
row=$(tui_screen | grep "^[a-zA-Z] tlstrip\[$tid")
echo "strip: $row"
cell() {
	printf '%s\n' "$row" | cut -c $((X0 + $1 + 1))
}
check "sleeping at cell $c_sleep" [ "$(cell "$c_sleep")" = "." ]
check "running at cell $c_run" sh -c "printf '%s' '$(cell "$c_run")' | grep -q '[#0-9]'"
check "blocked at cell $c_block" [ "$(cell "$c_block")" = "D" ]
check "runnable at cell $c_wait" [ "$(cell "$c_wait")" = "=" ]
# the next state change from the window's start: the sleep's end
tui_keys g; tui_type "@$from"; tui_keys Enter ']'
check "] stops at a state change" tui_wait "^tlstrip\\[$tid\\] at \\+[0-9.]+: sleeping -> "
# the why pane from the timeline: the cursor in the thread's longest
# block in fsync, Enter; the oracle is thread_state's row of that block
q "$trace" "SELECT ts + dur / 2, fd_name, coalesce(waker_tid, 0),
	coalesce(waker_ctx, '-') FROM thread_state
	WHERE tid = $tid AND state = 'blocked' AND syscall = 'fsync'
	ORDER BY dur DESC LIMIT 1" | tr ',' ' ' >"$TMP/block"
read -r b_at b_file b_wtid b_ctx <"$TMP/block"
echo "block: at $b_at file $b_file woken by $b_ctx $b_wtid"
[ -n "$b_at" ] || { echo "FAIL no blocked fsync of tlstrip in thread_state"; exit 1; }
tui_keys g; tui_type "@$b_at"; tui_keys Enter Enter
check "Enter: the why pane on the thread" tui_wait "^ why tlstrip/$tid *\$"
check "why: blocked" tui_wait '^ state +blocked \(D'
check "why: in fsync" tui_wait '^ syscall +fsync *$'
check "why: on the file" tui_wait "^ fd +$b_file *\$"
if [ "$b_ctx" = task ]; then
	check "why: woken by tid $b_wtid" tui_wait "^ woken by .*tid $b_wtid "
	# w reaches the waker: its own wait before the wakeup, or the pane
	# says the path ends there (the waker was running, not waiting)
	tui_keys w
	check "w: to the waker's wait, or the path ends at it" \
		tui_wait "^ why tlstrip/$tid < [^ ]+/$b_wtid *\$|^the critical path ends here: "
else
	check "why: woken by an interrupt" tui_wait "^ woken by +$b_ctx"
	tui_keys w
	check "w: the path ends at the interrupt" \
		tui_wait '^the critical path ends here: an interrupt'
fi
[ "$failures" -eq 0 ] || { echo "---- screen ----"; tui_screen; }
tui_keys Escape Escape
check "pane closed" tui_wait_gone '^ why '
tui_keys q
[ "$failures" -eq 0 ] || { echo "---- screen ----"; tui_screen; }
finish
