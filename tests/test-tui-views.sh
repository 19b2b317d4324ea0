#!/bin/sh
# test-tui-views.sh - the real 'kscope tui' in tmux at 80x24 on the planted
# causes trace (tests/synth_causes.h): the tab bar shows every tab, by
# name or short name, and the current one whole, at 80 columns and at
# 50; '9' opens the Run queue view (runq waited 50 + 20 ms, runq-b
# 10 + 5 ms; the latency histogram) and Enter on runq who ran instead
# (runq-b, 70 ms);
# '0' opens the Signals view (killer's SIGKILL to sleep, the OOM killer's
# kill of hog in its memcg) and Enter the target's events; the Overview
# lists the calls still running at the end (reader's read of
# pipe:[4242] for 2.9 s, its futex for 1 s).
set -u
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
srcdir=${srcdir:-.}

command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
[ -x "$KSCOPE" ] || { echo "SKIP: $KSCOPE not built"; exit 77; }
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
. "$srcdir/tests/tui-lib.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test-tui-views.XXXXXX") || exit 99
trap 'tui_stop; rm -rf "$TMP"' EXIT
KSCOPE=$(cd "$(dirname "$KSCOPE")" && pwd)/$(basename "$KSCOPE")
T=$TMP/causes.kscope
"$SYNTH" -o "$T" --planted causes >/dev/null || exit 99

fails=0
check() { # check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then
		echo "ok   $d"
	else
		echo "FAIL: $d"
		echo "---- screen ----"
		tui_screen
		echo "----------------"
		fails=$((fails + 1))
	fi
}

# The tabs: key, name, short name.
TABS='1:Overview:Ovw 2:Processes:Procs 3:Syscalls:Sys 4:Events:Ev
5:Connections:Conns 6:Files:Files 7:Errors:Err 8:Timeline:Tml 9:Run queue:RunQ
0:Signals:Sig'

# tabs_ok CURRENT_KEY: the tab bar (screen line 2) names every tab, the
# current one whole, within the screen's width
tabs_ok() {
	bar=$(tui_screen | sed -n 2p)
	echo "$TABS" | tr ' ' '\n' | sed 's/:/ /; s/:/\n/' | paste - - |
	while IFS='	' read -r kn short; do
		k=${kn%% *}
		if [ "$k" = "$1" ]; then
			case "$bar" in *"$kn"*) ;; *) echo "tab $kn not whole"; exit 1 ;; esac
		else
			case "$bar" in
			*"$kn"* | *"$k $short"*) ;;
			*) echo "tab $kn missing"; exit 1 ;;
			esac
		fi
	done
}

tui_start 80 24 || { echo "SKIP: cannot start tmux here"; exit 77; }
tui_run "$KSCOPE tui --mono $T"
check "overview drawn" tui_wait '^Overview'
check "aggregate complete" tui_wait_gone 'reading [0-9]+%'
echo "$TABS" | tr ' ' '\n' | sed 's/:/ /; s/:/\n/' | paste - - |
while IFS='	' read -r kn short; do
	tui_keys "${kn%% *}"
	# the view is drawn: its breadcrumb
	tui_wait "^${kn#* } *\$"
	check "80 columns, tab $kn current: every tab named" tabs_ok "${kn%% *}"
done >"$TMP/tabs.out"
cat "$TMP/tabs.out"
fails=$((fails + $(grep -c '^FAIL' "$TMP/tabs.out")))

tui_keys 1
check "overview: calls still running" \
	tui_wait 'Still running at the end: 2 calls'
check "overview: the longest, read of the pipe" \
	tui_wait '2\.900 s +reader/61031 +read pipe:\[4242\]'
check "overview: then futex" tui_wait '1\.000 s +reader/61032 +futex'

tui_keys 9
check "9: Run queue view" tui_wait '^Run queue *$'
check "run queue: runq waited 70 ms" \
	tui_wait '61060 +61060 +runq +2 +70\.0ms +35\.0ms +50\.0ms'
check "run queue: runq-b 15 ms" \
	tui_wait '61061 +61061 +runq-b +2 +15\.0ms +7\.5ms +10\.0ms'
check "run queue: the window's figures" \
	tui_wait 'Waits for a CPU in the window: 4, p50 10\.00 ms, p99 50\.00 ms'
check "run queue: histogram of the selected thread" \
	tui_wait 'runq/61060: 2 waits, max 50\.00 ms'
check "run queue: the 16-33 ms bucket" \
	tui_wait '16ms-33ms +(#|█)+ +1 +16ms-33ms +(#|█)+ +1'
tui_keys Enter
check "Enter: who ran instead" tui_wait '^Run queue > ran instead of runq/61060'
check "who ran instead: runq-b 70 ms" \
	tui_wait '61060 +0 +61061 +61061 +runq-b +70\.0ms +2'
tui_keys Escape

tui_keys 0
check "0: Signals view" tui_wait '^Signals *$'
check "signals: SIGKILL from killer to sleep" \
	tui_wait '\+0\.400000 +SIGKILL +killer\[61011\] +sleep\[61012\] +delivered'
check "signals: the OOM killer's kill in its memcg" \
	tui_wait 'SIGKILL +the OOM killer +hog\[61020\] +memcg /kscope-test/oom$'
tui_keys Down
tui_keys Enter
check "Enter: the target's events" tui_wait '^Signals > Events \(pid 61012\)'
check "the target's exit by the signal" tui_wait 'exit code=0 signal=SIGKILL'

# narrower: the current tab whole, the others by short name
tui_keys Escape 1
tmx resize-window -t tui -x 50 -y 24
check "50 columns: drawn" tui_wait_lines 24
for k in 5 9 0; do
	tui_keys "$k"
	case $k in 5) n=Connections ;; 9) n='Run queue' ;; 0) n=Signals ;; esac
	check "50 columns: tab $k whole" tui_wait "$k $n"
done
tui_keys q

[ "$fails" -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
