#!/bin/sh
# test-oracle-http.sh - curl as the oracle for bytes on the wire: a shell
# script recorded with `kscope record -- sh` (tests/oracle-http-fetch.sh)
# starts `python3 -m http.server` on 127.0.0.1 and on ::1, waits until it
# accepts connections, fetches a file with curl and stops the server.  For each connection (found by
# curl's own local port and the server's port), the trace must hold:
#
#   client socket: bytes received = curl's size_header + size_download,
#                  bytes sent = curl's size_request (net_events, per socket)
#   server socket: the same bytes the other way round
#   curl's recvfrom/read returns on its socket's fd and its sendto/write
#   returns, and the server's on the accepted fd (syscalls)
#   size_download = the file's size (stat)
#
# and each socket's rows belong to one socket id and to the process that
# owns it (curl, or the server's pid printed by the script).
. "${srcdir:-.}/tests/record-lib.sh"
record_require
for tool in python3 curl; do
	command -v $tool >/dev/null 2>&1 || skip "$tool is not installed"
done

head -c 3000000 /dev/urandom > "$TMP/data.bin"
size=$(stat -c %s "$TMP/data.bin")

trace=$TMP/http.kscope
"$KSCOPE" record -q -o "$trace" -- sh "${srcdir:-.}/tests/oracle-http-fetch.sh" "$TMP" >"$TMP/rec.out" 2>&1
rc=$?
cat "$TMP/rec.out"
eq "record of the script exits 0" "$rc" 0
[ -s "$TMP/fetches" ] || { echo "FAIL no fetches"; exit 1; }
cat "$TMP/fetches"
eq "no events lost (but block I/O)" "$(lost_but_block "$trace")" 0

# sum_bytes KIND LPORT RPORT: net_events bytes of one socket's side.
sum_bytes() {
	q "$trace" "SELECT coalesce(sum(bytes), 0) FROM net_events WHERE kind='$1' AND sport=$2 AND dport=$3"
}
# sum_ret PID FD SINCE NAMES: positive returns of calls NAMES on PID's FD
# entered after SINCE (the server's fd number was used by the readiness
# probe's connection before).
sum_ret() {
	q "$trace" "SELECT coalesce(sum(ret), 0) FROM syscalls WHERE pid=$1 AND fd=$2 AND ts > $3 AND ret > 0 AND name IN ($4)"
}
reads="'read','recvfrom','recvmsg','readv'"
writes="'write','sendto','sendmsg','writev','sendfile'"

while read -r host srv port lport body header request connects; do
	echo "== $host: server pid $srv port $port, curl port $lport"
	eq "$host: curl made one connection" "$connects" 1
	eq "$host: size_download $body = file size $size" "$body" "$size"
	check "$host: the file arrived whole" cmp -s "$TMP/data.bin" "$TMP/got-$host.bin"
	resp=$((header + body))
	case $host in *:*) addr="[$host]" fam=10 ;; *) addr=$host fam=2 ;; esac
	curl_pid=$(q "$trace" "SELECT pid FROM syscalls WHERE name='connect' AND addr='$addr:$port' AND ret IN (0, -115) AND comm='curl'")
	cfd=$(q "$trace" "SELECT fd FROM syscalls WHERE name='connect' AND addr='$addr:$port' AND pid=${curl_pid:-0}")
	accept=$(q "$trace" "SELECT ret || ' ' || ts FROM syscalls WHERE name IN ('accept','accept4') AND addr='$addr:$lport' AND pid=$srv")
	sfd=${accept% *}
	since=${accept#* }
	cts=$(q "$trace" "SELECT ts FROM syscalls WHERE name='connect' AND addr='$addr:$port' AND pid=${curl_pid:-0}")
	echo "curl pid $curl_pid fd $cfd; server fd $sfd"

	# net_events, per socket
	eq "$host: client received header+body $resp (net_events)" \
		"$(sum_bytes recv "$lport" "$port")" "$resp"
	eq "$host: client sent the request $request (net_events)" \
		"$(sum_bytes send "$lport" "$port")" "$request"
	eq "$host: server received the request $request (net_events)" \
		"$(sum_bytes recv "$port" "$lport")" "$request"
	eq "$host: server sent header+body $resp (net_events)" \
		"$(sum_bytes send "$port" "$lport")" "$resp"
	eq "$host: family of the connection's rows" \
		"$(q "$trace" "SELECT group_concat(DISTINCT family) FROM net_events WHERE (sport=$lport AND dport=$port) OR (sport=$port AND dport=$lport)")" "$fam"
	eq "$host: one socket id per side" \
		"$(q "$trace" "SELECT count(DISTINCT sock) FROM net_events WHERE kind IN ('send','recv') AND sport=$lport AND dport=$port")|$(q "$trace" "SELECT count(DISTINCT sock) FROM net_events WHERE kind IN ('send','recv') AND sport=$port AND dport=$lport")" "1|1"
	eq "$host: client byte rows owned by curl" \
		"$(q "$trace" "SELECT group_concat(DISTINCT pid) FROM net_events WHERE kind IN ('send','recv') AND sport=$lport AND dport=$port")" "$curl_pid"
	eq "$host: server byte rows owned by the server" \
		"$(q "$trace" "SELECT group_concat(DISTINCT pid) FROM net_events WHERE kind IN ('send','recv') AND sport=$port AND dport=$lport")" "$srv"

	eq "$host: state changes of curl's socket owned by curl" \
		"$(q "$trace" "SELECT group_concat(DISTINCT pid) FROM net_events WHERE kind='state' AND sport=$lport AND dport=$port")" "$curl_pid"
	eq "$host: state changes of the accepted socket owned by the server" \
		"$(q "$trace" "SELECT group_concat(DISTINCT pid) FROM net_events WHERE kind='state' AND sport=$port AND dport=$lport")" "$srv"

	# syscalls, per fd
	eq "$host: curl's reads on its socket return header+body $resp" \
		"$(sum_ret "$curl_pid" "$cfd" "$cts" "$reads")" "$resp"
	eq "$host: curl's writes on its socket return the request $request" \
		"$(sum_ret "$curl_pid" "$cfd" "$cts" "$writes")" "$request"
	eq "$host: the server's reads on the accepted fd return the request $request" \
		"$(sum_ret "$srv" "$sfd" "$since" "$reads")" "$request"
	eq "$host: the server's writes on the accepted fd return header+body $resp" \
		"$(sum_ret "$srv" "$sfd" "$since" "$writes")" "$resp"
done < "$TMP/fetches"
eq "both families fetched" "$(wc -l < "$TMP/fetches")" 2
finish
