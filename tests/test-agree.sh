#!/bin/sh
# test-agree.sh - the figures the TUI shows against the reports' on the
# same traces: `kscope tui --print VIEW -F json` against `kscope report
# ... -F json` (tests/agree.py compares, one part per section below), on
# synthetic traces with planted facts and on live recordings.  A live
# section that cannot record here says SKIP, and the test then ends as
# skipped unless something failed.
. "${srcdir:-.}/tests/record-lib.sh"
command -v python3 >/dev/null 2>&1 || skip "no python3"
AGREE="${srcdir:-.}/tests/agree.py"
skipped=0

# agree CHECK TRACE [ARGS]: one part's comparisons (agree.py prints them).
agree() {
	python3 "$AGREE" "$KSCOPE" "$@" || failures=$((failures + 1))
}

# can_record: 0 when this machine can record (root, BTF, eBPF); else
# says SKIP with the reason.
can_record() {
	why=
	if [ "$(id -u)" -ne 0 ]; then
		why="live recording needs root"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then
		why="kernel has no BTF"
	elif ! "$KSCOPE" record -q -f -e proc -d 0.1 -o "$TMP/probe.kscope" \
		>"$TMP/probe.out" 2>&1; then
		why="cannot load eBPF here: $(head -n1 "$TMP/probe.out")"
	fi
	[ -z "$why" ] && return 0
	echo "SKIP $1: $why"
	skipped=1
	return 1
}

# ---- conns: the Connections view against report net ----------------------

# Planted connections (tests/synth-conns.c): a socket reused for a second
# connection, a local port reused by another socket, a listener, an
# accepted connection, a refused connect.
conns_synth() {
	if ! tests/synth-conns "$TMP/conns.kscope"; then
		echo "FAIL conns: tests/synth-conns"
		failures=$((failures + 1))
		return
	fi
	agree conns "$TMP/conns.kscope"
}

# A real local TCP server (tests/net-server.py) and a client that connects
# to it four times, one after the other, recorded with -- CMD: the ports
# and bytes are the programs' own (the server prints them).
conns_live() {
	can_record "conns live" || return
	trace=$TMP/conns-live.kscope
	"$KSCOPE" record -q -e net,proc,syscall -o "$trace" -- sh -c '
		python3 "$1" 127.0.0.1 0 4 3000 >"$2" &
		srv=$!
		until grep -q "^ready " "$2"; do
			kill -0 $srv || exit 1
			sleep 0.05
		done
		port=$(sed -n "s/^ready port=\([0-9]*\) .*/\1/p" "$2")
		python3 -c "
import socket, sys
for _ in range(4):
    s = socket.create_connection((\"127.0.0.1\", int(sys.argv[1])))
    s.sendall(b\"GET / HTTP/1.0\\r\\n\\r\\n\")
    while s.recv(65536):
        pass
    s.close()
" "$port"
		wait $srv' sh "${srcdir:-.}/tests/net-server.py" "$TMP/served" \
		>"$TMP/rec.out" 2>&1
	eq "conns live: the recording of server and client exits 0" $? 0
	agree conns-served "$trace" "$TMP/served"
}

conns_synth
conns_live

[ "$failures" -eq 0 ] && [ "$skipped" -ne 0 ] && exit 77
finish
