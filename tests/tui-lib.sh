# tui-lib.sh - drive the real ./kscope tui inside a private tmux server.
# Used by tests/test-tui.sh and bench/tui-bench.sh.
#
#     . tests/tui-lib.sh
#     tui_start 100 30                 # tmux server + a shell in a pane
#     tui_run "$KSCOPE tui --mono $T"  # type a command line in the shell
#     tui_wait '1 Overview'            # poll the screen until it shows text
#     tui_wait_lines 40                # ... until the pane has 40 lines
#     tui_keys 2 Enter                 # tmux send-keys
#     screen=$(tui_screen)             # the pane as text
#     tui_check "what" tui_wait 'x'    # on failure: FAIL, the screen,
#                                      # and tui_fails counts it
#     tui_stop
#
# The server has its own socket (tmux -L), so nothing else is touched and
# tui_stop kills only it.  TUI_TIMEOUT (seconds, default 10) bounds waits.
TUI_SOCK="kscope-tui-$$"
TUI_TIMEOUT=${TUI_TIMEOUT:-10}

tmx() {
	tmux -L "$TUI_SOCK" "$@"
}

# tui_start COLS ROWS: a pane running sh with a plain prompt
tui_start() {
	tmx -f /dev/null new-session -d -s tui -x "$1" -y "$2" \
		"env -i PATH=\"$PATH\" HOME=\"${HOME:-/}\" TERM=tmux-256color LANG=${TUI_LANG:-C.UTF-8} PS1='tui-prompt\$ ' /bin/sh" ||
		return 1
	tmx set-option -g status off >/dev/null
	tui_wait 'tui-prompt\$'
}

tui_stop() {
	tmx kill-server 2>/dev/null
}

tui_screen() {
	tmx capture-pane -p -t tui
}

# tui_screen_attr: with escape sequences (attributes)
tui_screen_attr() {
	tmx capture-pane -p -e -t tui
}

tui_keys() {
	tmx send-keys -t tui "$@"
}

# tui_type TEXT: literal text
tui_type() {
	tmx send-keys -t tui -l "$1"
}

tui_run() {
	tui_type "$1"
	tui_keys Enter
}

# tui_wait REGEX: until the screen matches (grep -E); 1 on timeout
tui_wait() {
	_end=$(( $(date +%s) + TUI_TIMEOUT ))
	while [ "$(date +%s)" -le "$_end" ]; do
		if tui_screen | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# tui_wait_gone REGEX: until the screen no longer matches
tui_wait_gone() {
	_end=$(( $(date +%s) + TUI_TIMEOUT ))
	while [ "$(date +%s)" -le "$_end" ]; do
		if ! tui_screen | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# tui_wait_lines N: until the pane is N lines high (after a resize)
tui_wait_lines() {
	_end=$(( $(date +%s) + TUI_TIMEOUT ))
	while [ "$(date +%s)" -le "$_end" ]; do
		[ "$(tui_screen | wc -l)" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# tui_check DESCRIPTION COMMAND...: run COMMAND; when it fails, say so
# with the screen as it is, and count it in tui_fails
tui_fails=0
tui_check() {
	_step=$1
	shift
	if ! "$@"; then
		echo "FAIL: $_step"
		echo "---- screen ----"
		tui_screen
		echo "----------------"
		tui_fails=$((tui_fails + 1))
	fi
}
