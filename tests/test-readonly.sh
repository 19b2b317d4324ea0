#!/bin/sh
# test-readonly.sh - a reader never writes beside a trace, and a trace left
# in WAL mode (its recorder killed) opens for anyone who can read it, with
# the chunks committed only in its -wal.
#
# The killed trace is made without the recorder: a finished trace minus
# half its chunks, set to WAL mode, then a commit of the missing chunks by
# a process that exits without closing (as SIGKILL does), so that they are
# only in the -wal.  The finished trace is the oracle for the counts, and
# SQLite's immutable open of the main file alone shows that those chunks
# really are only in the -wal.  Reading as an unprivileged user needs
# root (setpriv); those checks are skipped otherwise.
. "$(dirname "$0")/cli-lib.sh"

have_python || { echo "SKIP: python3 with sqlite3 is needed to craft files"; exit 77; }

G=$TMP/good.kscope
"$MKTRACE" "$G" --syscalls 3000 --chunk-events 100 >/dev/null || exit 99
chmod 755 "$TMP"
D=$TMP/ro
mkdir -m 755 "$D"
W=$D/killed.kscope
cp "$G" "$W"
python3 - "$W" "$G" <<'EOF' || { echo "FAIL: cannot craft the WAL trace"; exit 1; }
import os, sqlite3, sys
w, g = sys.argv[1], sys.argv[2]
db = sqlite3.connect(w, isolation_level=None)
db.execute("DELETE FROM chunk_data WHERE id IN (SELECT id FROM chunks WHERE id % 2 = 0)")
db.execute("DELETE FROM chunks WHERE id % 2 = 0")
db.execute("VACUUM")
db.execute("PRAGMA journal_mode=WAL")
db.close()
db = sqlite3.connect(w, isolation_level=None)
db.execute("PRAGMA wal_autocheckpoint=0")
db.execute("ATTACH ? AS g", (g,))
db.execute("BEGIN")
db.execute("INSERT INTO chunks SELECT * FROM g.chunks WHERE id % 2 = 0")
db.execute("INSERT INTO chunk_data SELECT * FROM g.chunk_data WHERE id % 2 = 0")
db.execute("COMMIT")
os._exit(0)  # no close, no checkpoint: the commit stays in the -wal
EOF
# As a killed recorder leaves it: -wal and -shm beside the file, all
# 0600; the trace and its -wal then made readable (0644), the -shm not.
chmod 600 "$W" "$W-wal" "$W-shm"
chmod 644 "$W" "$W-wal"

count_sql="SELECT (SELECT count(*) FROM syscalls) || ' ' || (SELECT sum(count) FROM chunks)"
want=$("$KSCOPE" query "$G" "$count_sql" --format csv | tail -n 1 | tr -d '\r')
main_only=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?immutable=1", uri=True)
print(db.execute("SELECT sum(count) FROM chunks").fetchone()[0])' "$W")
last="setup"
rc=0
if [ -n "$want" ] && [ "${want#* }" -gt "${main_only:-0}" ] 2>/dev/null; then
	ok "chunks only in the -wal: ${want#* } events in all, $main_only in the main file"
else
	fail "the crafted -wal holds no chunks (all: '$want', main file: '$main_only')"
fi

# snap DIR: names, sizes, modes, owners, mtimes and contents of DIR
snap() {
	( cd "$1" && ls -ld --time-style=+%s.%N . &&
	  ls -lA --time-style=+%s.%N . && sha256sum -- * )
}

# as_reader WHO ARGS...: run kscope as root or as nobody
as_reader() {
	who=$1
	shift
	if [ "$who" = root ]; then
		run "$@"
	else
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$KSCOPE" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
		rc=$?
		out=$(cat "$TMP/out")
		err=$(cat "$TMP/err")
		last="(as nobody) kscope $*"
	fi
}

# reads WHO FILE WANT: info and a count read FILE as WHO, seeing WANT,
# and nothing in FILE's directory changes
reads() {
	snap "$(dirname "$2")" > "$TMP/before"
	as_reader "$1" info "$2"
	expect_rc 0 && ok
	as_reader "$1" query "$2" "$count_sql" --format csv
	if expect_rc 0; then
		got=$(tail -n 1 "$TMP/out" | tr -d '\r')
		[ "$got" = "$3" ] && ok "counts $got" ||
			fail "counts '$got', wanted '$3'"
	fi
	as_reader "$1" report "$2" summary
	expect_rc 0 && ok
	snap "$(dirname "$2")" > "$TMP/after"
	if cmp -s "$TMP/before" "$TMP/after"; then
		ok "nothing beside the trace created or changed"
	else
		fail "the directory changed: $(diff "$TMP/before" "$TMP/after" | tr '\n' ' ')"
	fi
}

if [ "$(id -u)" -eq 0 ] && setpriv --reuid=nobody --regid=nogroup \
	--clear-groups true 2>/dev/null; then
	readers="root nobody"
else
	readers=root
	echo "skip: reading as an unprivileged user needs root and setpriv"
fi

for who in $readers; do
	reads "$who" "$W" "$want"
done

# The -wal unreadable: no silent loss of its chunks, but one line naming
# the -wal and how to make it readable.
if [ "$readers" != root ]; then
	chmod 600 "$W-wal"
	as_reader nobody info "$W"
	expect_one_error 1 "cannot open '$W': its write-ahead log '$W-wal' (the commits of a recording that did not finish) cannot be read: Permission denied; make it*"
	chmod 644 "$W-wal"
fi

# An empty file beside a -wal: refused, and the -wal left as it was
# (SQLite deletes the -wal of an empty database, even read-only).
E=$TMP/empty
mkdir -m 755 "$E"
: > "$E/e.kscope"
cp "$W-wal" "$E/e.kscope-wal"
snap "$E" > "$TMP/before"
run info "$E/e.kscope"
expect_one_error 1 "cannot open '$E/e.kscope': the file is empty"
snap "$E" > "$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && ok "the -wal is left as it was" ||
	fail "the directory changed: $(diff "$TMP/before" "$TMP/after" | tr '\n' ' ')"

# A finished (rollback-mode) trace with a -wal beside it (here the
# killed trace's), in a writable directory: SQLite reads a -wal it finds
# whatever the header says, and would create a -shm for it.
F=$TMP/stray
mkdir -m 1777 "$F"
cp "$G" "$F/f.kscope"
cp "$W-wal" "$F/f.kscope-wal"
chmod 644 "$F/f.kscope" "$F/f.kscope-wal"
for who in $readers; do
	snap "$F" > "$TMP/before"
	as_reader "$who" info "$F/f.kscope"
	snap "$F" > "$TMP/after"
	cmp -s "$TMP/before" "$TMP/after" &&
		ok "nothing beside it created or changed (exit $rc)" ||
		fail "the directory changed: $(diff "$TMP/before" "$TMP/after" | tr '\n' ' ')"
done

# Only the main file copied (no -wal, no -shm): it opens with what it
# holds, and no -wal or -shm appears, not even in a writable directory.
C=$TMP/copy
mkdir -m 755 "$C"
cp "$W" "$C/alone.kscope"
chmod 644 "$C/alone.kscope"
# The oracle: SQLite's immutable open of the file (syscalls are kind 0).
main_want=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?immutable=1", uri=True)
q = "SELECT total(count) FROM chunks"
print("%d %d" % (db.execute(q + " WHERE kind = 0").fetchone()[0],
                 db.execute(q).fetchone()[0]))' "$C/alone.kscope")
for who in $readers; do
	reads "$who" "$C/alone.kscope" "$main_want"
done
chmod 1777 "$C"
for who in $readers; do
	reads "$who" "$C/alone.kscope" "$main_want"
done
finish
