#!/bin/sh
# test-record-diskfull.sh - the recorder on a full disk (a small tmpfs):
# it stops with one line naming the full disk, exits 1, and leaves a
# valid trace holding what was committed, whose meta, lost table and
# summary line count what could not be saved.  Skips (77) where no tmpfs
# can be mounted.
. "${srcdir:-.}/tests/record-lib.sh"
record_require

load=
trap 'kill $load 2>/dev/null; umount "$TMP/full" 2>/dev/null; rm -rf "$TMP"' EXIT
mkdir "$TMP/full"

# fill_disk ARGS...: kscope record -a ARGS onto the tmpfs at $TMP/full,
# with a syscall loop to see, until it stops; its status in $rc, its
# stderr in $TMP/full.err (and shown)
fill_disk() {
	rm -f "$TMP/full/t.kscope"
	"$WORKLOAD" --loop 100000000 &
	load=$!
	"$KSCOPE" record -a "$@" -o "$TMP/full/t.kscope" >"$TMP/full.out" \
		2>"$TMP/full.err" &
	wait_exit $!
	kill $load 2>/dev/null
	wait $load 2>/dev/null
	load=
	sed 's/^/  stderr: /' "$TMP/full.err"
}

# -e syscall on 1.5 MiB: stop with a message naming the full disk, exit
# 1, keep a valid trace with what was committed (at least the meta and
# /proc snapshot).
mount -t tmpfs -o size=1536k tmpfs "$TMP/full" 2>/dev/null ||
	skip "cannot mount a small tmpfs"
fill_disk -e syscall
eq "disk full (-e syscall): exit 1" "$rc" 1
check "disk full (-e syscall): message says so" grep -q "disk is full" "$TMP/full.err"
eq "disk full (-e syscall): trace opens, with its meta" \
	"$(q "$TMP/full/t.kscope" "SELECT value FROM meta WHERE key='host'")" \
	"$(uname -n)"
umount "$TMP/full"

# Every class, 1 MiB: it fills well before the first once-a-second
# commit, so chunks must be committed as they fill, and what the disk
# could not take is counted.
mount -t tmpfs -o size=1m tmpfs "$TMP/full"
fill_disk -q
eq "disk full: exit 1" "$rc" 1
eq "disk full: one line on stderr" "$(wc -l <"$TMP/full.err")" 1
check "disk full: the line says the disk is full" \
	grep -q "^kscope: record: stopped: the disk is full" "$TMP/full.err"
"$KSCOPE" info "$TMP/full/t.kscope" >"$TMP/full.info" 2>&1
eq "disk full: info opens the trace" "$?" 0
n=$(chunks_read_back "$TMP/full/t.kscope")
check "disk full: committed chunks read back" test -n "$n"
ge "disk full: events were committed" "$n" 1000
eq "disk full: meta of the start is there" \
	"$(meta "$TMP/full/t.kscope" host)" "$(uname -n)"
# The line's figures are the trace's: the events it holds, and the
# events that could not be saved, which the trace counts as lost.
said=$(sed -n 's/.* holds the \([0-9]*\) events recorded until then, \([0-9]*\) more could not be saved (counted as lost)$/\1 \2/p' "$TMP/full.err")
eq "disk full: the line gives the events held and not saved" \
	"${said%% *}" "$n"
unsaved=$(meta "$TMP/full/t.kscope" unsaved_events)
eq "disk full: meta counts the unsaved events as the line does" \
	"${said#* }" "$unsaved"
ge "disk full: some events were not saved" "${unsaved:-0}" 1
eq "disk full: the lost table sums to meta's lost_total" \
	"$(q "$TMP/full/t.kscope" "SELECT sum(count) FROM lost")" \
	"$(meta "$TMP/full/t.kscope" lost_total)"
check "disk full: lost_total includes the unsaved events" \
	test "$(meta "$TMP/full/t.kscope" lost_total)" -ge "${unsaved:-1}"
eq "disk full: meta says why it stopped" \
	"$(meta "$TMP/full/t.kscope" stopped)" "disk full"
check "disk full: a single file is left (no -wal)" \
	test ! -e "$TMP/full/t.kscope-wal"
# Again without -q: the summary line's figures are the trace's too
# (it once said the events recorded, with 0 lost, where the trace
# held a third of them).
fill_disk
sum=$(sed -n "s/^kscope: record: \([0-9]*\) events (.*; \([0-9]*\) lost.*/\1 \2/p" "$TMP/full.err")
n=$(chunks_read_back "$TMP/full/t.kscope")
check "disk full: the summary line is there" test -n "$sum"
eq "disk full: the summary's events are the trace's" "${sum%% *}" "$n"
eq "disk full: the summary's lost are the trace's lost_total" \
	"${sum#* }" "$(meta "$TMP/full/t.kscope" lost_total)"
ge "disk full: the summary counts the unsaved as lost" "${sum#* }" \
	"$(meta "$TMP/full/t.kscope" unsaved_events)"
umount "$TMP/full"
finish
