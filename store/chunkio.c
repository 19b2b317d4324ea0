/*
 * chunkio.c - read one chunk of the trace: its blob, its columns, the rows
 * of a time range.  The reader (reader.c), the virtual tables (vtab.c),
 * the merge (cursor.c), store_scan (scan.c) and store_verify (verify.c)
 * all read chunks through these; none of them calls another to do it.
 *
 *     sqlite3_blob *blob = NULL;
 *     if (store_chunk_read(db, &blob, id, count, d, dec, ctr, err) < 0 ||
 *         store_chunk_column(dec, id, d, 0, ctr, err) < 0)
 *             ...                              // err names the chunk
 *     store_chunk_rows(dec, lo, hi, &row, &end);
 *     sqlite3_blob_close(blob);
 */
#include "store/chunkio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *store_sql_reason(int rc, sqlite3 *db)
{
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
		return "not a kscope trace (not an SQLite database)";
	case SQLITE_CORRUPT:
		return "the trace is truncated or corrupt";
	default:
		return db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	}
}

int store_chunk_read(sqlite3 *db, sqlite3_blob **blob, int64_t id,
		     uint32_t count, const struct ev_desc *d,
		     struct chunk_dec *dec, struct store_counters *ctr,
		     char err[STORE_ERRLEN])
{
	char why[CHUNK_ERRLEN] = "";
	int rc;

	if (*blob)
		rc = sqlite3_blob_reopen(*blob, id);
	else
		rc = sqlite3_blob_open(db, "main", "chunk_data", "data", id, 0,
				       blob);
	if (rc != SQLITE_OK) {
		snprintf(err, STORE_ERRLEN, "chunk %lld of %s: cannot read "
			 "it: %s", (long long)id, d->table,
			 rc == SQLITE_ERROR ? "missing data" :
			 store_sql_reason(rc, db));
		if (*blob) {
			sqlite3_blob_close(*blob);
			*blob = NULL;
		}
		return rc == SQLITE_NOMEM ? -ENOMEM :
		       rc == SQLITE_ERROR ? -EBADMSG : -EIO;
	}
	int size = sqlite3_blob_bytes(*blob);
	void *buf = chunk_dec_reserve(dec, (size_t)size);
	if (!buf) {
		snprintf(err, STORE_ERRLEN, "chunk %lld of %s: out of memory "
			 "reading its %d bytes", (long long)id, d->table, size);
		return -ENOMEM;
	}
	rc = sqlite3_blob_read(*blob, buf, size, 0);
	if (rc != SQLITE_OK) {
		snprintf(err, STORE_ERRLEN, "chunk %lld of %s: cannot read "
			 "it: %s", (long long)id, d->table,
			 store_sql_reason(rc, db));
		return -EIO;
	}
	if (ctr)
		ctr->chunks_decoded++;
	rc = chunk_dec_parse(dec, (size_t)size, count, why);
	if (rc < 0 && !why[0])
		snprintf(why, sizeof(why), "%s", strerror(-rc));
	if (rc < 0)
		snprintf(err, STORE_ERRLEN, "chunk %lld of %s: %s",
			 (long long)id, d->table, why);
	return rc;
}

int store_chunk_column(struct chunk_dec *dec, int64_t id,
		       const struct ev_desc *d, unsigned field,
		       struct store_counters *ctr, char err[STORE_ERRLEN])
{
	char why[CHUNK_ERRLEN] = "";
	uint64_t before = chunk_dec_columns_done(dec);
	int rc = chunk_dec_column(dec, field, why);

	if (rc < 0 && !why[0]) /* never an empty reason */
		snprintf(why, sizeof(why), "column %u: %s", field,
			 strerror(-rc));
	if (rc < 0)
		snprintf(err, STORE_ERRLEN, "chunk %lld of %s: %s",
			 (long long)id, d->table, why);
	else if (ctr && chunk_dec_columns_done(dec) != before)
		ctr->columns_decoded++;
	return rc;
}

void store_chunk_rows(const struct chunk_dec *dec, uint64_t lo, uint64_t hi,
		      uint32_t *first, uint32_t *end)
{
	uint32_t n = chunk_dec_count(dec), a = 0, b = n;

	while (a < b) { /* first row with ts >= lo */
		uint32_t m = a + (b - a) / 2;
		if ((uint64_t)chunk_dec_int(dec, 0, m) < lo)
			a = m + 1;
		else
			b = m;
	}
	*first = a;
	b = n;
	while (a < b) { /* first row with ts > hi */
		uint32_t m = a + (b - a) / 2;
		if ((uint64_t)chunk_dec_int(dec, 0, m) <= hi)
			a = m + 1;
		else
			b = m;
	}
	*end = a;
}
