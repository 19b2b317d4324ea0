#!/usr/bin/env python3
# hostile.py - craft hostile traces from a good one, for test-hostile.sh.
#
#     python3 tests/hostile.py GOOD.kscope OUTDIR [NAME...]
#     python3 tests/hostile.py --seeds tests/fuzz/corpus-trace/real-true tests/fuzz
#
# The second form writes the fuzz targets' seeds of the classes "index
# spans" and "bombs" (see seeds() below; docs/FUZZING.md).
#
# Writes OUTDIR/NAME.kscope for each NAME in CASES below (each a copy of
# GOOD, the small known trace of tests/test-mktrace --chunk-events 100,
# with one hostile change), and prints one line per file: NAME and the id
# of the chunk it tampered with (0 if none).  Chunk blobs are built here
# byte for byte (docs/FORMAT.md), with valid checksums (chunk_hash ported
# below and checked against GOOD's own chunks first: exit 1 if it differs),
# so the reader's checks behind the checksums are what gets tested.
import shutil
import sqlite3
import sys

M = (1 << 64) - 1


def mix64(h):
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & M
    h ^= h >> 33
    h = (h * 0xc4ceb9fe1a85ec53) & M
    h ^= h >> 33
    return h


def chunk_hash(b):
    n = len(b)
    h = 0x9e3779b97f4a7c15 ^ n
    i = 0
    while n - i >= 8:
        w = int.from_bytes(b[i:i + 8], 'little')
        h = ((h ^ w) * 0x9e3779b97f4a7c15) & M
        h ^= h >> 29
        i += 8
    w = int.from_bytes(b[i:] + bytes(8 - (n - i)), 'little')
    h = mix64(h ^ w)
    return (h ^ (h >> 32)) & 0xffffffff


def varint(u):
    out = bytearray()
    while u >= 0x80:
        out.append((u & 0x7f) | 0x80)
        u >>= 7
    out.append(u)
    return bytes(out)


def zigzag(v):
    return ((v << 1) ^ (v >> 63)) & M


def blob(count, cols):
    """cols: (enc, raw_len, stored bytes) per column; enc bit 7 = LZ4."""
    h = bytearray(b'KC' + varint(count) + varint(len(cols)))
    for enc, raw_len, data in cols:
        h += bytes([enc]) + varint(raw_len) + varint(len(data))
        h += chunk_hash(data).to_bytes(4, 'little')
    h += chunk_hash(bytes(h)).to_bytes(4, 'little')
    return bytes(h) + b''.join(c[2] for c in cols)


def plain(values):
    data = b''.join(varint(zigzag(v)) for v in values)
    return (0, len(data), data)


def migrate_blob(ts, count=None):
    """A sched_migrate chunk (ts, cpu, tid, orig_cpu, dest_cpu)."""
    n = len(ts)
    cols = [plain(ts)] + [plain([1] * n) for _ in range(4)]
    return blob(n if count is None else count, cols)


def self_check(db):
    """Our hash must agree with the writer's on GOOD's chunks."""
    for (data,) in db.execute("SELECT data FROM chunk_data LIMIT 3"):
        p = 2
        for _ in range(2):  # count, ncols
            while data[p] & 0x80:
                p += 1
            p += 1
        ncols = data[p - 1]
        for _ in range(ncols):
            p += 1
            for _ in range(2):
                while data[p] & 0x80:
                    p += 1
                p += 1
            p += 4
        if chunk_hash(data[:p]) != int.from_bytes(data[p:p + 4], 'little'):
            sys.exit("hostile.py: chunk_hash port disagrees with the writer")


T0 = 1000000000


def get_varint(b, p):
    u = s = 0
    while True:
        u |= (b[p] & 0x7f) << s
        s += 7
        p += 1
        if not b[p - 1] & 0x80:
            return u, p


def blob_raw(data):
    """Sum of the raw lengths a blob's header declares (its raw_size)."""
    try:
        _, p = get_varint(data, 2)
        ncols, p = get_varint(data, p)
        raw = 0
        for _ in range(ncols):
            enc = data[p]
            p += 1
            if enc & 0x0f == 3:
                _, p = get_varint(data, p)
            r, p = get_varint(data, p)
            _, p = get_varint(data, p)
            p += 4
            raw += r
        return raw
    except IndexError:
        return len(data)


def add_chunk(db, kind, ts_first, ts_last, count, data, cid=None, raw=None):
    # the index row says what the header says (raw_size its columns' sum)
    # unless RAW is given: a raw_size the open check accepts lets a lying
    # header reach the decoder
    cur = db.execute("INSERT INTO chunks(id, kind, ts_first, ts_last, count,"
                     " raw_size, stored_size, codec) VALUES(?,?,?,?,?,?,?,1)",
                     (cid, kind, ts_first, ts_last, count,
                      blob_raw(data) if raw is None else raw, len(data)))
    cid = cur.lastrowid
    db.execute("INSERT INTO chunk_data(id, data) VALUES(?, ?)", (cid, data))
    return cid


def first_syscall_chunk(db):
    return db.execute("SELECT min(id) FROM chunks WHERE kind = 0").fetchone()[0]


# Each case gets a writable copy and returns the chunk id it is about.
def c_triggers(db):
    db.executescript("""
        CREATE TABLE log(x);
        CREATE TRIGGER meta_ins AFTER INSERT ON meta BEGIN
            INSERT INTO log VALUES(load_extension('/nonexistent/evil.so'));
        END;
        CREATE TRIGGER chunks_del BEFORE DELETE ON chunks BEGIN
            DELETE FROM chunk_data;
        END;
        CREATE VIEW w AS SELECT * FROM meta;
        CREATE TRIGGER w_ins INSTEAD OF INSERT ON w BEGIN
            DELETE FROM meta;
        END;""")
    return 0


def c_views(db):
    db.executescript("""
        CREATE VIEW summary AS SELECT load_extension('/nonexistent/evil.so') AS x;
        CREATE VIEW dump AS SELECT writefile('/tmp/kscope-hostile', 'x') AS x;
        CREATE VIEW errors AS SELECT load_extension('/nonexistent/evil.so') AS x;
        CREATE VIEW busy AS SELECT count(*) AS n FROM syscalls;
        CREATE VIEW hours AS SELECT fmt_dur(sum(dur)) AS d FROM syscalls;""")
    return 0


def c_generated(db):
    # chunks.ts_last computed by an unsafe function (SQLite refuses to
    # create that; the file can still say it)
    db.execute("PRAGMA writable_schema = ON")
    db.execute("UPDATE sqlite_schema SET sql = 'CREATE TABLE chunks(id INTEGER"
               " PRIMARY KEY, kind INTEGER NOT NULL, ts_first INTEGER NOT NULL,"
               " ts_last INTEGER AS (load_extension(''/nonexistent/evil.so'')),"
               " count INTEGER NOT NULL, raw_size INTEGER NOT NULL,"
               " stored_size INTEGER NOT NULL, codec INTEGER NOT NULL)'"
               " WHERE name = 'chunks'")
    db.commit()
    db.execute("PRAGMA writable_schema = OFF")
    return 0


def c_crossdb(db):
    # views SQLite would not create: over another schema, and one that
    # attaches a database (the file can only hold them as text)
    db.execute("PRAGMA writable_schema = ON")
    db.execute("INSERT INTO sqlite_schema VALUES('view', 'other', 'other', 0,"
               " 'CREATE VIEW other AS SELECT * FROM temp.sqlite_temp_master')")
    db.execute("INSERT INTO sqlite_schema VALUES('view', 'att', 'att', 0,"
               " 'CREATE VIEW att AS ATTACH ''/tmp/x'' AS x')")
    db.commit()
    db.execute("PRAGMA writable_schema = OFF")
    return 0


def c_huge_raw(db):
    # the index's sizes lie (info shows them; nothing allocates by them)
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET raw_size = 9000000000000000000,"
               " stored_size = -5 WHERE id = ?", (cid,))
    return cid


def c_huge_column(db):
    # a column that declares 300 MiB raw (past the decoder's limit)
    data = b'\x05' * 5
    cols = [(0, 300 << 20, data)] + [plain([1] * 5) for _ in range(4)]
    return add_chunk(db, 3, T0, T0 + 4, 5, blob(5, cols), raw=25)


def c_lz4_bomb(db):
    # an "LZ4" column of 8 bytes that declares 64 MiB raw
    data = bytes(8)
    cols = [(0x81, 64 << 20, data)] + [plain([1] * 5) for _ in range(4)]
    return add_chunk(db, 3, T0, T0 + 4, 5, blob(5, cols), raw=25)


def c_count_lie(db):
    # header and index agree on 60000 events; the columns hold 5
    ts = [T0 + i for i in range(5)]
    return add_chunk(db, 3, T0, T0 + 4, 60000, migrate_blob(ts, 60000),
                     raw=60000)


def c_no_columns(db):
    return add_chunk(db, 3, T0, T0 + 4, 60000, blob(60000, []), raw=60000)


def c_count_huge(db):
    # past the format's 65536 events a chunk (index and header agree)
    ts = [T0 + i for i in range(5)]
    return add_chunk(db, 3, T0, T0 + 4, 4000000, migrate_blob(ts, 4000000))


def c_missing_blob(db):
    cid = first_syscall_chunk(db)
    db.execute("DELETE FROM chunk_data WHERE id = ?", (cid,))
    return cid


def c_text_blob(db):
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunk_data SET data = 42 WHERE id = ?", (cid,))
    return cid


def c_dup_ids(db):
    # chunks without a primary key, one row twice
    cid = first_syscall_chunk(db)
    db.executescript("""
        ALTER TABLE chunks RENAME TO chunks_old;
        CREATE TABLE chunks(id INTEGER, kind INTEGER NOT NULL,
            ts_first INTEGER NOT NULL, ts_last INTEGER NOT NULL,
            count INTEGER NOT NULL, raw_size INTEGER NOT NULL,
            stored_size INTEGER NOT NULL, codec INTEGER NOT NULL);
        INSERT INTO chunks SELECT * FROM chunks_old;
        DROP TABLE chunks_old;
        CREATE INDEX chunks_by_kind ON chunks(kind, ts_first);""")
    db.execute("INSERT INTO chunks SELECT * FROM chunks WHERE id = ?", (cid,))
    return cid


def c_span_narrow(db):
    # the index says the chunk starts 5 ms after its first event
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET ts_first = ts_first + 5000000 WHERE id = ?",
               (cid,))
    return cid


def c_span_late(db):
    # ... or ends 5 ms before its last one
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET ts_last = ts_last - 5000000 WHERE id = ?",
               (cid,))
    return cid


def c_span_wide(db):
    # a wider span than the events is only slower, never wrong
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET ts_first = 0, ts_last = 9000000000000000000"
               " WHERE id = ?", (cid,))
    return cid


def c_unsorted(db):
    ts = [T0 + 30, T0 + 10, T0 + 20, T0 + 40]
    return add_chunk(db, 3, T0 + 10, T0 + 40, 4, migrate_blob(ts))


def c_bad_kind(db):
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET kind = 99 WHERE id = ?", (cid,))
    db.execute("UPDATE chunks SET kind = -1 WHERE id = ?", (cid + 1,))
    return cid


# ---- index spans: rows of the chunk index that no scan would meet --------

def c_neg_span(db):
    # every syscall chunk's span negative: ts >= 0 scans never met them
    db.execute("UPDATE chunks SET ts_first = -5, ts_last = -1 WHERE kind = 0")
    return first_syscall_chunk(db)


def c_reversed_span(db):
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET ts_first = ts_last + 1 WHERE id = ?", (cid,))
    return cid


def c_zero_count(db):
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET count = 0 WHERE id = ?", (cid,))
    return cid


def c_bad_codec(db):
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET codec = 7 WHERE id = ?", (cid,))
    return cid


def c_text_span(db):
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET ts_last = 'soon' WHERE id = ?", (cid,))
    return cid


def c_stored_lie(db):
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET stored_size = stored_size + 1 WHERE id = ?",
               (cid,))
    return cid


def c_orphan_data(db):
    # a blob no index row names: no scan would read it
    db.execute("INSERT INTO chunk_data(id, data) SELECT 999, data"
               " FROM chunk_data WHERE id = ?", (first_syscall_chunk(db),))
    return 999


def c_column_damage(db):
    # three chunks with a damaged column (a valid header: the column's
    # own checksum catches it), for kscope verify to list
    ids = [r[0] for r in db.execute("SELECT id FROM chunks WHERE kind = 0"
                                    " ORDER BY id LIMIT 3")]
    for cid in ids:
        data = bytearray(db.execute("SELECT data FROM chunk_data WHERE id = ?",
                                    (cid,)).fetchone()[0])
        data[-1] ^= 0xff
        db.execute("UPDATE chunk_data SET data = ? WHERE id = ?",
                   (bytes(data), cid))
    return ids[0]


def c_span_wide_verify(db):
    # a span wider than the events (harmless to scans; verify says so)
    cid = first_syscall_chunk(db)
    db.execute("UPDATE chunks SET ts_first = ts_first - 1 WHERE id = ?", (cid,))
    return cid


# ---- bombs: columns that claim far more than their events can need ------

def lz4_zeros(n):
    """An LZ4 block of about n/255 bytes that decompresses to n zero bytes:
    one literal, one match of offset 1 (its length in 255-bytes), then the
    5 literals a block ends with."""
    ext = n - 6 - 19
    return (bytes([0x1f, 0, 1, 0]) + b'\xff' * (ext // 255) +
            bytes([ext % 255, 0x50]) + bytes(5))


BOMB_EVENTS = 65536
BOMB_RAW = (256 << 20) - 64  # each column, as large as the codec once took


def bomb_blob(count, raw, ncols):
    data = lz4_zeros(raw)
    h = chunk_hash(data).to_bytes(4, 'little')
    hdr = bytearray(b'KC' + varint(count) + varint(ncols))
    for k in range(ncols):
        enc = 0x82 if k in (5, 16, 17) else 0x80  # syscalls' strings: dict
        hdr += bytes([enc]) + varint(raw) + varint(len(data)) + h
    hdr += chunk_hash(bytes(hdr)).to_bytes(4, 'little')
    return bytes(hdr) + data * ncols


def c_bomb(db):
    # 18 syscall columns of ~1 MiB, each claiming 256 MiB; the index's
    # raw_size says as much as the blob holds (not a lie the index check
    # can see), so the chunk reaches the decoder
    data = bomb_blob(BOMB_EVENTS, BOMB_RAW, 18)
    return add_chunk(db, 0, T0, T0, BOMB_EVENTS, data, raw=len(data))


def c_bomb_index(db):
    # the same, the index owning up to 18 x 256 MiB
    return add_chunk(db, 0, T0, T0, BOMB_EVENTS,
                     bomb_blob(BOMB_EVENTS, BOMB_RAW, 18))


def c_lz4_zeros(db):
    # the bomb's block, honest: 1000 zero varints for 1000 events (checks
    # lz4_zeros makes blocks LZ4 decodes)
    n = 1000
    cols = [(0x80, n, lz4_zeros(n))] * 5
    return add_chunk(db, 3, 0, 0, n, blob(n, cols))


def c_index_lies(db):
    # chunks_by_kind's b-tree holds (kind, ts_first) but the schema now
    # says (kind, ts_last): SQLite would pick chunks by the wrong values
    db.execute("PRAGMA writable_schema = ON")
    db.execute("UPDATE sqlite_schema SET sql = 'CREATE INDEX chunks_by_kind"
               " ON chunks(kind, ts_last)' WHERE name = 'chunks_by_kind'")
    db.commit()
    db.execute("PRAGMA writable_schema = OFF")
    return 0


def writable_schema(db, sql, *args):
    db.execute("PRAGMA writable_schema = ON")
    db.execute(sql, args)
    db.commit()
    db.execute("PRAGMA writable_schema = OFF")


# Generated columns: SQLite computes them with built-in functions (zeroblob,
# hex, ... are allowed with untrusted schema off) on every read of a row;
# 200 MB of hex per row of meta or processes stalled every reader.
GEN = "substr(hex(zeroblob(200000000+length(%s)*0)),1,0)"


def c_gen_meta(db):
    db.executescript("""
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c
                                WHERE i < 100)
        INSERT INTO meta(key, value) SELECT 'zz'||i, 'v' FROM c;
        ALTER TABLE meta RENAME COLUMN value TO value0;
        ALTER TABLE meta ADD COLUMN value TEXT GENERATED ALWAYS AS
            (value0||%s) VIRTUAL;""" % (GEN % 'key'))
    return 0


def c_gen_comm(db):
    db.executescript("""
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c
                                WHERE i < 100)
        INSERT INTO processes(pid, start_ts, comm)
            SELECT 100000+i, i, 'x' FROM c;
        ALTER TABLE processes RENAME COLUMN comm TO comm0;
        ALTER TABLE processes ADD COLUMN comm TEXT GENERATED ALWAYS AS
            (comm0||%s) VIRTUAL;""" % (GEN % 'pid'))
    return 0


def c_gen_stored(db):
    # a STORED generated column costs nothing to read, but is not ours
    writable_schema(db, "UPDATE sqlite_schema SET sql = replace(sql,"
                    " 'exit_signal INTEGER', 'exit_signal INTEGER AS"
                    " (exit_code + 1) STORED') WHERE name = 'processes'")
    return 0


# Schema mutations: anything but the format's own objects is refused.
def c_sm_extra_column(db):
    db.execute("ALTER TABLE threads ADD COLUMN note TEXT")
    return 0


def c_sm_extra_table(db):
    db.execute("CREATE TABLE notes(x)")
    return 0


def c_sm_extra_index(db):
    # steers the planner: every lookup by comm would scan it
    db.execute("CREATE INDEX procs_by_comm ON processes(comm)")
    return 0


def c_sm_no_index(db):
    db.execute("DROP INDEX chunks_by_kind")
    return 0


def c_sm_view(db):
    db.execute("CREATE VIEW v AS SELECT * FROM meta")
    return 0


def c_sm_type(db):
    writable_schema(db, "UPDATE sqlite_schema SET sql = replace(sql,"
                    " 'count INTEGER NOT NULL, raw_size',"
                    " 'count TEXT NOT NULL, raw_size') WHERE name = 'chunks'")
    return 0


def c_sm_rowid_meta(db):
    # meta as a rowid table: same columns, other storage
    writable_schema(db, "UPDATE sqlite_schema SET sql = replace(sql,"
                    " ' WITHOUT ROWID', '') WHERE name = 'meta'")
    return 0


def c_sm_stat1(db):
    # planner statistics that the file could make lie
    db.execute("ANALYZE")
    return 0


def c_sm_missing_table(db):
    db.execute("DROP TABLE lost")
    return 0


# A file written before format 1.2 has no shed table: it is let be; a
# shed table of another shape is not.
def c_sm_no_shed(db):
    db.execute("DROP TABLE shed")
    return 0


def c_sm_shed_type(db):
    writable_schema(db, "UPDATE sqlite_schema SET sql = replace(sql,"
                    " 'dropped INTEGER NOT NULL', 'dropped BLOB NOT NULL')"
                    " WHERE name = 'shed'")
    return 0


# A file written before format 1.3 has no processes_by_comm index: it is
# let be; one on other columns is not.
def c_sm_no_comm_index(db):
    db.execute("DROP INDEX processes_by_comm")
    return 0


def c_sm_comm_index_cols(db):
    db.executescript("""DROP INDEX processes_by_comm;
        CREATE INDEX processes_by_comm ON processes(exe, pid);""")
    return 0


# A newer minor version may add tables (docs/FORMAT.md): plain ones are
# let be, code in them is not.
def c_minor_table(db):
    db.executescript("""
        UPDATE meta SET value = '1.9' WHERE key = 'format_version';
        CREATE TABLE future(a INTEGER PRIMARY KEY, b TEXT);
        CREATE INDEX future_b ON future(b);""")
    return 0


def c_minor_gen(db):
    db.executescript("""
        UPDATE meta SET value = '1.9' WHERE key = 'format_version';
        CREATE TABLE future(a, b AS (hex(zeroblob(100000000))));""")
    return 0


def c_minor_view(db):
    db.executescript("""
        UPDATE meta SET value = '1.9' WHERE key = 'format_version';
        CREATE VIEW future AS SELECT * FROM meta;""")
    return 0


def c_minor_shadow(db):
    # a table named like an event table would hide the real one
    db.executescript("""
        UPDATE meta SET value = '1.9' WHERE key = 'format_version';
        CREATE TABLE Syscalls(ts INTEGER);""")
    return 0


def c_minor_pragma(db):
    # ... or like a virtual table SQLite provides (the check reads it)
    db.executescript("""
        UPDATE meta SET value = '1.9' WHERE key = 'format_version';
        CREATE TABLE pragma_table_xinfo(name, type, "notnull", dflt_value,
                                        pk, hidden);""")
    return 0


def c_minor_index(db):
    # an index on a table of ours steers plans whatever the version
    db.executescript("""
        UPDATE meta SET value = '1.9' WHERE key = 'format_version';
        CREATE INDEX procs_by_comm ON processes(comm);""")
    return 0


# Format versions: meta's format_version and the header's user_version.
def c_ver_wrap(db):
    # 4294967297 is 1 modulo 2^32
    db.execute("UPDATE meta SET value = '4294967297.0'"
               " WHERE key = 'format_version'")
    return 0


def c_ver_negative(db):
    db.execute("UPDATE meta SET value = '-1.0' WHERE key = 'format_version'")
    return 0


def c_ver_junk(db):
    db.execute("UPDATE meta SET value = '1.0 beta'"
               " WHERE key = 'format_version'")
    return 0


def c_uv_zero(db):
    db.execute("PRAGMA user_version = 0")
    return 0


def c_uv_newer(db):
    db.execute("PRAGMA user_version = 2")
    return 0


def c_uv_negative(db):
    db.execute("PRAGMA user_version = -1")
    return 0


CASES = [(name[2:], fn) for name, fn in sorted(globals().items())
         if name.startswith('c_') and callable(fn)]


def ixm(ops):
    """fuzz-trace's index-mutation trailer: (row, col, value) ops."""
    b = b''.join(bytes([r, c]) + (v & M).to_bytes(8, 'little')
                 for r, c, v in ops)
    return b + bytes([len(ops)]) + b'KXI1'


def seeds(trace, out):
    """Seeds of the classes "index spans" (fuzz-trace: TRACE plus an
    index-mutation trailer) and "bombs" (fuzz-chunk: byte 0 = 0x80 | kind,
    then a blob whose LZ4 columns claim far more than their events)."""
    good = open(trace, 'rb').read()
    spans = {
        'index-neg-span': [(0, 2, -5), (0, 3, -1)],
        'index-reversed-span': [(1, 2, 1 << 40), (1, 3, 5)],
        'index-count-zero': [(0, 4, 0)],
        'index-kind-codec': [(2, 1, 99), (3, 7, 2)],
        'index-sizes': [(0, 5, 1 << 62), (1, 6, -5), (2, 0x85, 0)],
        # values the check accepts, for mutations to start from
        'index-wide-span': [(0, 2, 0), (1, 3, 1 << 62)],
        'index-raw-size': [(0, 5, 40000)],
    }
    for name, ops in spans.items():
        open('%s/corpus-trace/%s' % (out, name), 'wb').write(good + ixm(ops))
    n = 100
    for kind, ncols, raw in ((0, 18, 256 << 10), (3, 5, 1 << 20),
                             (4, 12, 64 << 10), (3, 5, n)):
        z = lz4_zeros(raw)
        h = chunk_hash(z).to_bytes(4, 'little')
        hdr = bytearray(b'KC' + varint(n) + varint(ncols))
        for k in range(ncols):
            hdr += bytes([0x80]) + varint(raw) + varint(len(z)) + h
        hdr += chunk_hash(bytes(hdr)).to_bytes(4, 'little')
        name = 'bomb-%d-%dx%d' % (kind, ncols, raw)
        open('%s/corpus-chunk/%s' % (out, name), 'wb').write(
            bytes([0x80 | kind]) + bytes(hdr) + z * ncols)


def main():
    if sys.argv[1] == '--seeds':
        seeds(sys.argv[2], sys.argv[3])
        return
    good, out = sys.argv[1], sys.argv[2]
    src = sqlite3.connect(good)
    self_check(src)
    src.close()
    only = sys.argv[3:]
    for name, fn in CASES:
        if only and name not in only:
            continue
        path = '%s/%s.kscope' % (out, name)
        shutil.copyfile(good, path)
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("BEGIN")
        cid = fn(db)
        if db.in_transaction:
            db.execute("COMMIT")
        db.close()
        print(name, cid)


main()
