/*
 * test-compact.c - format 1.3's smaller chunks: ts stored as gaps after
 * the previous event's end, zstd columns (chunk_dec_recompress), and
 * store_compact on whole files.
 *
 * Oracles: the events put into a chunk (the codec must give them back
 * bit for bit, edge values included), and the same trace read before
 * compaction (every event, in the cursor's order, must come out equal).
 */
#include "store/store.h"
#include "store/chunk.h"
#include "store/varint.h"
#include "tests/synth.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define EVBUF 256
#define NROWS 300

static char dir[] = "/tmp/kscope-test-compact-XXXXXX";

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Every stored field of D in A and B equal (strings and blobs by bytes). */
static void same_event(const struct ev_desc *d, const void *a, const void *b)
{
	for (unsigned f = 0; f < d->nfields; f++) {
		const struct ev_field *fl = &d->fields[f];
		if (fl->flags & EVF_DERIVED)
			continue;
		if (ev_type_is_bytes(fl->type)) {
			const char *x = ev_get_str(fl, a), *y = ev_get_str(fl, b);
			size_t n = !x ? 0 : fl->type == EVT_BLOB ?
				   ev_blob_len(x) + EV_BLOB_HDR : strlen(x) + 1;
			if ((!x || !y) ? x != y : memcmp(x, y, n))
				fail_msg("%s.%s differs", d->table, fl->name);
		} else if (ev_get_int(fl, a) != ev_get_int(fl, b)) {
			fail_msg("%s.%s: %lld != %lld", d->table, fl->name,
				 (long long)ev_get_int(fl, a),
				 (long long)ev_get_int(fl, b));
		}
	}
}

/* Seal the N events EV of D (ts order) into B, decode the blob (and, with
 * LEVEL > 0, its recompression), compare; returns column 0's encoding
 * byte of the blob checked. */
static uint8_t round_trip(const struct ev_desc *d, unsigned char (*ev)[EVBUF],
			  uint32_t n, int level)
{
	struct chunk_builder *b = chunk_builder_new(d, NROWS);
	struct chunk_dec *dec = chunk_dec_new(d), *dec2 = chunk_dec_new(d);
	struct chunk_dec *rd = dec; /* the decoder of the blob checked */
	struct chunk_blob blob;
	char err[CHUNK_ERRLEN];
	unsigned char out[EVBUF];
	uint64_t u;

	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(chunk_builder_add(b, ev[i]), 0);
	assert_int_equal(chunk_builder_seal(b, &blob), 0);
	assert_int_equal(blob.count, n);
	if (!n) {
		chunk_builder_free(b);
		chunk_dec_free(dec);
		chunk_dec_free(dec2);
		return 0;
	}
	assert_int_equal(chunk_dec_load(dec, blob.data, blob.size, n, err), 0);
	if (level) {
		struct chunk_blob z;
		if (chunk_dec_recompress(dec, level, &z, err) < 0)
			fail_msg("recompress: %s", err);
		assert_true(z.size <= blob.size);
		assert_int_equal(z.raw_size, blob.raw_size);
		if (chunk_dec_load(dec2, z.data, z.size, n, err) < 0)
			fail_msg("load: %s", err);
		blob = z;
		rd = dec2;
	}
	for (uint32_t i = 0; i < n; i++) {
		memset(out, 0, sizeof(out));
		if (chunk_dec_row(rd, i, out, err) < 0)
			fail_msg("row %u: %s", i, err);
		same_event(d, ev[i], out);
	}
	/* column 0's encoding byte: after the magic, count and ncols */
	const uint8_t *p = (const uint8_t *)blob.data + 2;
	p += varint_get(p, p + 20, &u);
	p += varint_get(p, p + 20, &u);
	uint8_t enc = *p;
	chunk_builder_free(b);
	chunk_dec_free(dec);
	chunk_dec_free(dec2);
	return enc;
}

static void set_span(unsigned char *ev, int64_t ts, int64_t dur)
{
	const struct ev_desc *d = ev_desc(EV_SYSCALL);

	ev_set_int(&d->fields[0], ev, ts);
	ev_set_int(&d->fields[1], ev, dur);
}

/* ts as gaps after the previous end: what back-to-back calls make, edge
 * values, no rows, one row, all rows equal. */
static void test_gap_edges(void **state)
{
	const struct ev_desc *d = ev_desc(EV_SYSCALL);
	static unsigned char ev[NROWS][EVBUF];
	static const int64_t edge[] = {
		0, 1, -1, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
	};
	uint64_t t = 1000000;

	assert_true(d->fields[1].flags & EVF_SPAN);
	memset(ev, 0, sizeof(ev));
	/* back to back, 5 to 20 ns apart, durations all over: gaps win */
	for (unsigned i = 0; i < NROWS; i++) {
		int64_t dur = (int64_t)(rnd() % 100000);
		set_span(ev[i], (int64_t)t, dur);
		t += (uint64_t)dur + 5 + rnd() % 16;
	}
	assert_int_equal(round_trip(d, ev, NROWS, 0) & 0x0f, 4);
	assert_int_equal(round_trip(d, ev, NROWS, 3) & 0x0f, 4);
	assert_int_equal(round_trip(d, ev, NROWS, 3) & 0xc0, 0x40);

	/* edge durations and ts (ts sorted as unsigned: the builder sorts) */
	for (unsigned i = 0; i < NROWS; i++) {
		uint64_t ts = (uint64_t)edge[i % 7] + i / 7;
		set_span(ev[i], (int64_t)(ts & INT64_MAX),
			 edge[(i * 3 + 1) % 7]);
	}
	/* as the builder will order them, to compare row by row */
	for (unsigned i = 1; i < NROWS; i++)
		for (unsigned j = i; j > 0 && (uint64_t)ev_ts(ev[j - 1]) >
					      (uint64_t)ev_ts(ev[j]); j--) {
			unsigned char tmp[EVBUF];
			memcpy(tmp, ev[j], EVBUF);
			memcpy(ev[j], ev[j - 1], EVBUF);
			memcpy(ev[j - 1], tmp, EVBUF);
		}
	round_trip(d, ev, NROWS, 0);
	round_trip(d, ev, NROWS, 19);
	round_trip(d, ev, 0, 0);
	round_trip(d, ev, 1, 0);
	round_trip(d, ev, 1, 1);
	for (unsigned i = 0; i < NROWS; i++)
		set_span(ev[i], INT64_MAX, INT64_MIN);
	round_trip(d, ev, NROWS, 0);
	round_trip(d, ev, NROWS, 5);
	(void)state;
}

/* Recompressed chunks of every kind give their events back, and every
 * flipped byte and every cut is caught. */
static void test_recompress_hostile(void **state)
{
	static unsigned char ev[NROWS][EVBUF];

	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		const struct ev_desc *d = ev_desc(k);
		struct chunk_builder *b = chunk_builder_new(d, NROWS);
		struct chunk_dec *dec = chunk_dec_new(d);
		struct chunk_blob blob, z;
		char err[CHUNK_ERRLEN];

		memset(ev, 0, sizeof(ev));
		for (unsigned i = 0; i < NROWS; i++) {
			for (unsigned f = 1; f < d->nfields; f++) {
				const struct ev_field *fl = &d->fields[f];
				if (fl->flags & EVF_DERIVED)
					continue;
				if (fl->type == EVT_STR)
					ev_set_str(fl, ev[i], rnd() % 3 ?
						   "/usr/lib/libc.so" : NULL);
				else if (!ev_type_is_bytes(fl->type))
					ev_set_int(fl, ev[i],
						   (int64_t)(rnd() % 8));
			}
			ev_set_int(&d->fields[0], ev[i], 1000 + i * 10);
		}
		round_trip(d, ev, NROWS, 3);

		for (unsigned i = 0; i < NROWS; i++)
			assert_int_equal(chunk_builder_add(b, ev[i]), 0);
		assert_int_equal(chunk_builder_seal(b, &blob), 0);
		assert_int_equal(chunk_dec_load(dec, blob.data, blob.size,
						NROWS, err), 0);
		assert_int_equal(chunk_dec_recompress(dec, 3, &z, err), 0);
		unsigned char *copy = malloc(z.size);
		memcpy(copy, z.data, z.size);
		for (size_t i = 0; i < z.size; i++) {
			copy[i] ^= 0x5a;
			int rc = chunk_dec_load(dec, copy, z.size, NROWS, err);
			for (unsigned f = 0; rc == 0 && f < d->nfields; f++)
				rc = chunk_dec_column(dec, f, err);
			assert_int_equal(rc, -EBADMSG);
			copy[i] ^= 0x5a;
		}
		for (size_t i = 0; i < z.size; i++) {
			int rc = chunk_dec_load(dec, copy, i, NROWS, err);
			for (unsigned f = 0; rc == 0 && f < d->nfields; f++)
				rc = chunk_dec_column(dec, f, err);
			assert_int_equal(rc, -EBADMSG);
		}
		free(copy);
		chunk_dec_free(dec);
		chunk_builder_free(b);
	}
	(void)state;
}

static void synth_trace(const char *p, uint64_t syscalls)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	char err[STORE_ERRLEN] = "";

	o.syscalls = syscalls;
	o.errbuf = err;
	if (synth_write(p, &o) < 0)
		fail_msg("synth_write: %s", err);
}

static off_t file_size(const char *p)
{
	struct stat sb;

	assert_int_equal(stat(p, &sb), 0);
	return sb.st_size;
}

/* The page size SQLite's file header gives P (bytes 16-17, big-endian;
 * 1 means 65536). */
static unsigned page_size(const char *p)
{
	unsigned char h[18];
	FILE *f = fopen(p, "rb");

	assert_non_null(f);
	assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
	fclose(f);
	unsigned n = (unsigned)h[16] << 8 | h[17];
	return n == 1 ? 65536 : n;
}

/* Every event of A and B, in cursor order, equal. */
static void same_trace(const char *a, const char *b)
{
	char err[STORE_ERRLEN];
	struct store *sa = store_open(a, err), *sb;

	if (!sa)
		fail_msg("%s", err);
	if (!(sb = store_open(b, err)))
		fail_msg("%s", err);
	struct store_cursor *ca = store_cursor_open(sa, EV_KIND_ALL, 0,
						    UINT64_MAX);
	struct store_cursor *cb = store_cursor_open(sb, EV_KIND_ALL, 0,
						    UINT64_MAX);
	uint64_t n = 0;
	for (;;) {
		enum ev_kind ka, kb;
		const void *ea, *eb;
		int ra = store_cursor_next(ca, &ka, &ea);
		int rb = store_cursor_next(cb, &kb, &eb);
		assert_int_equal(ra, rb);
		if (ra <= 0)
			break;
		assert_int_equal(ka, kb);
		same_event(ev_desc(ka), ea, eb);
		n++;
	}
	assert_true(n > 1000);
	assert_int_equal(store_verify(sb), 0);
	store_cursor_close(ca);
	store_cursor_close(cb);
	store_close(sa);
	store_close(sb);
}

static void test_compact_file(void **state)
{
	char a[300], b[300], err[STORE_ERRLEN];
	struct store_compact_sum sum;
	struct stat sb;

	snprintf(a, sizeof(a), "%s/a.kscope", dir);
	snprintf(b, sizeof(b), "%s/b.kscope", dir);
	synth_trace(a, 20000);
	synth_trace(b, 20000);
	assert_int_equal(chmod(b, 0640), 0);
	if (store_compact(b, 9, &sum, err) < 0)
		fail_msg("store_compact: %s", err);
	assert_int_equal(sum.before, file_size(a));
	assert_int_equal(sum.after, file_size(b));
	assert_true(sum.after < sum.before);
	assert_true(sum.chunks > 0);
	assert_int_equal(stat(b, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	/* small pages: less room lost at the end of each blob and table */
	assert_int_equal(page_size(b), STORE_COMPACT_PAGE_SIZE);
	assert_true(page_size(a) != STORE_COMPACT_PAGE_SIZE);
	same_trace(a, b);

	struct store *st = store_open(b, err);
	assert_non_null(st);
	assert_string_equal(store_meta(st, "format_version"), "1.3");
	store_close(st);
	/* again: nothing left to gain, still the same events */
	if (store_compact(b, 9, &sum, err) < 0)
		fail_msg("store_compact: %s", err);
	same_trace(a, b);
	(void)state;
}

/* Events of KIND in [LO, HI] that the cursor of P gives. */
static uint64_t range_count(const char *p, enum ev_kind kind, uint64_t lo,
			    uint64_t hi)
{
	char err[STORE_ERRLEN];
	struct store *st = store_open(p, err);
	uint64_t n = 0;
	enum ev_kind k;
	const void *e;

	if (!st)
		fail_msg("%s", err);
	struct store_cursor *c = store_cursor_open(st, 1u << kind, lo, hi);
	while (store_cursor_next(c, &k, &e) > 0)
		n++;
	store_cursor_close(c);
	store_close(st);
	return n;
}

/* Chunks of KIND in P's index. */
static int64_t chunks_of(const char *p, enum ev_kind kind)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n;

	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM chunks "
					    "WHERE kind = ?1", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int(s, 1, kind);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* Small chunks of a kind are merged into chunks of up to
 * CHUNK_EVENTS_MAX events: the same events, in the same order, found by
 * the same time ranges (the chunk index spans the merged rows). */
static void test_compact_merge(void **state)
{
	char a[300], b[300], err[STORE_ERRLEN] = "";
	struct store_writer_opts wo = { .force = 1, .chunk_events = 1000 };
	struct synth_opts o = SYNTH_OPTS_INIT;
	struct synth_info info;
	struct store_compact_sum sum;

	snprintf(a, sizeof(a), "%s/ma.kscope", dir);
	snprintf(b, sizeof(b), "%s/mb.kscope", dir);
	o.syscalls = 70000; /* more than one chunk's worth */
	o.writer = &wo;
	o.errbuf = err;
	o.info = &info;
	for (int i = 0; i < 2; i++)
		if (synth_write(i ? b : a, &o) < 0)
			fail_msg("synth_write: %s", err);
	assert_int_equal(chunks_of(b, EV_SYSCALL), 70);
	if (store_compact(b, 3, &sum, err) < 0)
		fail_msg("store_compact: %s", err);
	assert_int_equal(chunks_of(b, EV_SYSCALL), 2);
	assert_true(chunks_of(b, EV_SWITCH) < chunks_of(a, EV_SWITCH));
	same_trace(a, b);
	uint64_t span = info.ts_last - info.ts_first;
	for (int i = 0; i < 10; i++) {
		uint64_t lo = info.ts_first + span / 10 * (uint64_t)i;
		uint64_t hi = lo + span / 97;
		assert_int_equal(range_count(a, EV_SYSCALL, lo, hi),
				 range_count(b, EV_SYSCALL, lo, hi));
		assert_int_equal(range_count(a, EV_SWITCH, lo, hi),
				 range_count(b, EV_SWITCH, lo, hi));
	}
	(void)state;
}

/* The contents of file P. */
static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len + 1);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

/* PATH refused by store_compact with a message holding WANT, and left
 * byte for byte as it was, with no temporary file beside it. */
static void refused(const char *p, const char *want, int rc_want)
{
	char err[STORE_ERRLEN], tmp[320];
	struct store_compact_sum sum;
	size_t n0, n1;
	char *before = slurp(p, &n0), *after;

	int rc = store_compact(p, 3, &sum, err);
	if (rc >= 0 || !strstr(err, want))
		fail_msg("store_compact %d: %s", rc, err);
	if (rc_want)
		assert_int_equal(rc, rc_want);
	after = slurp(p, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(before, after, n0);
	snprintf(tmp, sizeof(tmp), "%s.compact.tmp", p);
	assert_int_equal(access(tmp, F_OK), -1);
	free(before);
	free(after);
}

static void sql_write(const char *p, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void test_compact_refuses(void **state)
{
	char p[300], err[STORE_ERRLEN];
	FILE *f;

	/* a damaged chunk: named, the file kept */
	snprintf(p, sizeof(p), "%s/bad.kscope", dir);
	synth_trace(p, 5000);
	sql_write(p, "UPDATE chunk_data SET data = CAST(substr(data, 1, 200) ||"
		     " CASE WHEN substr(data, 201, 1) = x'ff' THEN x'00' ELSE"
		     " x'ff' END || substr(data, 202) AS BLOB) WHERE id ="
		     " (SELECT min(id) FROM chunks WHERE kind = 0)");
	refused(p, "of syscalls: column", -EBADMSG);

	/* not a trace */
	snprintf(p, sizeof(p), "%s/text.kscope", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("not a trace\n", f);
	fclose(f);
	refused(p, "text.kscope", 0);

	/* being recorded (by another process: a process never sees its
	 * own POSIX locks) */
	snprintf(p, sizeof(p), "%s/live.kscope", dir);
	int ready[2], done[2];
	char c = 0;
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(done), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct store_writer *w = store_writer_open(p, NULL, err);
		if (!w || store_writer_flush(w) < 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(1);
		_exit(store_writer_close(w, err) < 0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	refused(p, "being recorded", -EBUSY);
	assert_int_equal(write(done[1], "d", 1), 1);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	(void)state;
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gap_edges),
		cmocka_unit_test(test_recompress_hostile),
		cmocka_unit_test(test_compact_file),
		cmocka_unit_test(test_compact_merge),
		cmocka_unit_test(test_compact_refuses),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
