#!/bin/sh
# test-record-cgroup.sh - --cgroup: a cgroup v2 directory under the cgroup2
# mount keeps the tasks in it and below it, and only those; anything else
# given to it is one line and no trace.  Skips (77) without a writable
# cgroup v2 mount.
. "${srcdir:-.}/tests/record-lib.sh"
record_require
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$cg2" ] || skip "no cgroup v2 mount"
cg=$cg2/kscope-test-$$
mkdir "$cg" 2>"$TMP/mkdir.err" ||
	skip "cannot make a cgroup under $cg2: $(cat "$TMP/mkdir.err")"

two_loops
trap 'kill $a $b 2>/dev/null; rmdir "$cg/inner" "$cg" 2>/dev/null; rm -rf "$TMP"' EXIT

# --cgroup must name a cgroup v2 directory under the cgroup2 mount: a
# directory elsewhere (absolute, or reached with ..) or a file in the
# mount is one line and no trace, not a filter that matches nothing.
up=$(echo "$cg2" | sed 's|/[^/]*|../|g')
for c in /etc "${up}etc" "$cg2/cgroup.procs"; do
	rm -f "$TMP/cg.kscope"
	"$KSCOPE" record -q -a --cgroup "$c" -d 0.2 -o "$TMP/cg.kscope" \
		>"$TMP/out" 2>"$TMP/err"
	eq "--cgroup $c: exit 1, one line" "$?:$(wc -l < "$TMP/err")" "1:1"
	eq "--cgroup $c: says why" "$(cat "$TMP/err")" \
		"kscope: record: cannot use cgroup '$c': not a cgroup v2 directory under $cg2"
	check "--cgroup $c: no trace" test ! -e "$TMP/cg.kscope"
done

# A cgroup: move $b into a new cgroup and record only that.
mkdir "$cg/inner"
echo $b > "$cg/inner/cgroup.procs"
"$KSCOPE" record -q -a --cgroup kscope-test-$$ -d 1.5 -o "$TMP/cg.kscope" \
	2>"$TMP/cg.err"
eq "--cgroup: exit 0" "$?" 0
ge "--cgroup: events of tasks in a cgroup below it" \
	"$(q "$TMP/cg.kscope" "SELECT count(*) FROM syscalls WHERE path='$m2'")" 5
eq "--cgroup: nothing from outside it" \
	"$(q "$TMP/cg.kscope" "SELECT count(*) FROM syscalls WHERE path='$m1' OR pid=$a")" 0
check "--cgroup: processes rows carry the cgroup path" \
	test "$(q "$TMP/cg.kscope" "SELECT cgroup FROM processes WHERE pid=$b")" = "/kscope-test-$$/inner"
eq "--cgroup: snapshot narrowed to the cgroup" \
	"$(q "$TMP/cg.kscope" "SELECT count(*) FROM processes WHERE pid IN (1, $a)")" 0
kill $b 2>/dev/null
wait $b 2>/dev/null
rmdir "$cg/inner" "$cg" 2>/dev/null
finish
