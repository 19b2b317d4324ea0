#!/bin/sh
# oracle-http-fetch.sh DIR - the workload of the HTTP oracle tests (run
# inside a recording): serve DIR/data.bin with python3 -m http.server on
# 127.0.0.1, fetch it with curl, stop the server; then the same on ::1.
# Appends one line per fetch to DIR/fetches:
#   host server_pid port curl_local_port size_download size_header
#   size_request num_connects
cd "$1" || exit 1
# Debian's python3 itself (a python3 earlier in PATH may be a wrapper
# script that runs dozens of processes first).
py=/usr/bin/python3
[ -x "$py" ] || py=python3
fifo=serving.fifo
rm -f "$fifo"
mkfifo "$fifo" || exit 1
exec 3<>"$fifo"
for host in 127.0.0.1 ::1; do
	"$py" -u -m http.server 0 --bind "$host" >"$fifo" 2>"srv-$host.err" &
	srv=$!
	# Readiness: the line the server prints after listen() gives the
	# port...
	read -r line <&3 || exit 1
	port=$(echo "$line" | sed -n 's/^Serving HTTP on .* port \([0-9]*\) .*/\1/p')
	[ -n "$port" ] || { echo "server on $host: $line"; cat "srv-$host.err"; exit 1; }
	# ...and a connect that succeeds says it accepts.
	"$py" -c 'import socket, sys, time
for i in range(600):
	try:
		socket.create_connection((sys.argv[1], int(sys.argv[2])), 1).close()
		sys.exit(0)
	except OSError:
		time.sleep(0.05)
sys.exit(1)' "$host" "$port" || { echo "server on $host does not accept"; exit 1; }
	case $host in
	*:*) url="http://[$host]:$port/data.bin" ;;
	*) url="http://$host:$port/data.bin" ;;
	esac
	curl -s -o "got-$host.bin" -w "$host $srv $port %{local_port} %{size_download} %{size_header} %{size_request} %{num_connects}\n" \
		"$url" >> fetches || exit 1
	kill "$srv"
	{ wait "$srv"; } 2>/dev/null
done
exit 0
