#!/bin/sh
# test-record-combo.sh - the production options of `kscope record`
# together, where they meet in the kernel and in the recorder:
#  - --budget with --snaplen: every write of the workload (tests/budgetload,
#    which counts its own calls) is recorded with its payload, recorded
#    without it (counted once as a 'payload' shed), or sampled out
#    (counted once as 'sample'); the payloads kept are byte-exact;
#  - --budget with --syscalls / --slower-than: only calls the filters keep
#    are sampled or counted; the others are in neither the trace nor shed;
#  - --trigger with --redact: neither the snapshot nor the recording holds
#    a secret (planted in a path, a payload and the trigger's own text);
#    --trigger with --syscalls: the trigger sees the recorded events only,
#    so a call the filters drop never fires it;
#  - --comm with --snaplen and --redact-pattern: the named program's
#    payloads, redacted, and nothing of the others.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
LOAD=${BUDGETLOAD:-tests/budgetload}
rnd() { tr -dc 'a-z0-9' </dev/urandom | head -c 12; }
# found SECRET FILE...: lines of FILEs' bytes holding SECRET.  The traces
# searched keep their LZ4 chunks (--no-compact), whose literals a byte
# search can see; zstd would encode them.
found() {
	s=$1
	shift
	cat "$@" 2>/dev/null | grep -c -a -F -e "$s"
}

echo aaaa >"$TMP/a"
echo bbbb >"$TMP/b"

# ---- --budget with --snaplen ---------------------------------------------
T=$TMP/snapbudget.kscope
"$KSCOPE" record -q -o "$T" --snaplen 64 --budget cpu=1,rate=64K/s -- \
	env "$NOLEAKS" "$LOAD" 100000 1000 "$TMP" >"$TMP/load.out" 2>"$TMP/rec.err"
eq "budget+snaplen: recorded" "$?" 0
sed 's/^/  /' "$TMP/rec.err"
pid=$(kv "$TMP/load.out" pid)
n=$(kv "$TMP/load.out" getppid)
check "budget+snaplen: the workload ran" [ -n "$pid" ]
eq "budget+snaplen: no syscall lost" "$(q "$T" "SELECT coalesce(sum(count),
	0) AS n FROM lost WHERE class = 'syscall'")" 0
# Each iteration writes 64 zero bytes to /dev/null once (and getppid
# once); at its end the workload writes its counts to stdout (one write).
W="pid = $pid AND name = 'write'"
N="$W AND fd_name = '/dev/null' AND arg2 = 64"
kept=$(q "$T" "SELECT count(*) FROM syscalls WHERE $W AND payload IS NOT NULL")
bare=$(q "$T" "SELECT count(*) FROM syscalls WHERE $W AND payload IS NULL")
ge "budget+snaplen: writes kept with their payload" "$kept" 1
ge "budget+snaplen: writes kept without it" "$bare" 1
eq "budget+snaplen: writes without a payload = the payload shed count" \
	"$bare" "$(q "$T" "SELECT coalesce(sum(dropped), 0) FROM shed
		   WHERE what = 'payload' AND name = 'write'")"
eq "budget+snaplen: with + without + sampled out = the workload's writes" \
	"$(q "$T" "SELECT $kept + $bare + (SELECT coalesce(sum(dropped), 0)
		   FROM shed WHERE what = 'sample' AND name = 'write') AS n")" \
	$((n + 1))
ge "budget+snaplen: writes to /dev/null kept with their payload" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE $N AND
		   payload IS NOT NULL")" 1
eq "budget+snaplen: every payload kept is the bytes written" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE $W AND
		   payload IS NOT NULL AND payload != CASE WHEN fd_name =
		   '/dev/null' THEN zeroblob(64) ELSE X'$(head -c 64 \
		   "$TMP/load.out" | od -An -tx1 | tr -d ' \n')' END")" 0
eq "budget+snaplen: every stripped write is fast and successful" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   payload IS NULL AND name = 'write' AND
		   (ret < 0 OR dur >= 1000000)")" 0

# ---- --budget with --syscalls and --slower-than ------------------------------
T=$TMP/filtbudget.kscope
"$KSCOPE" record -q -o "$T" --syscalls getppid,getpgid \
	--budget cpu=1,rate=64K/s -- env "$NOLEAKS" "$LOAD" 200000 1000 "$TMP" \
	>"$TMP/load.out" 2>"$TMP/rec.err"
eq "budget+syscalls: recorded" "$?" 0
sed 's/^/  /' "$TMP/rec.err"
pid=$(kv "$TMP/load.out" pid)
eq "budget+syscalls: no syscall lost" "$(q "$T" "SELECT coalesce(sum(count),
	0) AS n FROM lost WHERE class = 'syscall'")" 0
ge "budget+syscalls: calls sampled out" "$(q "$T" "SELECT
	coalesce(sum(dropped), 0) FROM shed WHERE what = 'sample'")" 1
for c in getppid getpgid; do
	eq "budget+syscalls: $c recorded + sampled out = the workload's count" \
		"$(q "$T" "SELECT (SELECT count(*) FROM syscalls WHERE pid = $pid
			   AND name = '$c') + (SELECT coalesce(sum(dropped), 0)
			   FROM shed WHERE what = 'sample' AND name = '$c') AS n")" \
		"$(kv "$TMP/load.out" "$c")"
done
eq "budget+syscalls: nothing outside the set shed" "$(q "$T" "SELECT
	count(*) FROM shed WHERE name NOT IN ('getppid', 'getpgid')")" 0
eq "budget+syscalls: nothing outside the set recorded" "$(q "$T" "SELECT
	count(*) FROM syscalls WHERE name NOT IN ('getppid', 'getpgid')")" 0

T=$TMP/slowbudget.kscope
"$KSCOPE" record -q -o "$T" --slower-than 2ms --budget cpu=1,rate=64K/s -- \
	env "$NOLEAKS" "$LOAD" 100000 1000 "$TMP" >"$TMP/load.out" 2>"$TMP/rec.err"
eq "budget+slower-than: recorded" "$?" 0
pid=$(kv "$TMP/load.out" pid)
eq "budget+slower-than: nothing shed (the filter keeps no fast success)" \
	"$(q "$T" "SELECT count(*) FROM shed")" 0
eq "budget+slower-than: every slow call (sleeps of 5 ms)" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   name IN ('nanosleep', 'clock_nanosleep')")" \
	"$(kv "$TMP/load.out" slow)"
eq "budget+slower-than: every failed open, with its path" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE pid = $pid AND
		   name = 'openat' AND ret = -2 AND path = '$TMP/missing'")" \
	"$(kv "$TMP/load.out" failed)"
eq "budget+slower-than: no fast successful call" "$(q "$T" "SELECT count(*)
	FROM syscalls WHERE pid = $pid AND ret >= 0 AND dur < 2000000")" 0

# ---- --trigger with --redact ------------------------------------------------
# A secret directory's file is read and a secret payload written in a loop
# until the trigger (a 600 ms sleep) has made its snapshot; the trigger's
# text holds a third secret, in a clause that never matches.
KS_DIR=d$(rnd)
KS_PAY=zq$(rnd)
KS_TRIG=zq$(rnd)
KS_TMP=$TMP
export KS_DIR KS_PAY KS_TMP
mkdir "$TMP/$KS_DIR" && echo data >"$TMP/$KS_DIR/file" || exit 1
top=/$(echo "$TMP" | cut -d/ -f2)
T=$TMP/trig.kscope
S=$TMP/trig.snap-1.kscope
cat >"$TMP/trig.sh" <<'EOF'
plant() {
	cat "$KS_TMP/$KS_DIR/file" >/dev/null
	printf '%s\n' "$KS_PAY" >/dev/null
}
i=0
while [ $i -lt 20 ]; do plant; i=$((i + 1)); done
sleep 0.6
until [ -e "$KS_TMP/trig.snap-1.kscope" ]; do plant; sleep 0.05; done
EOF
trig="(name ~ nanosleep and dur > 500ms and comm = sleep) or comm = $KS_TRIG"
"$KSCOPE" record --no-compact -q -o "$T" --ring --max-size 64M \
	--snaplen 64 \
	--redact argv,paths --redact-pattern 'zq[a-z0-9]{12}' \
	--trigger "$trig" --trigger-after 200ms -- sh "$TMP/trig.sh" \
	2>"$TMP/rec.err"
eq "trigger+redact: recorded" "$?" 0
sed 's/^/  /' "$TMP/rec.err"
check "trigger+redact: the snapshot was written" test -s "$S"
ge "trigger+redact: the snapshot holds the redacted reads" \
	"$(q "$S" "SELECT count(*) FROM syscalls WHERE name = 'openat' AND
		   path = '$top/[redacted]'")" 20
ge "trigger+redact: the snapshot holds the redacted payloads" \
	"$(q "$S" "SELECT count(*) FROM syscalls WHERE name = 'write' AND
		   CAST(payload AS TEXT) = '[redacted]' || char(10)")" 1
for f in "$S" "$T"; do
	for s in "$KS_DIR" "$KS_PAY" "$KS_TRIG"; do
		eq "trigger+redact: no secret ($s) in the bytes of ${f##*/}" \
			"$(found "$s" "$f" "$f-wal" "$f-journal")" 0
	done
done
eq "trigger+redact: meta trigger without its secret" \
	"$(meta "$T" trigger)" "$(echo "$trig" | sed "s/$KS_TRIG/[redacted]/")"

# ---- --trigger with --syscalls ---------------------------------------------
# The trigger sees what is recorded: a sleep the filters drop never fires.
for set in getppid nanosleep,clock_nanosleep; do
	T=$TMP/trig-$set.kscope
	"$KSCOPE" record -q -o "$T" --syscalls "$set" \
		--trigger "name ~ nanosleep and dur > 300ms" \
		--trigger-after 100ms -- sleep 0.4 2>"$TMP/rec.err"
	eq "trigger+syscalls $set: recorded" "$?" 0
	sed 's/^/  /' "$TMP/rec.err"
	if [ "$set" = getppid ]; then
		eq "trigger+syscalls $set: the dropped sleep did not fire it" \
			"$(meta "$T" trigger_ts)" ""
	else
		eq "trigger+syscalls $set: the recorded sleep fired it" \
			"$(meta "$T" trigger_ts)" "$(q "$T" "SELECT ts FROM
			   syscalls WHERE name LIKE '%nanosleep'")"
	fi
done

# ---- --comm with --snaplen and --redact-pattern -----------------------------
# kscat (a copy of cat) passes a secret through; only its calls are kept,
# its payloads redacted.  Without the pattern the secret is in the trace.
KS_SEC=zq$(rnd)
export KS_SEC
cp "$(command -v cat)" "$TMP/kscat" || exit 1
cat >"$TMP/comm.sh" <<'EOF'
printf 'token=%s\n' "$KS_SEC" | "$KS_TMP/kscat" >"$KS_TMP/comm.out"
printf 'token=%s\n' "$KS_SEC" | cat >/dev/null
EOF
for pat in none 'zq[a-z0-9]{12}'; do
	T=$TMP/comm-$([ "$pat" = none ] && echo plain || echo redacted).kscope
	set -- --comm kscat --snaplen 128
	[ "$pat" = none ] || set -- "$@" --redact-pattern "$pat"
	"$KSCOPE" record --no-compact -q -o "$T" "$@" -- sh "$TMP/comm.sh" \
		2>"$TMP/rec.err"
	eq "comm+snaplen ($pat): recorded" "$?" 0
	sed 's/^/  /' "$TMP/rec.err"
	eq "comm+snaplen ($pat): only kscat's calls" "$(q "$T" "SELECT
		count(*) FROM syscalls WHERE comm != 'kscat'")" 0
	eq "comm+snaplen ($pat): meta capture_comm" \
		"$(meta "$T" capture_comm)" kscat
	if [ "$pat" = none ]; then
		want="token=$KS_SEC"
		ge "comm+snaplen (plain): the secret is in the bytes" \
			"$(found "$KS_SEC" "$T" "$T-wal" "$T-journal")" 1
	else
		want="token=[redacted]"
		eq "comm+snaplen (redacted): no secret in the bytes" \
			"$(found "$KS_SEC" "$T" "$T-wal" "$T-journal")" 0
	fi
	for c in read write; do
		eq "comm+snaplen ($pat): kscat's $c payload" \
			"$(q "$T" "SELECT count(*) FROM syscalls WHERE
				   name = '$c' AND ret > 0 AND CAST(payload AS
				   TEXT) = '$want' || char(10)")" 1
	done
done
# A pattern that matches the program's name: the filter still picks it
# (in the kernel), the trace says its name nowhere, not even in meta.
T=$TMP/comm-name.kscope
"$KSCOPE" record --no-compact -q -o "$T" --comm kscat \
	--redact-pattern 'ks[c]at' -- \
	sh "$TMP/comm.sh" 2>"$TMP/rec.err"
eq "comm+redact-pattern on the name: recorded" "$?" 0
eq "comm+redact-pattern on the name: meta capture_comm" \
	"$(meta "$T" capture_comm)" "[redacted]"
ge "comm+redact-pattern on the name: its calls, under the marker" \
	"$(q "$T" "SELECT count(*) FROM syscalls WHERE comm = '[redacted]'")" 1
eq "comm+redact-pattern on the name: not in the bytes" \
	"$(found kscat "$T" "$T-wal" "$T-journal")" 0
finish
