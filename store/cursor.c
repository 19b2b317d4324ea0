/*
 * cursor.c - events of several kinds, merged in time order.
 *
 * Chunks may overlap in time (within a kind too: the recorder seals chunks
 * as they fill, not at time boundaries), but rows inside a chunk are sorted.
 * So the cursor is a k-way merge over chunk streams: the chunk index rows in
 * range are taken in ts_first order; a chunk is opened only when its
 * ts_first is not after the smallest pending event, which keeps just the
 * overlapping chunks decoded at any time.  A min-heap orders the open
 * streams by (ts, kind, chunk id, row).
 *
 * The merge (store_merge_*) yields positions (a decoder and a row) and is
 * shared with the virtual tables, which stream ORDER BY ts through it; the
 * public cursor fills whole event structs from those positions.
 */
#include "store/store_int.h"
#include "store/chunkio.h"
#include "store/cursor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EV_BUF 256 /* bytes: at least the largest event struct */

struct stream {
	struct chunk_dec *dec;
	const struct ev_desc *d;
	sqlite3_blob *blob;
	int64_t id;
	uint32_t row, end;
	uint64_t ts; /* of ROW */
};

struct store_merge {
	sqlite3 *db;
	struct store_counters *ctr;
	char *err; /* STORE_ERRLEN bytes, the owner's */
	sqlite3_stmt *list;
	unsigned mask;
	uint64_t lo, hi;
	int have_next; /* list holds an unopened chunk row */
	int done;
	struct stream **heap;
	size_t n, cap;
	struct stream *spent; /* returned its last row; freed on next call */
	struct stream **pool; /* closed streams kept for reuse */
	size_t npool;
};

static void stream_free(struct stream *s)
{
	if (!s)
		return;
	chunk_dec_free(s->dec);
	sqlite3_blob_close(s->blob);
	free(s);
}

static int before(const struct stream *a, const struct stream *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	if (a->d->kind != b->d->kind)
		return a->d->kind < b->d->kind;
	return a->id < b->id;
}

static void sift_up(struct store_merge *c, size_t i)
{
	while (i) {
		size_t p = (i - 1) / 2;
		if (!before(c->heap[i], c->heap[p]))
			break;
		struct stream *t = c->heap[i];
		c->heap[i] = c->heap[p];
		c->heap[p] = t;
		i = p;
	}
}

static void sift_down(struct store_merge *c, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < c->n && before(c->heap[l], c->heap[m]))
			m = l;
		if (r < c->n && before(c->heap[r], c->heap[m]))
			m = r;
		if (m == i)
			break;
		struct stream *t = c->heap[i];
		c->heap[i] = c->heap[m];
		c->heap[m] = t;
		i = m;
	}
}

static int push(struct store_merge *c, struct stream *s)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct stream **h = realloc(c->heap, cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		c->heap = h;
		c->cap = cap;
	}
	c->heap[c->n++] = s;
	sift_up(c, c->n - 1);
	return 0;
}

static void retire(struct store_merge *c, struct stream *s)
{
	struct stream **p = realloc(c->pool, (c->npool + 1) * sizeof(*p));

	if (!p) {
		stream_free(s);
		return;
	}
	c->pool = p;
	c->pool[c->npool++] = s;
}

/* Step the chunk list to the next row of a wanted kind. */
static int list_next(struct store_merge *c)
{
	int rc;

	while ((rc = sqlite3_step(c->list)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(c->list, 1);
		if (kind >= 0 && kind < EV_KIND_COUNT &&
		    (c->mask & (1u << kind)))
			break;
	}
	c->have_next = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	snprintf(c->err, STORE_ERRLEN, "reading the chunk index: %s",
		 sqlite3_errmsg(c->db));
	return -EIO;
}

/* Open the chunk the list stands on; pushes it unless it has no rows in
 * range.  Only the ts column is decoded here; the caller decodes what it
 * reads. */
static int open_chunk(struct store_merge *c)
{
	int64_t id = sqlite3_column_int64(c->list, 0);
	int kind = sqlite3_column_int(c->list, 1);
	int64_t count = sqlite3_column_int64(c->list, 2);
	const struct ev_desc *d = ev_desc(kind);
	struct stream *s = NULL;
	int rc;

	if (count <= 0 || count > UINT32_MAX) {
		snprintf(c->err, STORE_ERRLEN, "chunk %lld of %s: bad event "
			 "count %lld", (long long)id, d->table, (long long)count);
		return -EBADMSG;
	}
	for (size_t i = 0; i < c->npool; i++) /* reuse a decoder of KIND */
		if (c->pool[i]->d == d) {
			s = c->pool[i];
			c->pool[i] = c->pool[--c->npool];
			break;
		}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s || !(s->dec = chunk_dec_new(d))) {
			free(s);
			snprintf(c->err, STORE_ERRLEN, "chunk %lld of %s: out "
				 "of memory", (long long)id, d->table);
			return -ENOMEM;
		}
		s->d = d;
	}
	s->id = id;
	rc = store_chunk_read(c->db, &s->blob, id, (uint32_t)count, d, s->dec,
			      c->ctr, c->err);
	if (rc == 0)
		chunk_dec_span(s->dec,
			       (uint64_t)sqlite3_column_int64(c->list, 3),
			       (uint64_t)sqlite3_column_int64(c->list, 4));
	if (rc == 0)
		rc = store_chunk_column(s->dec, id, d, 0, c->ctr, c->err);
	if (rc < 0) {
		stream_free(s);
		return rc;
	}
	store_chunk_rows(s->dec, c->lo, c->hi, &s->row, &s->end);
	if (s->row >= s->end) {
		retire(c, s);
		return 0;
	}
	s->ts = (uint64_t)chunk_dec_int(s->dec, 0, s->row);
	if ((rc = push(c, s)) < 0) {
		stream_free(s);
		snprintf(c->err, STORE_ERRLEN, "chunk %lld of %s: out of "
			 "memory", (long long)id, d->table);
	}
	return rc;
}

struct store_merge *store_merge_open(sqlite3 *db, unsigned kind_mask,
				     uint64_t ts_from, uint64_t ts_to,
				     struct store_counters *ctr,
				     char err[STORE_ERRLEN])
{
	struct store_merge *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		snprintf(err, STORE_ERRLEN, "out of memory");
		return NULL;
	}
	c->db = db;
	c->ctr = ctr;
	c->err = err;
	c->mask = kind_mask;
	c->lo = ts_from;
	c->hi = ts_to;
	rc = sqlite3_prepare_v2(db, "SELECT id, kind, count, ts_first, ts_last"
				" FROM main.chunks WHERE ts_last >= ?1 AND"
				" ts_first <= ?2 ORDER BY ts_first, id", -1,
				&c->list, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, STORE_ERRLEN, "reading the chunk index: %s",
			 sqlite3_errmsg(db));
		free(c);
		return NULL;
	}
	sqlite3_bind_int64(c->list, 1,
			   ts_from > INT64_MAX ? INT64_MAX : (int64_t)ts_from);
	sqlite3_bind_int64(c->list, 2,
			   ts_to > INT64_MAX ? INT64_MAX : (int64_t)ts_to);
	if (ts_from > ts_to)
		c->have_next = 0;
	else if (list_next(c) < 0) {
		store_merge_close(c);
		return NULL;
	}
	return c;
}

int store_merge_next(struct store_merge *c, struct store_merge_pos *pos)
{
	struct stream *s;
	int rc;

	if (c->spent) {
		retire(c, c->spent);
		c->spent = NULL;
	}
	if (c->done)
		return c->done < 0 ? c->done : 0;
	/* Open every chunk that may hold the next event. */
	while (c->have_next) {
		uint64_t first = (uint64_t)sqlite3_column_int64(c->list, 3);
		if (c->n && first > c->heap[0]->ts)
			break;
		if ((rc = open_chunk(c)) < 0 || (rc = list_next(c)) < 0)
			return c->done = rc;
	}
	if (!c->n) {
		c->done = 1;
		return 0;
	}
	s = c->heap[0];
	pos->d = s->d;
	pos->dec = s->dec;
	pos->chunk = s->id;
	pos->row = s->row;
	if (++s->row < s->end) {
		s->ts = (uint64_t)chunk_dec_int(s->dec, 0, s->row);
	} else {
		c->heap[0] = c->heap[--c->n];
		c->spent = s; /* its decoder stays valid until the next call */
	}
	if (c->n)
		sift_down(c, 0);
	return 1;
}

void store_merge_close(struct store_merge *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		stream_free(c->heap[i]);
	for (size_t i = 0; i < c->npool; i++)
		stream_free(c->pool[i]);
	stream_free(c->spent);
	sqlite3_finalize(c->list);
	free(c->heap);
	free(c->pool);
	free(c);
}

/* ---- the public cursor: the merge plus whole events ------------------ */

struct store_cursor {
	struct store *st;
	struct store_merge *m;
	_Alignas(8) unsigned char ev[EV_BUF];
};

struct store_cursor *store_cursor_open(struct store *st, unsigned kind_mask,
				       uint64_t ts_from, uint64_t ts_to)
{
	struct store_cursor *c;

	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		if (ev_desc(k)->size > EV_BUF) {
			snprintf(st->errmsg, sizeof(st->errmsg), "event struct "
				 "of %s too large", ev_desc(k)->table);
			return NULL;
		}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(st->errmsg, sizeof(st->errmsg), "out of memory");
		return NULL;
	}
	c->st = st;
	c->m = store_merge_open(st->db, kind_mask, ts_from, ts_to, &st->ctr,
				st->errmsg);
	if (!c->m) {
		free(c);
		return NULL;
	}
	return c;
}

int store_cursor_next(struct store_cursor *c, enum ev_kind *kind,
		      const void **ev)
{
	struct store_merge_pos p;
	int rc = store_merge_next(c->m, &p);

	if (rc <= 0)
		return rc;
	for (unsigned f = 0; f < p.d->nfields; f++)
		if ((rc = store_chunk_column(p.dec, p.chunk, p.d, f,
					     &c->st->ctr, c->st->errmsg)) < 0)
			return rc;
	memset(c->ev, 0, sizeof(c->ev));
	char why[CHUNK_ERRLEN] = "";
	if ((rc = chunk_dec_row(p.dec, p.row, c->ev, why)) < 0) {
		if (!why[0])
			snprintf(why, sizeof(why), "%s", strerror(-rc));
		snprintf(c->st->errmsg, sizeof(c->st->errmsg), "chunk %lld of "
			 "%s: %s", (long long)p.chunk, p.d->table, why);
		return rc;
	}
	*kind = p.d->kind;
	*ev = c->ev;
	return 1;
}

void store_cursor_close(struct store_cursor *c)
{
	if (!c)
		return;
	store_merge_close(c->m);
	free(c);
}
