#!/bin/sh
# test-export-clickhouse.sh - `kscope export --format clickhouse` loaded
# into ClickHouse itself.  Three hosts' traces (tests/synth-fleet: seeds
# 11, 22, 33, meta host db-prod-11/22/33, each with a planted fsync and
# planted connections) are exported, loaded with their load.sh into a
# clickhouse-server of our own (127.0.0.1, a free port, a data directory
# in the test's temp dir), and then ClickHouse and `kscope query` must
# agree: rows per table and trace, sums over every syscall's strings and
# durations, byte-exact awkward strings and blobs, and the cross-host
# questions of docs/FLEET.md, whose planted answers are known: the
# slowest fsync is db-prod-22's (400 ms), and the hosts opened 3, 5 and 8
# connections to port 7777.
. "$(dirname "$0")/cli-lib.sh"

FLEET=${FLEET:-tests/synth-fleet}
[ -x "$FLEET" ] || { echo "SKIP: $FLEET not built"; exit 77; }
have_python || { echo "SKIP: python3 needed"; exit 77; }
SERVER=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
CLIENT=$(command -v clickhouse-client || echo /usr/bin/clickhouse-client)
[ -x "$SERVER" ] && [ -x "$CLIENT" ] || {
	echo "SKIP: clickhouse-server and clickhouse-client not installed" \
		"(./setup.sh installs them: apt-get install clickhouse-server" \
		"clickhouse-client)"
	exit 77
}

# ---- three hosts, exported -------------------------------------------
HOSTS="11:250:3 22:400:5 33:320:8" # seed:fsync ms:connections to :7777
TRACES=
for h in $HOSTS; do
	IFS=: read -r seed ms conns <<EOF
$h
EOF
	t=$TMP/web-$seed.kscope
	"$FLEET" "$t" "$seed" "$ms" "$conns" || { echo "FAIL: synth-fleet"; exit 1; }
	TRACES="$TRACES $t"
	run export "$t" --format clickhouse -o "$TMP/ch-$seed"
	expect_rc 0 && [ -z "$err" ] && [ -x "$TMP/ch-$seed/load.sh" ] &&
		[ -s "$TMP/ch-$seed/syscalls.tsv" ] &&
		[ "$(stat -c %a "$TMP/ch-$seed/syscalls.tsv")" = 600 ] &&
		ok "web-$seed exported" || fail "no export"
done
TABLES=$(sed -n 's/^load \([a-z_]*\) .*/\1/p' "$TMP/ch-11/load.sh")
for t in syscalls sched_switch net_events stacks processes threads lost meta \
	shed; do
	echo "$TABLES" | grep -qx "$t" || { last="tables"; fail "no $t in load.sh"; }
done

# ---- a private server -------------------------------------------------
CH=$TMP/server
mkdir -p "$CH/data" "$CH/tmp" "$CH/log"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$CH/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$CH/log/server.log</log>
        <errorlog>$CH/log/err.log</errorlog></logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$PORT</tcp_port>
    <path>$CH/data/</path>
    <tmp_path>$CH/tmp/</tmp_path>
    <user_files_path>$CH/tmp/</user_files_path>
    <format_schema_path>$CH/tmp/</format_schema_path>
    <mark_cache_size>67108864</mark_cache_size>
    <users_config>$CH/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
</yandex>
EOF
cat > "$CH/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
    <profiles><default></default></profiles>
    <users><default><password></password>
        <networks><ip>127.0.0.1</ip></networks>
        <profile>default</profile><quota>default</quota></default></users>
    <quotas><default></default></quotas>
</yandex>
EOF
"$SERVER" --config-file="$CH/config.xml" >"$CH/log/stdout" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null; rm -rf "$TMP"' EXIT
last="clickhouse-server on 127.0.0.1:$PORT"
# Ready when it answers; given up when it exits.
ready=
while kill -0 $SPID 2>/dev/null; do
	if "$CLIENT" --port "$PORT" -q 'SELECT 1' >/dev/null 2>&1; then
		ready=yes
		break
	fi
	sleep 0.1
done
[ -n "$ready" ] || {
	echo "FAIL: $last did not start:"; tail -5 "$CH/log/stdout" "$CH/log/err.log"
	exit 1
}
ok "version $("$CLIENT" --port "$PORT" -q 'SELECT version()')"

# chq SQL: ClickHouse's answer, tab-separated
chq() {
	"$CLIENT" --port "$PORT" -q "$1"
}

for t in $TRACES; do
	d=$TMP/ch-$(basename "$t" .kscope | sed 's/web-//')
	last="load.sh of $(basename "$t")"
	sh "$d/load.sh" --port "$PORT" >"$TMP/out" 2>"$TMP/err" && rc=0 || rc=$?
	expect_rc 0 && ok
done

# kscope_fleet SQL: SQL over the three traces at once (kscope query A B C
# SQL: every table has host and trace columns); tab-separated rows (the
# values hold no comma or quote; a column named after a multi-line
# expression needs an alias).
kscope_fleet() {
	# shellcheck disable=SC2086 # TRACES is a list of paths without spaces
	"$KSCOPE" query $TRACES -F csv "$1" | tail -n +2 |
		tr -d '"\r' | tr , '\t'
}

# same WHAT: the files $TMP/ch and $TMP/ks hold the same lines
same() {
	last=$1
	sort "$TMP/ch" > "$TMP/ch.s"
	sort "$TMP/ks" > "$TMP/ks.s"
	if [ -s "$TMP/ch.s" ] && cmp -s "$TMP/ch.s" "$TMP/ks.s"; then
		ok "$(wc -l < "$TMP/ch.s") identical lines"
	else
		echo "FAIL: $1: ClickHouse (<) and kscope (>) differ:"
		diff "$TMP/ch.s" "$TMP/ks.s" | head -10
		fails=$((fails + 1))
	fi
}

# ---- every row, and sums over the columns -----------------------------
q=
for tb in $TABLES; do
	q="$q${q:+ UNION ALL }SELECT '$tb', host, count() FROM $tb GROUP BY host"
done
chq "$q" > "$TMP/ch"
kscope_fleet "$q" > "$TMP/ks"
same "rows per table and host"

chq "SELECT host, trace, count(), sum(dur), sum(length(ifNull(path, ''))),
	sum(length(ifNull(comm, ''))), sum(length(ifNull(fd_name, ''))),
	sum(length(ifNull(payload, ''))), sum(length(ifNull(args_mem, ''))),
	sum(ret), sum(arg3)
	FROM syscalls GROUP BY host, trace" > "$TMP/ch"
kscope_fleet "SELECT host, 'TRACE', count(*), sum(dur),
	total(length(CAST(path AS BLOB))), total(length(CAST(comm AS BLOB))),
	total(length(CAST(fd_name AS BLOB))), total(length(payload)),
	total(length(args_mem)), sum(ret), sum(arg3) FROM syscalls
	GROUP BY host" > "$TMP/ks.raw"
# the trace column is the file's base name; arg3 is unsigned there
python3 - "$TMP/ks.raw" "$TMP/ks" <<'PY'
import sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    f[1] = "web-%s.kscope" % f[0][-2:]
    f[4:9] = [str(int(float(x))) for x in f[4:9]]
    f[10] = str(int(f[10]) % 2**64)
    out.write("\t".join(f) + "\n")
PY
same "syscalls: count, sum(dur), bytes of every string and blob, sum(ret)"

# every syscall's strings, byte for byte (as hex), in both
chq "SELECT concat(host, ':', toString(ts), ':', toString(tid), ':',
	hex(ifNull(name, '')), ':', hex(ifNull(comm, '')), ':',
	hex(ifNull(path, '')), ':', hex(ifNull(fd_name, '')), ':',
	hex(ifNull(payload, '')), ':', hex(ifNull(args_mem, '')))
	FROM syscalls" > "$TMP/ch"
kscope_fleet "SELECT host || ':' || ts || ':' || tid || ':' || hex(name) ||
	':' || hex(comm) || ':' || hex(path) || ':' || hex(fd_name) || ':' ||
	hex(payload) || ':' || hex(args_mem) AS line FROM syscalls" > "$TMP/ks"
same "syscalls: every string and blob as hex"

# the awkward strings against what synth-fleet planted
want_path=$(printf '/tmp/fleet\tdir/a\nb\\c\r"q'"'"'\377\376\200.log' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
want_comm=$(printf 'we\tird\\co\351' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
want_pay=$(python3 -c 'print(bytes(range(256)).hex().upper())')
chq "SELECT DISTINCT concat(hex(path), ' ', hex(comm), ' ', hex(payload), ' ',
	hex(args_mem)) FROM syscalls WHERE pid = 92001 AND nr = 257" > "$TMP/out"
last="planted path, comm, payload and args_mem"
[ "$(cat "$TMP/out")" = "$want_path $want_comm $want_pay 005C090AFF4E0078" ] &&
	ok "byte-exact in ClickHouse" || fail "not the planted bytes"

# ---- the cross-host questions of docs/FLEET.md ------------------------
# 1. the slowest fsync per host, and whose it was
chq "SELECT host, argMax(comm, dur), argMax(pid, dur), max(dur)
	FROM syscalls WHERE name = 'fsync' GROUP BY host" > "$TMP/ch"
kscope_fleet "SELECT host, comm, pid, max(dur) FROM syscalls
	WHERE name = 'fsync' GROUP BY host" > "$TMP/ks"
same "slowest fsync per host"
last="the slowest fsync of the fleet"
top=$(sort -t "$(printf '\t')" -k4,4nr "$TMP/ks" | head -1)
[ "$top" = "$(printf 'db-prod-22\tfleet-db\t92001\t400000000')" ] &&
	[ "$(chq "SELECT host FROM syscalls WHERE name = 'fsync'
		ORDER BY dur DESC LIMIT 1")" = db-prod-22 ] &&
	ok "db-prod-22's fleet-db, 400 ms, as planted" || fail "got '$top'"

# 2. error rate per host per minute of wall-clock time
chq "SELECT host, formatDateTime(toDateTime(intDiv(wall_ns, 1000000000),
	'UTC'), '%Y-%m-%dT%H:%M') AS minute, count(), sum(ret < 0)
	FROM syscalls GROUP BY host, minute" > "$TMP/ch"
kscope_fleet "SELECT host, substr(wall(ts, trace), 1, 16) AS minute, count(*),
	sum(ret < 0) FROM syscalls GROUP BY host, minute" > "$TMP/ks"
same "calls and errors per host per wall-clock minute"

# 3. connections per host: all, and the planted ones to port 7777
chq "SELECT host, count(), sum(dport = 7777) FROM net_events
	WHERE kind = 'state' AND new_state = 'ESTABLISHED'
	GROUP BY host" > "$TMP/ch"
kscope_fleet "SELECT host, count(*), sum(dport = 7777) FROM net_events
	WHERE kind = 'state' AND new_state = 'ESTABLISHED'
	GROUP BY host" > "$TMP/ks"
same "connections per host"
last="connections to port 7777"
[ "$(cut -f1,3 "$TMP/ch.s" | tr '\t\n' ': ')" = \
	"db-prod-11:3 db-prod-22:5 db-prod-33:8 " ] &&
	ok "3, 5 and 8 as planted" || fail "$(cat "$TMP/ch.s")"

# 4. top syscalls fleet-wide (compared per host and name: the sums follow)
chq "SELECT host, name, count(), sum(dur) FROM syscalls
	GROUP BY host, name" > "$TMP/ch"
kscope_fleet "SELECT host, name, count(*), sum(dur) FROM syscalls
	GROUP BY host, name" > "$TMP/ks"
same "calls and time per host and syscall"
last="top syscalls fleet-wide"
chq "SELECT name, count() AS calls, sum(dur) AS total_ns FROM syscalls
	GROUP BY name ORDER BY calls DESC LIMIT 10" > "$TMP/out"
[ "$(wc -l < "$TMP/out")" -eq 10 ] && ok || fail "not 10 lines"

# 5. run-queue latency per host: from a wakeup to the thread's next
# switch-in (the wakeup that directly precedes it)
chq "SELECT host, count(), sum(lat), max(lat) FROM (
	SELECT host, arrayJoin(arrayFilter(x -> x >= 0, arrayMap(i ->
		if(i > 1 AND tupleElement(e[i], 2) = 1 AND
		   tupleElement(e[i - 1], 2) = 0,
		   toInt64(tupleElement(e[i], 1)) -
		   toInt64(tupleElement(e[i - 1], 1)), -1),
		arrayEnumerate(e)))) AS lat
	FROM (SELECT host, tid, arraySort(groupArray((ts, k))) AS e FROM (
		SELECT host, tid, ts, 0 AS k FROM sched_wakeup
		UNION ALL
		SELECT host, next_tid AS tid, ts, 1 AS k FROM sched_switch)
	GROUP BY host, tid))
	GROUP BY host" > "$TMP/ch"
kscope_fleet "SELECT host, count(*), sum(lat), max(lat) FROM (
	SELECT host, ts - lag(ts) OVER w AS lat, k, lag(k) OVER w AS pk FROM (
		SELECT host, tid, ts, 0 AS k FROM sched_wakeup
		UNION ALL
		SELECT host, next_tid, ts, 1 FROM sched_switch)
	WINDOW w AS (PARTITION BY host, tid ORDER BY ts, k))
	WHERE k = 1 AND pk = 0 GROUP BY host" > "$TMP/ks"
same "run-queue latency per host: count, sum, max"

# ---- the five queries of docs/FLEET.md, as written there --------------
FLEET_MD=${srcdir:-.}/docs/FLEET.md
python3 - "$FLEET_MD" "$TMP/q" <<'PY'
import re, sys
blocks = re.findall(r"```sql\n(.*?)```", open(sys.argv[1]).read(), re.S)
assert len(blocks) == 5, len(blocks)
for i, b in enumerate(blocks):
    open("%s%d.sql" % (sys.argv[2], i + 1), "w").write(b)
PY
for i in 1 2 3 4 5; do
	last="docs/FLEET.md query $i"
	"$CLIENT" --port "$PORT" -q "$(cat "$TMP/q$i.sql")" >"$TMP/out" 2>"$TMP/err" &&
		rc=0 || rc=$?
	expect_rc 0 && [ -s "$TMP/out" ] && ok "$(wc -l < "$TMP/out") lines" ||
		fail "no answer"
done
last="docs/FLEET.md query 1"
[ "$(chq "$(cat "$TMP/q1.sql") LIMIT 1")" = "$(printf 'db-prod-22\tfleet-db\t92001\t400000000')" ] &&
	ok "db-prod-22 first" || fail "not db-prod-22's planted fsync first"

# ---- bad usage, and -f ----------------------------------------------------
run export "$TMP/web-11.kscope" --format clickhouse -o "$TMP/ch-11"
expect_one_error 1 "export: '$TMP/ch-11' already exists (use -f to replace it)"
run export "$TMP/web-11.kscope" --format clickhouse -o "$TMP/ch-11" -f
expect_rc 0 && [ -s "$TMP/ch-11/syscalls.tsv" ] && ok "-f replaces an earlier export" ||
	fail "not replaced"
run export "$TMP/web-11.kscope" --format clickhouse
expect_one_error 2 "export: clickhouse writes files per table: give the directory with -o DIR"

# ---- loading again appends; the tables are made once -------------------
last="a second load"
sh "$TMP/ch-11/load.sh" --port "$PORT" >"$TMP/out" 2>"$TMP/err" && rc=0 || rc=$?
n1=$(kscope_fleet "SELECT host, count(*) FROM syscalls GROUP BY host" |
	grep db-prod-11 | cut -f2)
expect_rc 0 && [ "$(chq "SELECT count() FROM syscalls WHERE host = 'db-prod-11'")" = $((2 * n1)) ] &&
	ok "appends its rows again" || fail "not twice the rows"

finish
