/*
 * scan.c - a columnar scan: the events of one kind, a chunk at a time, as
 * arrays of the columns asked for.
 *
 *     static int each(const struct store_batch *b, void *arg)
 *     {
 *             const int64_t *dur = b->col[1], *ret = b->col[8];
 *             for (uint32_t i = 0; i < b->n; i++) ...;
 *             return 0;                       // non-zero stops the scan
 *     }
 *     rc = store_scan(st, EV_SYSCALL, 1u << 1 | 1u << 8, lo, hi, each, arg);
 *
 * For aggregations that do not care about order across chunks (reports):
 * no SQL row machinery between the decoded columns and the caller, so a
 * pass over 10M events costs what decoding its columns costs.  Chunks come
 * in ts_first order; rows inside a batch are in ts order, but chunks of a
 * kind may overlap in time, so the batches are not globally sorted.  Only
 * the columns asked for are decoded (ts too when the range cuts a chunk),
 * and those FN reads row by row through store_batch_int / _str, which
 * decode a column of the chunk the first time they touch it: a report
 * reads a path only for the few rows that need one.
 */
#include "store/store_int.h"
#include "store/chunkio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode FIELD's column of B's chunk if not done yet. */
static int batch_column(const struct store_batch *b, unsigned field)
{
	const struct ev_desc *d = ev_desc(b->kind);

	if (field >= d->nfields)
		return -EINVAL;
	return store_chunk_column(b->dec, b->chunk, d, field, &b->st->ctr,
				  b->st->errmsg);
}

int store_batch_int(const struct store_batch *b, unsigned field, uint32_t i,
		    int64_t *out)
{
	int rc = batch_column(b, field);

	if (rc == 0)
		*out = chunk_dec_int(b->dec, field, b->first + i);
	return rc;
}

int store_batch_str(const struct store_batch *b, unsigned field, uint32_t i,
		    const char **out)
{
	int rc = batch_column(b, field);

	if (rc == 0)
		*out = chunk_dec_str(b->dec, field, b->first + i);
	return rc;
}

int store_scan(struct store *st, enum ev_kind kind, uint64_t fields,
	       uint64_t ts_from, uint64_t ts_to, store_scan_fn *fn, void *arg)
{
	const struct ev_desc *d = ev_desc(kind);
	struct chunk_dec *dec = NULL;
	sqlite3_blob *blob = NULL;
	sqlite3_stmt *s = NULL;
	struct store_batch b;
	int64_t *vals = NULL;
	size_t cap = 0;
	unsigned nf;
	int rc;

	if (!d || ts_from > ts_to)
		return d ? 0 : -EINVAL;
	nf = d->nfields < STORE_BATCH_FIELDS ? d->nfields : STORE_BATCH_FIELDS;
	fields &= nf >= 64 ? ~0ull : (1ull << nf) - 1;
	st->errmsg[0] = '\0';
	dec = chunk_dec_new(d);
	if (!dec)
		return -ENOMEM;
	rc = sqlite3_prepare_v2(st->db, "SELECT id, count, ts_first, ts_last"
				" FROM main.chunks WHERE kind = ?1 AND"
				" ts_last >= ?2 AND ts_first <= ?3"
				" ORDER BY ts_first, id", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s", st->path,
			 sqlite3_errmsg(st->db));
		rc = -EIO;
		goto out;
	}
	sqlite3_bind_int(s, 1, kind);
	sqlite3_bind_int64(s, 2, ts_from > INT64_MAX ? INT64_MAX :
			   (int64_t)ts_from);
	sqlite3_bind_int64(s, 3, ts_to > INT64_MAX ? INT64_MAX :
			   (int64_t)ts_to);
	rc = 0;
	for (;;) {
		int step = sqlite3_step(s);
		int64_t id, count;
		uint64_t first, last;
		uint32_t row = 0, end;
		size_t need;

		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			snprintf(st->errmsg, sizeof(st->errmsg), "%s: chunk "
				 "index: %s", st->path, sqlite3_errmsg(st->db));
			rc = -EIO;
			break;
		}
		id = sqlite3_column_int64(s, 0);
		count = sqlite3_column_int64(s, 1);
		first = (uint64_t)sqlite3_column_int64(s, 2);
		last = (uint64_t)sqlite3_column_int64(s, 3);
		if (count <= 0 || count > UINT32_MAX) {
			snprintf(st->errmsg, sizeof(st->errmsg), "chunk %lld of"
				 " %s: bad event count %lld", (long long)id,
				 d->table, (long long)count);
			rc = -EBADMSG;
			break;
		}
		rc = store_chunk_read(st->db, &blob, id, (uint32_t)count, d,
				      dec, &st->ctr, st->errmsg);
		if (rc < 0)
			break;
		end = (uint32_t)count;
		/* A ranged scan reads ts even when the index puts the whole
		 * chunk inside: the file could lie about the span, and
		 * decoding ts checks it (chunk_dec_span). */
		chunk_dec_span(dec, first, last);
		if (ts_from > 0 || ts_to < UINT64_MAX) {
			rc = store_chunk_column(dec, id, d, 0, &st->ctr,
						st->errmsg);
			if (rc < 0)
				break;
			store_chunk_rows(dec, ts_from, ts_to, &row, &end);
			if (row >= end)
				continue;
		}
		need = (size_t)(end - row) * nf;
		if (need > cap) {
			int64_t *v = realloc(vals, need * sizeof(*v));
			if (!v) {
				rc = -ENOMEM;
				break;
			}
			vals = v;
			cap = need;
		}
		memset(&b, 0, sizeof(b));
		b.kind = kind;
		b.chunk = id;
		b.n = end - row;
		b.dec = dec;
		b.st = st;
		b.first = row;
		for (unsigned f = 0; rc == 0 && f < nf; f++) {
			int64_t *v = vals + (size_t)f * b.n;

			if (!(fields >> f & 1))
				continue;
			rc = store_chunk_column(dec, id, d, f, &st->ctr,
						st->errmsg);
			if (rc < 0)
				break;
			for (uint32_t i = 0; i < b.n; i++)
				v[i] = chunk_dec_int(dec, f, row + i);
			b.col[f] = v;
		}
		if (rc < 0)
			break;
		if ((rc = fn(&b, arg)) != 0)
			break;
	}
out:
	sqlite3_finalize(s);
	sqlite3_blob_close(blob);
	chunk_dec_free(dec);
	free(vals);
	return rc;
}
