#!/bin/sh
# test-record-redact.sh - `kscope record --redact WHAT --redact-pattern RE`:
# secrets planted in an argument, an env-like NAME=VALUE argument, a path
# (a directory's name), a socket address (a loopback IP connected to) and
# a comm (a program's name, which only a pattern covers) are absent from
# the bytes of the trace, and its -wal or -journal if any, also when the
# recorder is killed (SIGKILL) while recording.  Where the build captures
# payloads (--snaplen), a secret written to /dev/null is checked too.  The same workload
# recorded without redaction shows every secret, so each search can fail.
# The secrets reach the workload through its environment, which the
# recorder does not read, so that each is only where it was planted.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v bash >/dev/null || skip "no bash (for /dev/tcp)"

# Random and unlike each other: a compressed column keeps the first
# occurrence of a string as literal bytes unless part of it (4 bytes or
# more) was seen just before, so the secrets share no common part.
rnd() { tr -dc 'a-z0-9' </dev/urandom | head -c 12; }
o() { od -An -N1 -tu1 /dev/urandom | awk '{ print $1 % 200 + 20 }'; }
KS_ARG=a$(rnd)
KS_ENV=e$(rnd)
KS_DIR=d$(rnd)
KS_PK=pk$(rnd)
KS_PAY=q$(rnd)
KS_IP=127.$(o).$(o).$(o)
KS_TMP=$TMP
export KS_ARG KS_ENV KS_DIR KS_PK KS_IP KS_PAY KS_TMP
PATTERN='pk[a-z0-9]{12}'

mkdir "$TMP/$KS_DIR" && echo data >"$TMP/$KS_DIR/file" &&
	ln -s /bin/true "$TMP/$KS_PK" || exit 1
# One round of plants; with "loop", rounds until $TMP/stop appears.
cat >"$TMP/work.sh" <<'EOF'
round() {
	/bin/true "$KS_ARG"
	env KSCOPE_TOKEN="$KS_ENV" /bin/true
	cat <"$KS_TMP/$KS_DIR/file" >/dev/null
	"$KS_TMP/$KS_PK"
	bash -c 'exec 3<>"/dev/tcp/$KS_IP/9"' 2>/dev/null
	printf '%s\n' "$KS_PAY" >/dev/null
}
round
if [ "$1" = loop ]; then
	echo $$ >"$KS_TMP/loop.pid"
	while [ ! -e "$KS_TMP/stop" ]; do
		round
		sleep 0.05
	done
fi
EOF

# found FILE... : how many of the secrets show in the bytes of FILEs, as
# "arg env dir pk ip" counts of lines.  The recordings keep their LZ4
# chunks (--no-compact), whose literals a byte search can see; zstd
# would encode them (in_sql below reads either).
# The address is searched for without its "127." (shared with every
# loopback address: a compressed column may hold those 4 bytes as a
# reference to an earlier one, so only the random part is literal).
found() {
	for s in "$KS_ARG" "$KS_ENV" "$KS_DIR" "$KS_PK" "${KS_IP#127.}"; do
		cat "$@" 2>/dev/null | grep -c -a -F -e "$s"
	done | tr '\n' ' ' | sed 's/ $//'
}
# in_sql TRACE: the same counts from SQL, of rows of any table whose text
# columns hold a secret (the byte search's second opinion: it reads the
# compressed columns decoded)
in_sql() {
	cols=
	for t in $(tests/kscope-synth --tables | sed 's/^[0-9]*://') \
		processes threads meta; do
		for c in $(q "$1" "SELECT name FROM pragma_table_info('$t')"); do
			cols="$cols $t.$c"
		done
	done
	for s in "$KS_ARG" "$KS_ENV" "$KS_DIR" "$KS_PK" "$KS_IP"; do
		sql="SELECT 0"
		for tc in $cols; do
			sql="$sql + (SELECT count(*) FROM ${tc%%.*} WHERE instr(CAST(\"${tc#*.}\" AS TEXT), '$s'))"
		done
		q "$1" "$sql"
	done | tr '\n' ' ' | sed 's/ $//'
}
# none: every count 0; all: every count > 0
none() { [ "$1" = "0 0 0 0 0" ]; }
all() { ! echo " $1 " | grep -q ' 0 '; }
only_arg() {
	case $1 in
	"0 "*) return 1 ;;
	*" 0 0 0 0") return 0 ;;
	esac
	return 1
}
sides() { echo "$1" "$1-wal" "$1-journal"; }

# ---- without redaction every secret is in the file ----------------------
t0=$TMP/plain.kscope
"$KSCOPE" record --no-compact -q -o "$t0" -- sh "$TMP/work.sh" 2>"$TMP/rec.err" ||
	{ cat "$TMP/rec.err"; exit 1; }
got=$(found $(sides "$t0"))
check "without --redact every secret is in the file ($got)" all "$got"
got=$(in_sql "$t0")
check "without --redact every secret is in SQL ($got)" all "$got"
eq "the connect's address holds the planted IP" \
	"$(q "$t0" "SELECT count(*) FROM syscalls WHERE name='connect' AND addr='$KS_IP:9'")" 1
eq "no meta 'redacted' without --redact" \
	"$(q "$t0" "SELECT count(*) FROM meta WHERE key='redacted'")" 0

# ---- env, paths, addrs and a pattern; argv left alone --------------------
t1=$TMP/some.kscope
"$KSCOPE" record --no-compact -q -o "$t1" --redact env,paths,addrs \
	--redact-pattern "$PATTERN" -- sh "$TMP/work.sh" 2>"$TMP/rec.err" ||
	{ cat "$TMP/rec.err"; exit 1; }
got=$(found $(sides "$t1"))
check "env,paths,addrs and a pattern: only the plain argument is left ($got)" \
	only_arg "$got"
got=$(in_sql "$t1")
check "... in SQL too ($got)" only_arg "$got"
eq "the pattern's text is not stored either" \
	"$(cat $(sides "$t1") 2>/dev/null | grep -c -a -F -e "$PATTERN")" 0
eq "meta redacted" "$(meta "$t1" redacted)" '"env,paths,addrs; 1 pattern"'
check "meta options say a pattern was given, not which" \
	sh -c "$KSCOPE query '$t1' \"SELECT value FROM meta WHERE key='options'\" |
		grep -qF -e '--redact-pattern [redacted] -- sh'"
eq "env: the value of NAME=VALUE goes, the name stays" \
	"$(q "$t1" "SELECT argv FROM proc_events WHERE kind='exec' AND argv LIKE 'env %'")" \
	"env KSCOPE_TOKEN=[redacted] /bin/true"
eq "paths: the file read keeps its first directory" \
	"$(q "$t1" "SELECT DISTINCT path FROM syscalls WHERE name='openat' AND path LIKE '/tmp/%'")" \
	"/tmp/[redacted]"
eq "paths: so does the fd's name of the reads" \
	"$(q "$t1" "SELECT DISTINCT fd_name FROM syscalls WHERE name='read' AND fd=0 AND fd_name LIKE '/tmp/%'")" \
	"/tmp/[redacted]"
eq "addrs: the connect keeps its port" \
	"$(q "$t1" "SELECT addr FROM syscalls WHERE name='connect' AND addr LIKE '%:9'")" \
	"[redacted]:9"
ge "addrs: TCP events of the connect" \
	"$(q "$t1" "SELECT count(*) FROM net_events WHERE dport=9")" 1
eq "addrs: TCP events keep the port, not the address" \
	"$(q "$t1" "SELECT count(*) FROM net_events WHERE dport=9 AND daddr != '[redacted]'")" 0
eq "pattern: the program's comm" \
	"$(q "$t1" "SELECT count(*) FROM proc_events WHERE kind='exec' AND comm='[redacted]'")" 1
eq "pattern: processes.comm and the exec's argv[0]" \
	"$(q "$t1" "SELECT comm || '|' || cmdline FROM processes WHERE comm LIKE '%redacted%'")" \
	"[redacted]|$TMP/[redacted]"

# ---- everything ------------------------------------------------------------
t2=$TMP/all.kscope
"$KSCOPE" record --no-compact -q -o "$t2" --redact all --redact-pattern "$PATTERN" \
	-- sh "$TMP/work.sh" 2>"$TMP/rec.err" || { cat "$TMP/rec.err"; exit 1; }
eq "--redact all and a pattern: no secret in the file" \
	"$(found $(sides "$t2"))" "0 0 0 0 0"
eq "... nor in SQL" "$(in_sql "$t2")" "0 0 0 0 0"
eq "argv: the arguments after argv[0] go" \
	"$(q "$t2" "SELECT argv FROM proc_events WHERE kind='exec' AND argv LIKE '/bin/true %'")" \
	"/bin/true [redacted]"
eq "the trace verifies" "$("$KSCOPE" verify "$t2" >/dev/null 2>&1; echo $?)" 0

# ---- killed while recording: the -wal holds what was committed ----------
# killed TRACE OPTIONS...: record the looping workload, wait for three
# rounds in the trace, SIGKILL the recorder, stop the workload.
killed() {
	tr=$1
	shift
	rm -f "$TMP/stop" "$TMP/loop.pid"
	"$KSCOPE" record --no-compact -q -o "$tr" "$@" -- sh "$TMP/work.sh" loop \
		2>"$TMP/rec.err" &
	rec=$!
	wait_rows "$tr" "SELECT count(*) FROM syscalls WHERE name='connect'" 3
	kill -KILL $rec
	wait $rec 2>/dev/null
	touch "$TMP/stop"
	wait_for "the workload to stop" sh -c \
		"! kill -0 \$(cat '$TMP/loop.pid' 2>/dev/null) 2>/dev/null"
}
t3=$TMP/killed-plain.kscope
killed "$t3"
check "SIGKILL, no redaction: the -wal is there" test -s "$t3-wal"
got=$(found $(sides "$t3"))
check "SIGKILL, no redaction: every secret is in the files ($got)" all "$got"
t4=$TMP/killed.kscope
killed "$t4" --redact all --redact-pattern "$PATTERN"
check "SIGKILL with redaction: the -wal is there" test -s "$t4-wal"
eq "SIGKILL with redaction: no secret in the file or its -wal" \
	"$(found $(sides "$t4"))" "0 0 0 0 0"

# ---- payloads, where this build captures them ---------------------------
if "$KSCOPE" record --help | grep -q -e '--snaplen'; then
	# pay TRACE: lines of the file holding the payload secret, and rows
	# of syscalls whose payload holds it
	pay() {
		echo "$(cat $(sides "$1") 2>/dev/null | grep -c -a -F -e "$KS_PAY")" \
			"$(q "$1" "SELECT count(*) FROM syscalls WHERE instr(CAST(payload AS TEXT), '$KS_PAY')")"
	}
	t5=$TMP/pay-plain.kscope
	"$KSCOPE" record --no-compact -q -o "$t5" --snaplen 64 -- sh "$TMP/work.sh" \
		2>"$TMP/rec.err" || { cat "$TMP/rec.err"; exit 1; }
	got=$(pay "$t5")
	check "payloads without --redact: the secret is in the file ($got)" \
		all "$got"
	t6=$TMP/pay-cat.kscope
	"$KSCOPE" record --no-compact -q -o "$t6" --snaplen 64 --redact payload \
		-- sh "$TMP/work.sh" 2>"$TMP/rec.err" ||
		{ cat "$TMP/rec.err"; exit 1; }
	eq "--redact payload: the secret is not in the file" "$(pay "$t6")" "0 0"
	# every payload the plain run captured is there, each the marker
	eq "--redact payload: every payload is the marker" \
		"$(q "$t6" "SELECT count(*) FROM syscalls WHERE CAST(payload AS TEXT)='[redacted]'") $(q "$t6" "SELECT count(*) FROM syscalls WHERE payload IS NOT NULL AND CAST(payload AS TEXT)!='[redacted]'")" \
		"$(q "$t5" "SELECT count(*) FROM syscalls WHERE payload IS NOT NULL") 0"
	t7=$TMP/pay-pat.kscope
	"$KSCOPE" record --no-compact -q -o "$t7" --snaplen 64 \
		--redact-pattern 'q[a-z0-9]{12}' -- sh "$TMP/work.sh" \
		2>"$TMP/rec.err" || { cat "$TMP/rec.err"; exit 1; }
	eq "a pattern over payloads: the secret is not in the file" \
		"$(pay "$t7")" "0 0"
	eq "a pattern over payloads: the match is the marker, the newline kept" \
		"$(q "$t7" "SELECT count(*) FROM syscalls WHERE name='write' AND payload=CAST('[redacted]' || char(10) AS BLOB)")" 1
else
	echo "--   this build has no --snaplen: payloads not checked"
fi

# ---- bad options: one line, and a pattern's text is not repeated --------
"$KSCOPE" record -o "$TMP/x.kscope" --redact-pattern ok \
	--redact-pattern "s3cr3t(" -- /bin/true 2>"$TMP/bad.err"
eq "a bad pattern exits 2" $? 2
eq "its message is one line" "$(wc -l <"$TMP/bad.err")" 1
check "it names the pattern by position" grep -q "redact-pattern #2" "$TMP/bad.err"
check "it does not repeat the pattern" sh -c "! grep -q s3cr3t '$TMP/bad.err'"
check "no trace is made" test ! -e "$TMP/x.kscope"
"$KSCOPE" record -o "$TMP/x.kscope" --redact argv,secrets -- /bin/true \
	2>"$TMP/bad.err"
eq "a bad --redact list exits 2" $? 2
check "its message lists the categories" \
	grep -q "pick from argv,env,paths,addrs,payload,all" "$TMP/bad.err"
finish
