#!/bin/sh
# test-record-exitsock.sh - files closed by exit, an -a recording around
# it as the oracle: a python3 process exits holding a listening socket and
# a connection to itself; the TCP state changes of its port in a `-- CMD`
# trace (and in a -p one) are those the -a recording saw (LISTEN -> CLOSE
# and the FIN states included).  Skips (77) without python3.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

cat > "$TMP/sock.py" <<'EOF'
import os, socket
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen()
port = l.getsockname()[1]
c = socket.create_connection(("127.0.0.1", port))
a, _ = l.accept()
c.sendall(b"x")
a.recv(1)
print("port=%d\npid=%d" % (port, os.getpid()), flush=True)
os._exit(0)
EOF
# The outer recorder holds its command until it is attached, so it
# sees all the inner one does.
"$KSCOPE" record -q -a -e net,proc -o "$TMP/all.kscope" -- \
	"$KSCOPE" record -q -o "$TMP/sock.kscope" -- \
	python3 "$TMP/sock.py" >"$TMP/sock.out" 2>"$TMP/sock.err"
eq "sockets: both recorders exit 0" "$?" 0
port=$(kv "$TMP/sock.out" port)
sp=$(kv "$TMP/sock.out" pid)
end=$(q "$TMP/sock.kscope" "SELECT value FROM meta WHERE key='end_ts'")
sx=$(q "$TMP/sock.kscope" "SELECT ts FROM proc_events WHERE kind='exit' AND tid=$sp")
states="SELECT group_concat(t, ' ') FROM (SELECT old_state || '>' || new_state AS t FROM net_events WHERE kind='state' AND (sport=$port OR dport=$port)"
want=$(q "$TMP/all.kscope" "$states AND ts <= $end ORDER BY t)")
got=$(q "$TMP/sock.kscope" "$states ORDER BY t)")
echo "sockets: -a saw: $want"
check "sockets: -a saw LISTEN>CLOSE of port $port" \
	sh -c "echo '$want' | grep -q 'LISTEN>CLOSE'"
eq "sockets: -- CMD has the state changes -a saw" "$got" "$want"
ge "sockets: state changes after the exit row" \
	"$(q "$TMP/sock.kscope" "SELECT count(*) FROM net_events WHERE kind='state' AND (sport=$port OR dport=$port) AND ts > $sx")" 3
eq "sockets: LISTEN>CLOSE owned by the exiting process" \
	"$(q "$TMP/sock.kscope" "SELECT group_concat(pid) FROM net_events WHERE kind='state' AND sport=$port AND old_state='LISTEN' AND new_state='CLOSE'")" \
	"$sp"
eq "sockets: rows after the exit carry the comm of the exit row" \
	"$(q "$TMP/sock.kscope" "SELECT group_concat(DISTINCT ifnull(comm, 'NULL')) FROM net_events WHERE pid=$sp AND ts > $sx")" \
	"$(q "$TMP/sock.kscope" "SELECT comm FROM proc_events WHERE kind='exit' AND tid=$sp")"

# -p: the same end, for a process the recorder attaches to.  It
# waits for a file before it exits, created once every program is
# attached (each loaded program has its link).
cat > "$TMP/sockp.py" <<'EOF'
import os, socket, sys, time
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen()
print("port=%d" % l.getsockname()[1], flush=True)
while not os.path.exists(sys.argv[1]):
	time.sleep(0.01)
os._exit(0)
EOF
python3 "$TMP/sockp.py" "$TMP/go" >"$TMP/sockp.out" &
pp=$!
i=0
while [ -z "$(kv "$TMP/sockp.out" port)" ] && [ $i -lt 3000 ]; do
	sleep 0.01; i=$((i + 1))
done
pport=$(kv "$TMP/sockp.out" port)
"$KSCOPE" record -p $pp -o "$TMP/sockp.kscope" 2>"$TMP/sockp.err" &
rec=$!
# attached: it says it records
wait_for "the recorder (-p)" ready "$TMP/sockp.err"
touch "$TMP/go"
wait $pp
wait $rec
eq "-p: record exits 0" "$?" 0
px=$(q "$TMP/sockp.kscope" "SELECT ts FROM proc_events WHERE kind='exit' AND tid=$pp")
check "-p: exit row of $pp" test -n "$px"
eq "-p: LISTEN>CLOSE of port $pport after the exit row, owned by it" \
	"$(q "$TMP/sockp.kscope" "SELECT group_concat(pid) FROM net_events WHERE kind='state' AND sport=$pport AND old_state='LISTEN' AND new_state='CLOSE' AND ts > ${px:-0}")" \
	"$pp"
eq "-p: last switch-out after the exit row, state dead" \
	"$(q "$TMP/sockp.kscope" "SELECT ts > ${px:-0}, (prev_state & 48) != 0 FROM sched_switch WHERE prev_tid=$pp ORDER BY ts DESC LIMIT 1")" \
	"1,1"
finish
