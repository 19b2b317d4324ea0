#!/bin/sh
# test-tui.sh - the real 'kscope tui' in tmux against a synthetic trace:
# what the screen shows after navigation, view switches, drill-down and
# back, filter (good and bad), search, time window, go to, SQL prompt,
# replay, help, resize to 80x24 and back, and that quitting - or being
# killed - leaves the terminal sane.  Errors before the screen is taken.
set -u
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
srcdir=${srcdir:-.}

command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
[ -x "$KSCOPE" ] || { echo "SKIP: $KSCOPE not built"; exit 77; }
[ -x "$SYNTH" ] || { echo "SKIP: $SYNTH not built"; exit 77; }
. "$srcdir/tests/tui-lib.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kscope-test-tui.XXXXXX") || exit 99
trap 'tui_stop; rm -rf "$TMP"' EXIT
KSCOPE=$(cd "$(dirname "$KSCOPE")" && pwd)/$(basename "$KSCOPE")
T=$TMP/t.kscope
"$SYNTH" -o "$T" -n 20000 >/dev/null || exit 99

fails=0
step=""
check() { # check DESCRIPTION COMMAND...
	step=$1
	shift
	if ! "$@"; then
		echo "FAIL: $step"
		echo "---- screen ----"
		tui_screen
		echo "----------------"
		fails=$((fails + 1))
	fi
}

# ---- errors come before the screen is taken ---------------------------------
"$KSCOPE" tui "$TMP/missing.kscope" >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
check "missing file exits 1" [ "$rc" = 1 ]
check "missing file names the file" grep -q "cannot open '$TMP/missing.kscope'" "$TMP/err"
head -c 4096 /dev/urandom >"$TMP/bad.kscope"
"$KSCOPE" tui "$TMP/bad.kscope" >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
check "corrupt file exits 1" [ "$rc" = 1 ]
check "corrupt file: one line on stderr" [ "$(wc -l <"$TMP/err")" = 1 ]
check "corrupt file: nothing drawn" [ ! -s "$TMP/out" ]
"$KSCOPE" tui "$T" >"$TMP/out" 2>"$TMP/err" </dev/null
check "no terminal: refused" grep -q "needs a terminal" "$TMP/err"
"$KSCOPE" tui >/dev/null 2>&1
check "no file: usage, exit 2" [ $? = 2 ]

# ---- the browser -----------------------------------------------------------------
tui_start 120 40 || { echo "SKIP: cannot start tmux here"; exit 77; }
# a chunk index with an impossible count: one line, as every command
# says it, and the terminal as it was (the timeline once indexed its
# glyphs with the count)
if command -v python3 >/dev/null 2>&1; then
	cp "$T" "$TMP/neg.kscope"
	python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE chunks SET count = -9223372036854775808 WHERE id = (SELECT min(id) FROM chunks WHERE kind = 1)")
db.commit()' "$TMP/neg.kscope"
	tui_run "$KSCOPE tui --mono $TMP/neg.kscope 2>$TMP/neg.err; echo rc=\$?"
	check "bad count: exit 1" tui_wait '^rc=1$'
	check "bad count: one line" [ "$(wc -l <"$TMP/neg.err")" = 1 ]
	check "bad count: says so" grep -q "^kscope: .*neg.kscope.*: chunk [0-9]* of sched_switch: bad event count -9223372036854775808\( (1 to [0-9]*)\)\{0,1\}$" "$TMP/neg.err"
	tui_run "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo -e icrnl | tr '\\n' , ; echo"
	check "bad count: terminal sane" tui_wait '^icrnl,icanon,echo,$'
	tui_keys C-l
	tui_run clear
fi
tui_run "$KSCOPE tui --mono $T"
check "overview drawn" tui_wait '1 Overview +2 Processes'
check "overview header" tui_wait 'events +lost 0'
check "overview top lists" tui_wait 'Top CPU +Top syscalls +Top errors'
check "timeline cpu rows" tui_wait '^cpu0'
check "aggregate complete" tui_wait_gone 'reading [0-9]+%'

tui_keys 2
check "processes view" tui_wait '^PID +COMM +CPU'
check "breadcrumb processes" tui_wait '^Processes *$'
tui_keys Down Down Enter
check "drill: threads" tui_wait '\(all threads\)'
check "breadcrumb process" tui_wait '^Processes > .* \[[0-9]+\]'
tui_keys Enter
check "drill: process events" tui_wait '^EVENTS where pid = [0-9]+'
check "event lines" tui_wait '^\+0\.[0-9]{9} '
tui_keys Escape
check "back to threads" tui_wait '\(all threads\)'
tui_keys BSpace
check "back to processes" tui_wait '^Processes *$'

tui_keys s
check "sort by next column" tui_wait 'sorted by OFF-CPU'
tui_keys t
check "process tree" tui_wait 'process tree'

tui_keys 3
check "syscalls view" tui_wait '^SYSCALL +CALLS +ERRORS'
tui_keys / ; tui_type "futex"; tui_keys Enter
check "search status" tui_wait '^/futex'
check "search selects the row" sh -c "tmux -L $TUI_SOCK capture-pane -p -e -t tui | grep futex | grep -q '\[7m'"
tui_keys Enter
check "drill: slowest calls" tui_wait 'slowest futex'
check "slowest grid" tui_wait 'took'
# names, not the raw ts and dur the grid is sorted by, and "-" for NULL
check "slowest grid columns" tui_wait '^time +took +pid +tid +comm +ret +err +path *$'
check "slowest grid: no NULL" sh -c "! tmux -L $TUI_SOCK capture-pane -p -t tui | grep -q NUL"
# a call's thread at its time: the rows before it are said to be there
tui_keys End Enter
check "slowest: the call's events" tui_wait '^EVENTS where tid = '
check "slowest: rows above" tui_wait 'rows above'
tui_keys Escape
tui_keys Escape

# Events: the last event of the trace is on screen after End
last=$("$KSCOPE" replay "$T" 2>/dev/null | tail -n 1 | cut -d' ' -f1)
tui_keys 4
check "events view" tui_wait '^EVENTS'
tui_keys End
check "end of events ($last)" tui_wait "^\\$last "
tui_keys Home
check "start of events" tui_wait '^\+0\.0000'

# filter
tui_keys '\'
tui_type "name = openat"
tui_keys Enter
check "filter in the title" tui_wait 'filter: name = openat'
# the filtered rows are read in the background: wait until some are on
# screen and the reading is done, then look at every row
check "some openat events" tui_wait '^\+0\..* openat\('
check "filtered rows read" tui_wait_gone 'reading events'
check "only openat events" sh -c "tmux -L $TUI_SOCK capture-pane -p -t tui | grep '^+0\.' | grep -v 'openat(' | wc -l | grep -qx 0"
tui_keys F4 C-u
tui_type "name === openat"
tui_keys Enter
check "bad filter message" tui_wait 'bad filter.*column'
tui_keys C-u Enter
check "filter cleared" tui_wait 'filter cleared'

# time window on the timeline, and undo
tui_keys 1
check "overview again" tui_wait 'Top CPU'
full=$(tui_screen | head -n 1 | grep -Eo '\+0\.000000\.\.\+[0-9.]+')
# the time cursor follows the Events selection, wherever the filter left
# it: put it at the start of the trace
tui_keys g; tui_type "+0"; tui_keys Enter
check "cursor at the start" tui_wait 'at \+0\.000000'
tui_keys m Right Right Right Right Right Right Right Right Right Right m
check "window selected" tui_wait 'window \+0\.000000 \.\. \+0\.0'
check "window in the title" sh -c "tmux -L $TUI_SOCK capture-pane -p -t tui | head -n 1 | grep -v -- '$full' | grep -q '+0.000000\.\.'"
tui_keys u
check "whole trace again" tui_wait "$full"
tui_keys z
check "zoom in" tui_wait 'window \+'
tui_keys u g
tui_type "+0.05s"
tui_keys Enter
check "go to time" tui_wait 'at \+0\.050000'

# SQL prompt
tui_keys :
tui_type "select count(*) as total_calls from syscalls"
tui_keys Enter
check "sql grid header" tui_wait 'total_calls'
check "sql grid value" tui_wait '^ *20000 *$'
tui_keys Escape
tui_keys :
tui_type "selekt"
tui_keys Enter
check "sql error" tui_wait 'SQL: .*syntax error'
# a statement that never ends runs in the background: the screen says
# so, keys still work, and Esc stops it
tui_keys :
tui_type "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) as forever from c"
tui_keys Enter
check "sql running" tui_wait 'running 0 rows'
check "sql running: header" tui_wait '^ *forever'
check "sql running: how to stop" tui_wait 'Esc stops'
tui_keys F1
check "help while sql runs" tui_wait 'Keys \(any other key closes'
tui_keys x
check "still running" tui_wait 'running 0 rows'
tui_keys Escape
check "sql stopped" tui_wait 'query stopped: 0 rows'
check "sql no longer running" tui_wait_gone 'running 0 rows'
tui_keys Escape
check "back from the stopped query" tui_wait_gone 'forever'

# replay: the first rows may come in the background; and slowly (1/64x),
# so that the 0.1 s trace does not end before the checks see it play
tui_keys 4 Home
check "replay: the start" tui_wait '^\+0\.0000'
tui_keys - - - - - -
check "replay slower" tui_wait 'replay speed 0.015625x'
tui_keys Space
check "replay plays" tui_wait 'PLAY 0.015625x'
tui_keys +
check "replay faster" tui_wait 'PLAY 0.03125x'
tui_keys Space
check "replay paused" tui_wait_gone 'PLAY'

# help lists the key table
tui_keys F1
check "help" tui_wait 'Keys \(any other key closes'
check "help lists F4" tui_wait 'F4 +\\ +filter'
check "help: the view's keys first" tui_wait '^In Events:'
check "help: backspace named once" tui_wait '^  Esc Bksp +back'
tui_keys NPage NPage
check "help scrolls to SQL" tui_wait ': +SQL prompt'
tui_keys x
check "help closed" tui_wait_gone 'Keys \(any other key'

# resize to 80x24 and back
tmx resize-window -t tui -x 80 -y 24
tui_keys 1
check "80x24 overview" tui_wait 'Top CPU'
check "80x24 size" sh -c "[ \$(tmux -L $TUI_SOCK capture-pane -p -t tui | wc -l) = 24 ]"
# every tab, by short name when the names do not fit, the current whole
# (tests/test-tui-views.sh checks each tab)
check "80x24 tabs" tui_wait '1 Overview +2 (Processes|Procs) +3 (Syscalls|Sys) +4 (Events|Ev) +5 (Connections|Conns) +6 Files +7 (Errors|Err)'
# the process tree (left on in Processes) keeps names whole at any depth
tui_keys 2
check "80x24 tree" tui_wait '^ +[0-9]+ +└ '
check "80x24 tree: names whole" tui_wait '└ containerd-shim '
tui_keys 5
check "80x24 connections" tui_wait '^PID +COMM +LOCAL +REMOTE'
tui_keys 6
check "80x24 files" tui_wait '^CALLS[^ ]* +ERRORS +TIME +PATH'
tui_keys 7
check "80x24 errors" tui_wait '^SYSCALL +ERRNO +COUNT'
check "80x24 errno names" tui_wait 'ENOENT|EAGAIN'
# Enter: the errors' events from the first one in the window, wherever
# the time cursor was left; no rows above it
tui_keys Enter
check "80x24 errors: events" tui_wait '^EVENTS where kind = syscall'
scope=$(tui_screen | sed -n 's/^EVENTS where //p' | sed 's/ *$//')
first=$("$KSCOPE" replay "$T" "$scope" 2>/dev/null | head -n 1 | cut -d' ' -f1)
check "80x24 errors: first row ($first)" sh -c "tmux -L $TUI_SOCK capture-pane -p -t tui | sed -n 5p | grep -q '^$first '"
check "80x24 errors: nothing above" sh -c "! tmux -L $TUI_SOCK capture-pane -p -t tui | grep -q 'rows above'"
tui_keys Escape
# Events rows are wider than 80 columns: cut rows end in », Right and
# Left scroll them, and a search scrolls its match into view (the path
# of a call is readable)
tui_keys 4 Home
check "80x24 events: cut rows marked" tui_wait '^\+0\.[0-9]{9} .*»$'
tui_keys Right
check "80x24 events: scrolled" tui_wait '^«'
tui_keys Left
check "80x24 events: back" tui_wait '^\+0\.[0-9]{9} '
tui_keys /
tui_type "/etc/hosts"
tui_keys Enter
check "80x24 search: the path on screen" tui_wait '"/etc/hosts", O_'
# d: the whole event, every field, wrapped; Esc closes
tui_keys d
check "80x24 detail" tui_wait 'Detail \(Esc closes'
line=$("$KSCOPE" replay "$T" "path = '/etc/hosts'" 2>/dev/null | head -n 1)
check "80x24 detail: the line whole, wrapped" sh -c "[ \"\$(tmux -L $TUI_SOCK capture-pane -p -t tui | sed -n 5,6p | tr -d '\n')\" = '$line' ]"
tui_keys Down Down Down Down Down Down Down Down
check "80x24 detail: fields" tui_wait '^path +/etc/hosts$'
check "80x24 detail: errno" tui_wait '^errno +-$'
tui_keys Escape
check "80x24 detail closed" tui_wait_gone 'Detail \(Esc closes'
check "80x24 detail closed: events" tui_wait '"/etc/hosts", O_'
tui_keys 7
tmx resize-window -t tui -x 120 -y 40
check "back to 120x40" tui_wait_lines 40
check "120x40 redrawn" tui_wait '^SYSCALL +ERRNO +COUNT'

# quit: the shell is back and the terminal is sane
tui_keys q
check "prompt back after q" tui_wait 'tui-prompt\$ *$'
tui_run "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo -e icrnl | tr '\\n' , ; echo"
check "terminal sane after q" tui_wait '^icrnl,icanon,echo,$'

# killed: the signal handler restores the terminal too
for sig in TERM SEGV INT; do
	tui_keys C-l
	tui_run "clear; sh -c 'echo \$\$ >$TMP/pid; exec $KSCOPE tui --mono $T'"
	check "started for SIG$sig" tui_wait '1 Overview'
	kill -"$sig" "$(cat "$TMP/pid")"
	check "prompt back after SIG$sig" tui_wait 'tui-prompt\$ *$'
	tui_run "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo -e icrnl | tr '\\n' , ; echo"
	check "terminal sane after SIG$sig" tui_wait '^icrnl,icanon,echo,$'
done

# terminal controls in the trace (host: C1 CSI, an OSC title, BEL) are
# shown escaped, as in every text format, and never reach the terminal
# (tmux would take the OSC as the pane's title)
MKTRACE=${MKTRACE:-tests/test-mktrace}
if [ -x "$MKTRACE" ] && "$MKTRACE" "$TMP/esc.kscope" --escapes >/dev/null; then
	tui_keys C-l
	tui_run "clear; $KSCOPE tui --mono $TMP/esc.kscope"
	check "escapes: started" tui_wait '1 Overview'
	check "escapes: host shown escaped" \
		tui_wait 'evil\\xc2\\x9b2J\\x1b\]0;PWNED\\x07'
	check "escapes: pane title untouched" \
		sh -c "! tmux -L $TUI_SOCK display-message -p -t tui '#{pane_title}' | grep -q PWNED"
	tui_keys q
	check "escapes: prompt back" tui_wait 'tui-prompt\$ *$'
fi

# the Overview's CPU rows tell idle (blank) from not known (dim dots):
# cpu 1 is in a hole of lost sched events, then idle, then busy; cpus 2
# and 3 have no event at all
if [ -x "$MKTRACE" ] && "$MKTRACE" "$TMP/idle.kscope" --idle-cpus >/dev/null; then
	tui_keys C-l
	tui_run "clear; $KSCOPE tui --mono $TMP/idle.kscope"
	check "cpus: started" tui_wait 'Top CPU'
	check "cpus: hole, idle, busy" tui_wait '^cpu1 +·+ +[▁▂▃▄▅▆▇█]+$'
	check "cpus: no data" tui_wait '^cpu2 +· no data ·+$'
	check "cpus: every cpu of the trace" tui_wait '^cpu3 +· no data ·+$'
	tui_keys q
	check "cpus: prompt back" tui_wait 'tui-prompt\$ *$'
fi

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "ok: test-tui"
