/*
 * verify.c - check a trace's chunk index at open, and every chunk on
 * request.
 *
 *     store_index_check(st, why, sizeof(why))  // store_open: index rows
 *     store_verify_each(st, fn, arg, &sum)     // kscope verify: every chunk
 *
 * Scans pick chunks by the index alone (kind, [ts_first, ts_last]), so an
 * index row that no scan can meet (a negative or reversed span, a kind
 * no table has) would hide its events without an error.  The open check
 * reads the index (one short row per chunk, plus the length of each blob,
 * which SQLite takes from the record header without reading the blob) and
 * refuses the file at the first row that breaks the format's rules,
 * naming the chunk.  The full check decodes every column of every chunk
 * and compares the chunk with its index row; it goes on past a bad chunk
 * and reports each.
 */
#include "store/store_int.h"
#include "store/chunkio.h"
#include "store/store_sql.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's format minor version (0 when unknown): a chunk kind this
 * build does not know is an error in a file of our minor or older, and
 * a newer minor's own kind (skipped by every scan) otherwise. */
static unsigned file_minor(sqlite3 *db)
{
	unsigned major = 0, minor = 0;
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, "SELECT value FROM main.meta WHERE key ="
			       " 'format_version'", -1, &s, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *ver = (const char *)sqlite3_column_text(s, 0);
		if (!ver || sscanf(ver, "%u.%u", &major, &minor) != 2)
			minor = 0;
	}
	sqlite3_finalize(s);
	return minor;
}

static int bad(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

enum { IX_ID, IX_KIND, IX_TS_FIRST, IX_TS_LAST, IX_COUNT, IX_RAW, IX_STORED,
       IX_CODEC, IX_DATA_TYPE, IX_DATA_LEN };

#define INDEX_SQL \
	"SELECT c.id, c.kind, c.ts_first, c.ts_last, c.count, c.raw_size," \
	" c.stored_size, c.codec, typeof(d.data), length(d.data)"        \
	" FROM main.chunks AS c LEFT JOIN main.chunk_data AS d"          \
	" ON d.id = c.id ORDER BY c.id"

/* Check the index row S stands on.  0, or -EBADMSG with WHY. */
static int check_row(sqlite3_stmt *s, unsigned minor, char *why, size_t len)
{
	int64_t id = sqlite3_column_int64(s, IX_ID);
	int64_t kind = sqlite3_column_int64(s, IX_KIND);
	int64_t first = sqlite3_column_int64(s, IX_TS_FIRST);
	int64_t last = sqlite3_column_int64(s, IX_TS_LAST);
	int64_t count = sqlite3_column_int64(s, IX_COUNT);
	int64_t raw = sqlite3_column_int64(s, IX_RAW);
	int64_t stored = sqlite3_column_int64(s, IX_STORED);
	int64_t codec = sqlite3_column_int64(s, IX_CODEC);
	const char *type = (const char *)sqlite3_column_text(s, IX_DATA_TYPE);
	int64_t dlen = sqlite3_column_int64(s, IX_DATA_LEN);
	const struct ev_desc *d;
	char name[64];

	for (int i = IX_ID; i <= IX_CODEC; i++)
		if (sqlite3_column_type(s, i) != SQLITE_INTEGER)
			return bad(why, len, "chunk %s: its index row holds a "
				   "%s where an integer belongs (%s)",
				   sqlite3_column_type(s, IX_ID) ==
				   SQLITE_INTEGER ? (snprintf(name,
				   sizeof(name), "%lld", (long long)id), name) :
				   "?", sqlite3_column_type(s, i) ==
				   SQLITE_NULL ? "NULL" : "non-integer",
				   sqlite3_column_name(s, i));
	if (kind < 0 || kind >= EV_KIND_COUNT) {
		if (kind < 0 || minor <= STORE_FORMAT_MINOR)
			return bad(why, len, "chunk %lld: unknown event kind "
				   "%lld", (long long)id, (long long)kind);
		d = NULL; /* a newer minor version's kind */
		snprintf(name, sizeof(name), "kind %lld", (long long)kind);
	} else {
		d = ev_desc((enum ev_kind)kind);
		snprintf(name, sizeof(name), "%s", d->table);
	}
	if (first < 0 || last < first)
		return bad(why, len, "chunk %lld of %s: bad time span [%lld, "
			   "%lld]", (long long)id, name, (long long)first,
			   (long long)last);
	if (count <= 0 || count > CHUNK_EVENTS_MAX)
		return bad(why, len, "chunk %lld of %s: bad event count %lld "
			   "(1 to %u)", (long long)id, name, (long long)count,
			   CHUNK_EVENTS_MAX);
	if (codec != CHUNK_CODEC_COLUMNAR)
		return bad(why, len, "chunk %lld of %s: unknown codec %lld",
			   (long long)id, name, (long long)codec);
	if (!type || !strcmp(type, "null"))
		return bad(why, len, "chunk %lld of %s: its data is missing",
			   (long long)id, name);
	if (strcmp(type, "blob"))
		return bad(why, len, "chunk %lld of %s: its data is a %s, not "
			   "a blob", (long long)id, name, type);
	if (stored != dlen)
		return bad(why, len, "chunk %lld of %s: the index gives %lld "
			   "stored bytes, its data has %lld", (long long)id,
			   name, (long long)stored, (long long)dlen);
	/* Every column takes a byte per event, and ts is always stored. */
	uint64_t most = d && minor <= STORE_FORMAT_MINOR ?
			chunk_raw_bound(d, (uint32_t)count) : UINT64_MAX;
	if (raw < count || (uint64_t)raw > most)
		return bad(why, len, "chunk %lld of %s: raw size %lld is out "
			   "of bounds for %lld events", (long long)id, name,
			   (long long)raw, (long long)count);
	if ((uint64_t)stored > chunk_blob_bound((uint64_t)raw))
		return bad(why, len, "chunk %lld of %s: %lld stored bytes for "
			   "%lld raw", (long long)id, name, (long long)stored,
			   (long long)raw);
	return 0;
}

static int check_orphans(sqlite3 *db, char *why, size_t len);

int store_index_check(sqlite3 *db, char *why, size_t len)
{
	unsigned minor = file_minor(db);
	sqlite3_stmt *s;
	int rc, step;

	rc = sqlite3_prepare_v2(db, INDEX_SQL, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return bad(why, len, "the chunk index cannot be read: %s",
			   sqlite3_errmsg(db));
	rc = 0;
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
		rc = check_row(s, minor, why, len);
	if (rc == 0 && step != SQLITE_DONE)
		rc = bad(why, len, "the chunk index cannot be read: %s",
			 sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc < 0 ? rc : check_orphans(db, why, len);
}

/* Data no index row names: a scan would never read it. */
static int check_orphans(sqlite3 *db, char *why, size_t len)
{
	sqlite3_stmt *s;
	int rc, step;

	rc = sqlite3_prepare_v2(db, "SELECT id FROM main.chunk_data WHERE"
				" id NOT IN (SELECT id FROM main.chunks)"
				" LIMIT 1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return bad(why, len, "the chunk data cannot be read: %s",
			   sqlite3_errmsg(db));
	rc = 0;
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		rc = bad(why, len, "chunk data %lld has no row in the chunk "
			 "index", (long long)sqlite3_column_int64(s, 0));
	else if (step != SQLITE_DONE)
		rc = bad(why, len, "the chunk data cannot be read: %s",
			 sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc;
}

/* Decode every column of chunk ID (index row S, kind D) and compare it
 * with its index row.  0, or a negative errno with WHY (STORE_ERRLEN). */
static int verify_chunk(struct store *st, sqlite3_stmt *s,
			const struct ev_desc *d, struct chunk_dec *dec,
			sqlite3_blob **blob, char *why)
{
	int64_t id = sqlite3_column_int64(s, IX_ID);
	uint64_t first = (uint64_t)sqlite3_column_int64(s, IX_TS_FIRST);
	uint64_t last = (uint64_t)sqlite3_column_int64(s, IX_TS_LAST);
	uint32_t count = (uint32_t)sqlite3_column_int64(s, IX_COUNT);
	uint64_t raw = (uint64_t)sqlite3_column_int64(s, IX_RAW);
	int rc;

	rc = store_chunk_read(st->db, blob, id, count, d, dec, &st->ctr, why);
	if (rc < 0)
		return rc;
	chunk_dec_span(dec, first, last);
	for (unsigned f = 0; f < d->nfields; f++)
		if ((rc = store_chunk_column(dec, id, d, f, &st->ctr, why)) < 0)
			return rc;
	if (chunk_dec_raw_size(dec) != raw)
		return bad(why, STORE_ERRLEN, "chunk %lld of %s: the index "
			   "gives %llu raw bytes, its columns hold %llu",
			   (long long)id, d->table, (unsigned long long)raw,
			   (unsigned long long)chunk_dec_raw_size(dec));
	uint64_t lo = (uint64_t)chunk_dec_int(dec, 0, 0);
	uint64_t hi = (uint64_t)chunk_dec_int(dec, 0, count - 1);
	if (lo != first || hi != last)
		return bad(why, STORE_ERRLEN, "chunk %lld of %s: the index "
			   "span [%llu, %llu] is not its events' [%llu, %llu]",
			   (long long)id, d->table, (unsigned long long)first,
			   (unsigned long long)last, (unsigned long long)lo,
			   (unsigned long long)hi);
	return 0;
}

int store_verify_each(struct store *st, store_verify_fn *fn, void *arg,
		      struct store_verify_sum *sum)
{
	struct chunk_dec *dec[EV_KIND_COUNT] = { 0 };
	unsigned minor = file_minor(st->db);
	sqlite3_blob *blob = NULL;
	char why[STORE_ERRLEN];
	sqlite3_stmt *s;
	int rc, step, stop = 0;

	memset(sum, 0, sizeof(*sum));
	rc = sqlite3_prepare_v2(st->db, INDEX_SQL, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s: the chunk index "
			 "cannot be read: %s", st->path, sqlite3_errmsg(st->db));
		return -EIO;
	}
	rc = 0;
	while (!stop && (step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t kind = sqlite3_column_int64(s, IX_KIND);
		const struct ev_desc *d = kind >= 0 && kind < EV_KIND_COUNT ?
					  ev_desc((enum ev_kind)kind) : NULL;
		int r;

		why[0] = '\0';
		sum->chunks++;
		r = check_row(s, minor, why, sizeof(why));
		if (r == 0 && !d) {
			sum->skipped++; /* a newer minor version's kind */
			continue;
		}
		if (r == 0 && !dec[kind] && !(dec[kind] = chunk_dec_new(d))) {
			snprintf(st->errmsg, sizeof(st->errmsg), "out of "
				 "memory");
			rc = -ENOMEM;
			break;
		}
		if (r == 0)
			r = verify_chunk(st, s, d, dec[kind], &blob, why);
		if (r == -ENOMEM && !why[0])
			snprintf(why, sizeof(why), "out of memory");
		if (r < 0) {
			sum->bad++;
			stop = fn(why, arg);
			if (r == -ENOMEM) {
				rc = r;
				break;
			}
			continue;
		}
		sum->events += (uint64_t)sqlite3_column_int64(s, IX_COUNT);
	}
	if (rc == 0 && !stop && step != SQLITE_DONE) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s: the chunk index "
			 "cannot be read: %s", st->path, sqlite3_errmsg(st->db));
		rc = -EIO;
	}
	sqlite3_finalize(s);
	sqlite3_blob_close(blob);
	for (int k = 0; k < EV_KIND_COUNT; k++)
		chunk_dec_free(dec[k]);
	if (rc == 0 && !stop) { /* the data side: blobs no row names */
		why[0] = '\0';
		if (check_orphans(st->db, why, sizeof(why)) < 0) {
			sum->bad++;
			fn(why, arg);
		}
	}
	return rc;
}

/* The first problem ends the check. */
static int first_only(const char *msg, void *arg)
{
	struct store *st = arg;

	snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg);
	return 1;
}

int store_verify(struct store *st)
{
	struct store_verify_sum sum;
	int rc = store_verify_each(st, first_only, st, &sum);

	if (rc < 0)
		return rc;
	return sum.bad ? -EBADMSG : 0;
}
