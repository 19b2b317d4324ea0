#!/bin/sh
# test-record-args-root.sh - what `kscope record` refuses, as only root can
# set it up: -f on a copy of the /dev/null device node (exit 1, one line,
# the node left as it was), and a user without privilege (root made
# nobody with setpriv) told in one sentence what is missing.  Skips (77)
# without root, mknod or setpriv.
. "${srcdir:-.}/tests/record-lib.sh"
[ "$(id -u)" -eq 0 ] || skip "making a device node and dropping privilege need root"
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is not installed"
mknod "$TMP/null" c 1 3 2>"$TMP/mknod.err" ||
	skip "cannot make a device node here: $(cat "$TMP/mknod.err")"

chmod 0666 "$TMP/null"
"$KSCOPE" record -f -d 1 -o "$TMP/null" >"$TMP/out" 2>"$TMP/err" </dev/null
eq "-f on a device node: exit 1, one line" "$?:$(wc -l < "$TMP/err")" "1:1"
check "-f on a device node: says why" grep -q "it is a character device" "$TMP/err"
check "-f on a device node: still one" test -c "$TMP/null"
eq "-f on a device node: same device, same mode" \
	"$(stat -c '%t:%T %a' "$TMP/null")" "1:3 666"

# Without privilege: one sentence naming what is missing.
chmod 0755 "$TMP"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$KSCOPE" record -d 1 -o "$TMP/np.kscope" >"$TMP/out" 2>"$TMP/err"
eq "unprivileged: exit 1" "$?" 1
eq "unprivileged: one sentence" "$(cat "$TMP/err")" \
	"kscope: record: loading eBPF programs needs root (CAP_BPF and CAP_PERFMON)"
finish
