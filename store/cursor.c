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
 */
#include "store/store_int.h"

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
	_Alignas(8) unsigned char ev[EV_BUF];
};

struct store_cursor {
	struct store *st;
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

static void sift_up(struct store_cursor *c, size_t i)
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

static void sift_down(struct store_cursor *c, size_t i)
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

static int push(struct store_cursor *c, struct stream *s)
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

static void retire(struct store_cursor *c, struct stream *s)
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
static int list_next(struct store_cursor *c)
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
	snprintf(c->st->errmsg, sizeof(c->st->errmsg), "%s: %s", c->st->path,
		 sqlite3_errmsg(c->st->db));
	return -EIO;
}

/* Open the chunk the list stands on; pushes it unless it has no rows in
 * range. */
static int open_chunk(struct store_cursor *c)
{
	struct store *st = c->st;
	int64_t id = sqlite3_column_int64(c->list, 0);
	int kind = sqlite3_column_int(c->list, 1);
	int64_t count = sqlite3_column_int64(c->list, 2);
	const struct ev_desc *d = ev_desc(kind);
	struct stream *s = NULL;
	int rc;

	if (count <= 0 || count > UINT32_MAX) {
		snprintf(st->errmsg, sizeof(st->errmsg), "chunk %lld of %s: bad"
			 " event count %lld", (long long)id, d->table,
			 (long long)count);
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
			return -ENOMEM;
		}
		s->d = d;
	}
	s->id = id;
	rc = store_chunk_read(st->db, &s->blob, id, (uint32_t)count, d,
			      s->dec, &st->ctr, st->errmsg);
	for (unsigned f = 0; rc == 0 && f < d->nfields; f++)
		rc = store_chunk_column(s->dec, id, d, f, &st->ctr, st->errmsg);
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
	if ((rc = push(c, s)) < 0)
		stream_free(s);
	return rc;
}

struct store_cursor *store_cursor_open(struct store *st, unsigned kind_mask,
				       uint64_t ts_from, uint64_t ts_to)
{
	struct store_cursor *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		snprintf(st->errmsg, sizeof(st->errmsg), "out of memory");
		return NULL;
	}
	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		if (ev_desc(k)->size > EV_BUF) {
			snprintf(st->errmsg, sizeof(st->errmsg),
				 "event struct of %s too large",
				 ev_desc(k)->table);
			free(c);
			return NULL;
		}
	c->st = st;
	c->mask = kind_mask;
	c->lo = ts_from;
	c->hi = ts_to;
	rc = sqlite3_prepare_v2(st->db, "SELECT id, kind, count, ts_first FROM"
				" chunks WHERE ts_last >= ?1 AND ts_first <= ?2"
				" ORDER BY ts_first, id", -1, &c->list, NULL);
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s", st->path,
			 sqlite3_errmsg(st->db));
		free(c);
		return NULL;
	}
	sqlite3_bind_int64(c->list, 1,
			   ts_from > INT64_MAX ? INT64_MAX : (int64_t)ts_from);
	sqlite3_bind_int64(c->list, 2,
			   ts_to > INT64_MAX ? INT64_MAX : (int64_t)ts_to);
	if (ts_from > ts_to || list_next(c) < 0)
		c->have_next = 0;
	return c;
}

int store_cursor_next(struct store_cursor *c, enum ev_kind *kind,
		      const void **ev)
{
	char why[CHUNK_ERRLEN];
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
	if ((rc = chunk_dec_row(s->dec, s->row, s->ev, why)) < 0) {
		snprintf(c->st->errmsg, sizeof(c->st->errmsg), "chunk %lld of "
			 "%s: %s", (long long)s->id, s->d->table, why);
		return c->done = rc;
	}
	*kind = s->d->kind;
	*ev = s->ev;
	if (++s->row < s->end) {
		s->ts = (uint64_t)chunk_dec_int(s->dec, 0, s->row);
	} else {
		c->heap[0] = c->heap[--c->n];
		c->spent = s; /* its strings stay valid until the next call */
	}
	if (c->n)
		sift_down(c, 0);
	return 1;
}

void store_cursor_close(struct store_cursor *c)
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
