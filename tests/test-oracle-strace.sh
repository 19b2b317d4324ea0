#!/bin/sh
# test-oracle-strace.sh - strace as the oracle: real Debian programs run
# under `kscope record -o T -- strace -f -q -o LOG -- CMD`, and every call
# strace printed for the workload must be in the trace, and nothing else:
# per-thread per-name counts, return values call by call, read/write byte
# sums, openat paths, execs, forks and exit statuses
# (tests/strace-compare.py; it explains the legitimate differences).
#
# Workloads: a shell script with a pipeline (tar | gzip), a failing child,
# a child killed by a signal and `exit 3`; xz compressing with two
# threads; make -j2 running gcc -c on generated C files; python3's
# http.server and curl over 127.0.0.1 and ::1.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
command -v strace >/dev/null 2>&1 || skip "strace is not installed"
strace -f -q -o /dev/null true >/dev/null 2>&1 ||
	skip "strace cannot trace here: $(strace -f -q -o /dev/null true 2>&1 | head -n1)"
for tool in python3 tar gzip xz make gcc curl; do
	command -v $tool >/dev/null 2>&1 || skip "$tool is not installed"
done
# run NAME CMD...: record CMD under strace, then compare (oracle-lib.sh).
run() { strace_run "$@"; }

# The pipeline, xz -T2 and make -j2 of gcc (oracle-lib.sh).
. "${srcdir:-.}/tests/oracle-lib.sh"
oracle_pipe
oracle_xz
# The threads are really there (more than one thread in the xz process).
ge "xz: worker threads recorded" \
	"$(q "$TMP/xz.kscope" "SELECT count(DISTINCT tid) FROM syscalls WHERE comm='xz'")" 3
oracle_cc 4
check "cc: the objects were built" test -s "$TMP/cc/f4.o"

# TCP over IPv4 and IPv6: python3 -m http.server and curl
# (tests/oracle-http-fetch.sh): connect, accept, send and receive calls
# with their addresses and byte counts.
mkdir "$TMP/net"
head -c 200000 /dev/urandom > "$TMP/net/data.bin"
run net sh "${srcdir:-.}/tests/oracle-http-fetch.sh" "$TMP/net"
eq "net: both fetches done" "$(wc -l < "$TMP/net/fetches")" 2
finish
