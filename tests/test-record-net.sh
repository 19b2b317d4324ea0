#!/bin/sh
# test-record-net.sh - who a TCP event is charged to.  Loopback HTTP
# transfers (tests/net-server.py on 127.0.0.1 and ::1, curl as the client)
# are recorded with -a, with -p on a server and with -- curl; the pids,
# ports and byte counts come from the processes themselves (the server
# prints its pid, port and per-connection bytes, curl prints its pid, local
# port and request/response sizes).  Every connection's rows, handshake
# included, must name the process that owns that end, in the raw rows
# (net_events) and in `report net`, and the bytes must be the programs'.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v curl >/dev/null 2>&1 || skip "no curl"
command -v python3 >/dev/null 2>&1 || skip "no python3"
SERVER="${srcdir:-.}/tests/net-server.py"
CURLFMT='%{local_port} %{size_request} %{size_header} %{size_download}\n'

# wait_for FILE PATTERN PID: until a line of FILE matches PATTERN (the
# readiness signal), failing when PID dies first or after 60 s.
wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		if ! kill -0 "$3" 2>/dev/null || [ $i -ge 1200 ]; then
			echo "FAIL no '$2' in $1"
			cat "$1" "$1.err" 2>/dev/null
			exit 1
		fi
		i=$((i + 1))
		sleep 0.05
	done
}

# start_server NAME ADDR PORT NCONN [wait|hold]: a server in the
# background; its output is $TMP/NAME.out.  Sets srv_pid and srv_port from
# its ready line.  With wait (hold), it exits (answers its first request)
# only when fd 7, its stdin, is closed.
start_server() {
	if [ -n "$5" ]; then
		mkfifo "$TMP/$1.in"
		python3 "$SERVER" "$2" "$3" "$4" 3000 "$5" <"$TMP/$1.in" \
			>"$TMP/$1.out" 2>"$TMP/$1.out.err" &
		exec 7>"$TMP/$1.in"
	else
		python3 "$SERVER" "$2" "$3" "$4" >"$TMP/$1.out" \
			2>"$TMP/$1.out.err" &
	fi
	wait_for "$TMP/$1.out" '^ready ' $!
	srv_pid=$(sed -n 's/^ready port=[0-9]* pid=//p' "$TMP/$1.out")
	srv_port=$(sed -n 's/^ready port=\([0-9]*\) .*/\1/p' "$TMP/$1.out")
	eq "server $1 pid is the background job's" "$srv_pid" "$!"
}

# wait_attached PID ERR: until the recorder PID says on ERR (its stderr)
# that it records, which it does once every program is attached.
wait_attached() {
	i=0
	until ready "$2"; do
		i=$((i + 1))
		if ! kill -0 "$1" 2>/dev/null || [ $i -ge 1200 ]; then
			echo "FAIL recorder $1 did not attach"
			cat "$2"
			exit 1
		fi
		sleep 0.05
	done
}

# settle PORT...: until no TCP socket on these ports is still closing
# (FIN_WAIT1, CLOSING, LAST_ACK, CLOSE_WAIT: ss shows them until the kernel
# is done), so the recording does not stop before their CLOSE.
settle() {
	command -v ss >/dev/null 2>&1 || return 0
	for p in "$@"; do
		i=0
		while [ $i -lt 600 ] && ss -Htn state fin-wait-1 state closing \
			state last-ack state close-wait \
			"( sport = :$p or dport = :$p )" | grep -q .; do
			i=$((i + 1))
			sleep 0.05
		done
	done
}

# client NAME URL: one curl whose pid (the shell it replaces) and figures
# are appended to $TMP/NAME.cl as "pid lport sent hdr body".
client() {
	sh -c 'printf "%s " $$; exec curl -s -o /dev/null -w "$1" "$2"' sh \
		"$CURLFMT" "$2" >>"$TMP/$1.cl"
}

# rows TRACE LPORT RPORT: "pids|transitions" of the socket life whose rows
# carry local port LPORT and remote port RPORT, from its first state
# change (out of LISTEN or CLOSE: a passive child is created as a copy of
# its listener, a connect leaves CLOSE) to its last row with those ports.
rows() {
	q "$1" "WITH c AS (SELECT sock s, min(ts) t0, max(ts) t1 FROM net_events
		WHERE sport=$2 AND dport=$3 AND sock<>0 GROUP BY sock),
	  b AS (SELECT c.s, (SELECT max(ts) FROM net_events n WHERE n.sock=c.s
		AND kind='state' AND old_state IN ('LISTEN','CLOSE')
		AND ts<=c.t0) tb, c.t1 FROM c),
	  r AS (SELECT n.* FROM net_events n, b WHERE n.sock=b.s
		AND n.ts BETWEEN b.tb AND b.t1 ORDER BY n.ts)
	SELECT (SELECT replace(group_concat(DISTINCT ifnull(pid,0)), ',', ' ')
		FROM r) || '|' ||
	  ifnull((SELECT group_concat(old_state || '>' || new_state, ' ') FROM r
		WHERE kind='state'), '') AS v"
}

# bytes TRACE KIND LPORT RPORT: sum of KIND (send/recv) bytes of a pair.
bytes() {
	q "$1" "SELECT ifnull(sum(bytes),0) AS v FROM net_events WHERE kind='$2'
		AND sport=$3 AND dport=$4"
}

# report_conns TRACE: `report net`'s connections as "pid local remote role
# sent recv state" lines.
report_conns() {
	"$KSCOPE" report "$1" net --format csv -n 1000 | tr -d '\r' |
	awk -F, '/^# connections/ { on = 1; getline; next }
		 on && /^$/ { on = 0 }
		 on { print $1, $3, $4, $5, $9, $10, $13 }'
}

# check_conn TRACE CLIENTFILE-LINE SERVER-PID SERVER-PORT SERVER-OUT
# ADDR client|server|both [SERVER-ADDR]: the checks of one connection
# (ADDR: the address both ends have; the server's view of both when it
# differs, as an IPv4-mapped one); prints what is wrong and returns 1, or
# returns 0.
check_conn() {
	tr=$1 cpid=$2 lport=$3 csent=$4 chdr=$5 cbody=$6 spid=$7 sport=$8
	sout=$9
	shift 9
	caddr=$1 sides=$2 saddr=${3:-$1}
	bad=0
	crecv=$((chdr + cbody))
	if [ "$sides" != client ]; then
		got=$(rows "$tr" "$sport" "$lport")
		case "$got" in
		"$spid|LISTEN>SYN_RECV SYN_RECV>ESTABLISHED "*) ;;
		*) echo "  server side of $lport: got '$got', want pid $spid" \
			"from LISTEN>SYN_RECV SYN_RECV>ESTABLISHED on"
		   bad=1 ;;
		esac
		srecv=$(sed -n "s/^conn peer_port=$lport recv=\([0-9]*\) .*/\1/p" "$sout")
		ssent=$(sed -n "s/^conn peer_port=$lport recv=[0-9]* sent=//p" "$sout")
		if [ "$(bytes "$tr" recv "$sport" "$lport")" != "$srecv" ] ||
		   [ "$(bytes "$tr" send "$sport" "$lport")" != "$ssent" ] ||
		   [ "$srecv" != "$csent" ] || [ "$ssent" != "$crecv" ]; then
			echo "  server bytes of $lport: recorded" \
			     "$(bytes "$tr" recv "$sport" "$lport")/$(bytes "$tr" send "$sport" "$lport")," \
			     "server says $srecv/$ssent, curl $csent/$crecv"
			bad=1
		fi
		rep=$(report_conns "$tr" | grep -F " $(ep "$saddr" "$sport") $(ep "$saddr" "$lport") ")
		if [ "$rep" != "$spid $(ep "$saddr" "$sport") $(ep "$saddr" "$lport") passive $ssent $srecv closed" ]; then
			echo "  report net, server side of $lport: '$rep'"
			bad=1
		fi
	fi
	if [ "$sides" != server ]; then
		got=$(rows "$tr" "$lport" "$sport")
		case "$got" in
		"$cpid|CLOSE>SYN_SENT SYN_SENT>ESTABLISHED "*">CLOSE") ;;
		*) echo "  client $lport: got '$got', want pid $cpid from" \
			"CLOSE>SYN_SENT SYN_SENT>ESTABLISHED to CLOSE"
		   bad=1 ;;
		esac
		if [ "$(bytes "$tr" send "$lport" "$sport")" != "$csent" ] ||
		   [ "$(bytes "$tr" recv "$lport" "$sport")" != "$crecv" ]; then
			echo "  client bytes of $lport: recorded" \
			     "$(bytes "$tr" send "$lport" "$sport")/$(bytes "$tr" recv "$lport" "$sport")," \
			     "curl says $csent/$crecv"
			bad=1
		fi
		rep=$(report_conns "$tr" | grep -F " $(ep "$caddr" "$lport") $(ep "$caddr" "$sport") ")
		if [ "$rep" != "$cpid $(ep "$caddr" "$lport") $(ep "$caddr" "$sport") active $csent $crecv closed" ]; then
			echo "  report net, client $lport: '$rep'"
			bad=1
		fi
	fi
	return $bad
}

# ep ADDR PORT: an endpoint as report net prints it.
ep() {
	case $1 in
	*:*) echo "[$1]:$2" ;;
	*) echo "$1:$2" ;;
	esac
}

# conns_ok TRACE NAME SERVER-PID SERVER-PORT ADDR SIDES [SERVER-ADDR
# [SERVER-NAME]]: how many of the connections in $TMP/NAME.cl pass
# check_conn, with the server's figures in $TMP/SERVER-NAME.out (default
# NAME.out); what is wrong goes to stderr.
conns_ok() {
	n=0
	while read -r cpid lport csent chdr cbody; do
		if check_conn "$1" "$cpid" "$lport" "$csent" "$chdr" "$cbody" \
			"$3" "$4" "$TMP/${8:-$2}.out" "$5" "$6" "$7" >&2; then
			n=$((n + 1))
		fi
	done <"$TMP/$2.cl"
	echo "$n"
}

# ---- -a: two servers taking turns, then two more on the same port --------
N=8
trace=$TMP/all.kscope
"$KSCOPE" record -a -e net,proc -o "$trace" 2>"$TMP/rec-all.err" &
rec=$!
wait_attached $rec "$TMP/rec-all.err"
start_server a4 127.0.0.1 0 $N
a4_pid=$srv_pid a4_port=$srv_port
start_server a6 ::1 0 $N
a6_pid=$srv_pid a6_port=$srv_port
i=0
while [ $i -lt $N ]; do
	client a4 "http://127.0.0.1:$a4_port/"
	client a6 "http://[::1]:$a6_port/"
	i=$((i + 1))
done
wait $a4_pid $a6_pid
# Two servers one after the other on one port: the second listener must
# not inherit the first's children or connections.
start_server b1 127.0.0.1 $a4_port 2
b1_pid=$srv_pid
client b1 "http://127.0.0.1:$a4_port/"
client b1 "http://127.0.0.1:$a4_port/"
wait $b1_pid
start_server b2 127.0.0.1 $a4_port 2
b2_pid=$srv_pid
client b2 "http://127.0.0.1:$a4_port/"
client b2 "http://127.0.0.1:$a4_port/"
wait $b2_pid
# A dual-stack server on the wildcard address, in a network namespace of
# its own (nothing listens on the host's interfaces), with an IPv4 and an
# IPv6 client: its new sockets do not show the listener's address.
wild=
if unshare -n true 2>/dev/null && command -v nsenter >/dev/null 2>&1 &&
   command -v ip >/dev/null 2>&1; then
	wild=1
	unshare -n sh -c 'ip link set lo up && exec python3 "$0" :: 0 2' \
		"$SERVER" >"$TMP/w.out" 2>"$TMP/w.out.err" &
	w_pid=$!
	wait_for "$TMP/w.out" '^ready ' $w_pid
	w_port=$(sed -n 's/^ready port=\([0-9]*\) .*/\1/p' "$TMP/w.out")
	eq "wildcard server pid is the background job's" \
		"$(sed -n 's/^ready port=[0-9]* pid=//p' "$TMP/w.out")" $w_pid
	nsenter -t $w_pid -n sh -c 'printf "%s " $$; exec curl -s -o /dev/null -w "$1" "$2"' \
		sh "$CURLFMT" "http://127.0.0.1:$w_port/" >>"$TMP/w4.cl"
	nsenter -t $w_pid -n sh -c 'printf "%s " $$; exec curl -s -o /dev/null -w "$1" "$2"' \
		sh "$CURLFMT" "http://[::1]:$w_port/" >>"$TMP/w6.cl"
	wait $w_pid
fi
# A connect to the now closed port: the reset is the kernel's answer, owned
# by no process; the refused socket is curl's.
client refused "http://127.0.0.1:$a4_port/"
settle $a4_port $a6_port
kill -INT $rec
wait $rec
eq "-a: recorder exits 0" $? 0

eq "-a: IPv4 connections owned by server and client, bytes as they say" \
	"$(conns_ok "$trace" a4 $a4_pid $a4_port 127.0.0.1 both)" $N
eq "-a: IPv6 connections owned by server and client, bytes as they say" \
	"$(conns_ok "$trace" a6 $a6_pid $a6_port ::1 both)" $N
eq "-a: first server on a reused port owns its connections" \
	"$(conns_ok "$trace" b1 $b1_pid $a4_port 127.0.0.1 both)" 2
eq "-a: second server on that port owns its connections" \
	"$(conns_ok "$trace" b2 $b2_pid $a4_port 127.0.0.1 both)" 2
listens() {
	q "$trace" "SELECT group_concat(t, ' ') AS v FROM (SELECT old_state ||
		'>' || new_state || '@' || pid t FROM net_events WHERE
		kind='state' AND sport=$1 AND (new_state='LISTEN' OR
		old_state='LISTEN' AND new_state='CLOSE') ORDER BY ts)"
}
eq "-a: each listener opened and closed by its server" \
	"$(listens $a4_port) $(listens $a6_port)" \
	"CLOSE>LISTEN@$a4_pid LISTEN>CLOSE@$a4_pid CLOSE>LISTEN@$b1_pid LISTEN>CLOSE@$b1_pid CLOSE>LISTEN@$b2_pid LISTEN>CLOSE@$b2_pid CLOSE>LISTEN@$a6_pid LISTEN>CLOSE@$a6_pid"
eq "-a: handshakes seen = connections served" \
	"$(q "$trace" "SELECT count(*) FROM net_events WHERE old_state='LISTEN' AND new_state='SYN_RECV' AND pid IN ($a4_pid,$a6_pid,$b1_pid,$b2_pid)")" \
	$((2 * N + 4))

"$KSCOPE" replay "$trace" "kind = state and new_state = SYN_RECV and
	(port = $a4_port or port = $a6_port)" >"$TMP/replay.out"
eq "-a: replay shows every handshake as its server's" \
	"$(grep -c "/\($a4_pid\|$a6_pid\|$b1_pid\|$b2_pid\) .*LISTEN -> SYN_RECV" "$TMP/replay.out") of $(wc -l <"$TMP/replay.out")" \
	"$((2 * N + 4)) of $((2 * N + 4))"
if [ -n "$wild" ]; then
	eq "-a: wildcard listener, IPv4-mapped connection is the server's and curl's" \
		"$(conns_ok "$trace" w4 $w_pid $w_port 127.0.0.1 both ::ffff:127.0.0.1 w)" 1
	eq "-a: wildcard listener, IPv6 connection is the server's and curl's" \
		"$(conns_ok "$trace" w6 $w_pid $w_port ::1 both ::1 w)" 1
else
	echo "skip wildcard listener checks: no unshare, nsenter or ip"
fi
rpid=$(cut -d' ' -f1 "$TMP/refused.cl")
eq "-a: refused connect: reset sent for no socket, owned by no process" \
	"$(q "$trace" "SELECT group_concat(ifnull(pid,0)) AS v FROM net_events WHERE kind='reset_sent' AND sport=$a4_port")" 0
eq "-a: refused connect: curl's socket from SYN_SENT to CLOSE, reset received" \
	"$(q "$trace" "SELECT group_concat(kind || ':' || old_state || '>' || new_state || '@' || pid, ' ') AS v FROM (SELECT n.* FROM net_events n, (SELECT sock s, ts t FROM net_events WHERE kind='reset_recv' AND dport=$a4_port) r WHERE n.sock=r.s AND n.ts >= (SELECT max(ts) FROM net_events WHERE sock=r.s AND old_state='CLOSE' AND ts <= r.t) ORDER BY n.ts)")" \
	"state:CLOSE>SYN_SENT@$rpid reset_recv:SYN_SENT>SYN_SENT@$rpid state:SYN_SENT>CLOSE@$rpid"

# ---- -p on a server that listens before the recording starts --------------
M=6
start_server p4 127.0.0.1 0 $M wait
p4_pid=$srv_pid p4_port=$srv_port
trace=$TMP/pid.kscope
"$KSCOPE" record -p $p4_pid -o "$trace" 2>"$TMP/rec-pid.err" 7>&- &
rec=$!
wait_attached $rec "$TMP/rec-pid.err"
i=0
while [ $i -lt $M ]; do
	( exec 7>&-; client p4 "http://127.0.0.1:$p4_port/" )
	i=$((i + 1))
done
# every connection closed at both ends: let it go
settle $p4_port
exec 7>&-
wait $p4_pid
wait $rec
eq "-p: recorder exits 0 when the process ends" $? 0
eq "-p: every accepted connection owned by the server, handshake included" \
	"$(conns_ok "$trace" p4 $p4_pid $p4_port 127.0.0.1 server)" $M
eq "-p: no row of the untraced clients" \
	"$(q "$trace" "SELECT count(*) FROM net_events WHERE pid<>$p4_pid OR pid IS NULL")" 0
eq "-p: report net: the accepted connections, not the listener" \
	"$(report_conns "$trace" | awk '$4 == "passive" && $7 == "closed"' | wc -l)" $M
eq "-p: the listener's close is the server's" \
	"$(q "$trace" "SELECT count(*) FROM net_events WHERE old_state='LISTEN' AND new_state='CLOSE' AND sport=$p4_port AND pid=$p4_pid")" 1

# ---- -p on a server holding a connection opened before the recording ----
start_server h4 127.0.0.1 0 1 hold
h4_pid=$srv_pid h4_port=$srv_port
( exec 7>&-; client h4 "http://127.0.0.1:$h4_port/" ) &
cl_job=$!
wait_for "$TMP/h4.out" '^held ' $h4_pid
trace=$TMP/held.kscope
"$KSCOPE" record -p $h4_pid -o "$trace" 2>"$TMP/rec-held.err" 7>&- &
rec=$!
wait_attached $rec "$TMP/rec-held.err"
exec 7>&-
wait $cl_job
settle $h4_port
wait $h4_pid
wait $rec
eq "-p, open connection: recorder exits 0" $? 0
hl=$(cut -d' ' -f2 "$TMP/h4.cl")
hsent=$(sed -n "s/^conn peer_port=$hl recv=[0-9]* sent=//p" "$TMP/h4.out")
eq "-p, open connection: its close is the server's" \
	"$(q "$trace" "SELECT group_concat(DISTINCT ifnull(pid,0)) || '|' ||
		(SELECT group_concat(t, ' ') FROM (SELECT old_state || '>' ||
		new_state t FROM net_events WHERE kind='state' AND
		sport=$h4_port AND dport=$hl ORDER BY ts LIMIT 1)) || '|' ||
		ifnull(sum(bytes), 0) AS v FROM net_events WHERE sport=$h4_port AND
		dport=$hl")" \
	"$h4_pid|ESTABLISHED>FIN_WAIT1|$hsent"
eq "-p, open connection: report net shows it closed, the server's" \
	"$(report_conns "$trace")" \
	"$h4_pid 127.0.0.1:$h4_port 127.0.0.1:$hl  $hsent 0 closed"

# ---- -- CMD running curl against a server outside the recorded tree ------
start_server c4 127.0.0.1 0 2
c4_pid=$srv_pid c4_port=$srv_port
start_server c6 ::1 0 2
c6_pid=$srv_pid c6_port=$srv_port
ok4=0 ok6=0 alone=0
for k in 1 2; do
	for v in 4 6; do
		if [ $v = 4 ]; then
			url="http://127.0.0.1:$c4_port/" port=$c4_port addr=127.0.0.1
		else
			url="http://[::1]:$c6_port/" port=$c6_port addr=::1
		fi
		trace=$TMP/cmd$v-$k.kscope
		# curl, then (in the recorded tree, so the recording goes
		# on) wait until ss no longer shows its socket: if the last
		# ACK comes late, the kernel finishes the close after exit
		"$KSCOPE" record -q -o "$trace" -- sh -c '
			curl -s -o /dev/null -w "$1" "$2" >"$3" &
			echo $! >"$3.pid"
			wait $!
			read -r lp rest <"$3"
			command -v ss >/dev/null || exit 0
			i=0
			while [ $i -lt 600 ] &&
			      ss -Htn "sport = :$lp" | grep -q .; do
				i=$((i + 1))
				sleep 0.05
			done' sh "$CURLFMT" "$url" "$TMP/cmd.fig" \
			2>"$TMP/rec-cmd.err"
		eq "-- curl (IPv$v, run $k): recorder exits 0" $? 0
		cpid=$(cat "$TMP/cmd.fig.pid")
		echo "$cpid $(cat "$TMP/cmd.fig")" >"$TMP/cmd.cl"
		if [ "$(conns_ok "$trace" cmd "$(eval echo \$c${v}_pid)" $port $addr client)" = 1 ]; then
			eval "ok$v=\$((ok$v + 1))"
		fi
		if [ "$(q "$trace" "SELECT count(*) FROM net_events WHERE pid IS NOT $cpid OR sport=$port OR old_state='LISTEN'")" = 0 ] &&
		   [ "$(report_conns "$trace" | wc -l)" = 1 ]; then
			alone=$((alone + 1))
		else
			q "$trace" "SELECT kind, pid, comm, sport, dport, old_state, new_state FROM net_events WHERE pid IS NOT $cpid OR sport=$port OR old_state='LISTEN'"
		fi
	done
done
wait $c4_pid $c6_pid
eq "-- curl: IPv4 connection is curl's from SYN_SENT to CLOSE, bytes as curl says" $ok4 2
eq "-- curl: IPv6 connection is curl's from SYN_SENT to CLOSE, bytes as curl says" $ok6 2
eq "-- curl: no row of the server's passive socket, one connection in report net" \
	$alone 4

# ---- -- CMD exiting with a listener and both ends of a connection open ----
# The kernel closes them after the process's exit tracepoint: those rows
# are still the process's (its sockets were its when it made them).
trace=$TMP/exit.kscope
"$KSCOPE" record -q -o "$trace" -- python3 -c 'import os, socket
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen()
c = socket.create_connection(l.getsockname())
a, _ = l.accept()
print(os.getpid(), l.getsockname()[1], flush=True)
os._exit(0)' >"$TMP/exit.out" 2>"$TMP/rec-exit.err"
eq "exit: recorder exits 0" $? 0
read -r xpid xport <"$TMP/exit.out"
eq "exit: every row is the process's" \
	"$(q "$trace" "SELECT group_concat(DISTINCT ifnull(pid,0)) AS v FROM net_events")" "$xpid"
eq "exit: listener, client and accepted socket each reach CLOSE" \
	"$(q "$trace" "SELECT count(DISTINCT sock) || ' ' || sum(old_state='LISTEN') AS v FROM net_events WHERE new_state='CLOSE'")" \
	"3 1"
ge "exit: closes recorded after the exit tracepoint" \
	"$(q "$trace" "SELECT count(*) FROM net_events WHERE new_state='CLOSE' AND ts > (SELECT ts FROM proc_events WHERE kind='exit' AND pid=$xpid)")" 3
finish
