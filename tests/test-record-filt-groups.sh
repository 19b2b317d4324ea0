#!/bin/sh
# test-record-filt-groups.sh - the syscall groups of `kscope record
# --syscalls` (record/filter.c) against strace's classes: tests/scprobe
# makes every call of the machine's table (none for real), strace -e
# trace=%CLASS prints those of its class, and the names must be the ones
# tests/filt-list gives for the group.  The groups are strace 6.1's; an
# other strace version may draw a class otherwise (the test says where).
. "${srcdir:-.}/tests/record-lib.sh"
command -v strace >/dev/null 2>&1 || skip "strace is not installed"
strace -qq -o /dev/null true >/dev/null 2>&1 ||
	skip "strace cannot trace here: $(strace -qq -o /dev/null true 2>&1 | head -n1)"
tests/scprobe || skip "tests/scprobe cannot run here (exit $?)"
echo "strace: $(strace -V | head -n1)"

# group (kscope) : class (strace)
for gc in file:file desc:desc net:network process:process memory:memory \
	ipc:ipc signal:signal creds:creds clock:clock; do
	g=${gc%%:*}
	c=${gc#*:}
	strace -qq -e trace=%$c -o "$TMP/$g.log" tests/scprobe
	# the calls strace printed (not its exit line; a number strace has
	# no name for is printed syscall_0x...: kscope's table lacks it too)
	sed -n 's/^\([a-z_0-9]*\)(.*/\1/p' "$TMP/$g.log" | sort -u > "$TMP/$g.strace"
	tests/filt-list "$g" | sort -u > "$TMP/$g.kscope"
	diff "$TMP/$g.kscope" "$TMP/$g.strace" | sed -n 's/^[<>]/       &/p'
	check "$g: $(wc -l < "$TMP/$g.kscope") calls, as strace's %$c ($(wc -l < "$TMP/$g.strace"))" \
		cmp -s "$TMP/$g.kscope" "$TMP/$g.strace"
	# strace's own spelling selects the same calls
	tests/filt-list "%$c" | sort -u > "$TMP/$g.pct"
	check "%$c is $g" cmp -s "$TMP/$g.pct" "$TMP/$g.kscope"
done
finish
