/*
 * evlist.c - keyset paging over the merged event tables (see evlist.h):
 * streams, forward reads, the buffer, moves, search; reading backward is
 * evlist_back.c.
 *
 * A stream is one "ORDER BY ts" statement per table, stepped side by side;
 * the next event is the smallest (ts, kind) among the statements' current
 * rows, so rows are formatted only when they are kept.
 */
#include "config.h"
#include "tui/evlist_int.h"
#include "tui/agg.h"
#include "analyze/replay/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void evstream_close(struct evstream *s)
{
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		sqlite3_finalize(s->st[k]);
		s->st[k] = NULL;
		s->live[k] = s->pend[k] = 0;
	}
}

static int el_fail(struct evlist *el, int rc, const char *what)
{
	snprintf(el->err, sizeof(el->err), "%s: %s", what,
		 sqlite3_errmsg(store_db(el->st)));
	return rc;
}

static int stream_advance(struct evstream *s, int k)
{
	int rc = sqlite3_step(s->st[k]);

	s->live[k] = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return el_fail(s->el, -EIO, ev_desc(k)->table);
	if (rc == SQLITE_DONE && s->shi[k] < s->hi) {
		s->pend[k] = 1;
		s->next_lo[k] = s->shi[k] + 1;
	}
	return 0;
}

static int slice_open(struct evstream *s, int k)
{
	uint64_t lo = s->next_lo[k], w = s->el->slice_w[k];

	s->shi[k] = s->hi - lo >= w ? lo + w - 1 : s->hi;
	s->pend[k] = 0;
	sqlite3_reset(s->st[k]);
	sqlite3_bind_int64(s->st[k], 1, (int64_t)lo);
	sqlite3_bind_int64(s->st[k], 2, (int64_t)s->shi[k]);
	return stream_advance(s, k);
}

int evstream_open(struct evstream *s, struct evlist *el, uint64_t lo,
		  uint64_t hi)
{
	memset(s, 0, sizeof(*s));
	s->el = el;
	if (lo < el->from)
		lo = el->from;
	s->hi = hi > el->to ? el->to : hi;
	if (lo > s->hi)
		return 0;
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		if (!(el->kinds >> k & 1))
			continue;
		sqlite3_str *q = sqlite3_str_new(store_db(el->st));
		sqlite3_str_appendall(q, "SELECT ");
		replay_cols(ev_desc(k), q);
		sqlite3_str_appendf(q, " FROM %s WHERE ts >= ?1 AND ts <= ?2"
				    "%s%s%s ORDER BY ts", ev_desc(k)->table,
				    el->where[k] ? " AND (" : "",
				    el->where[k] ? el->where[k] : "",
				    el->where[k] ? ")" : "");
		char *sql = sqlite3_str_finish(q);
		if (!sql) {
			evstream_close(s);
			return -ENOMEM;
		}
		int rc = sqlite3_prepare_v2(store_db(el->st), sql, -1,
					    &s->st[k], NULL);
		sqlite3_free(sql);
		if (rc != SQLITE_OK) {
			el_fail(el, -EINVAL, ev_desc(k)->table);
			evstream_close(s);
			return -EINVAL;
		}
		el->queries++;
		s->pend[k] = 1;
		s->next_lo[k] = lo;
	}
	return 0;
}

int evstream_peek(struct evstream *s, int *kind, uint64_t *ts, uint32_t *ord,
		  uint64_t deadline)
{
	int best, opened = 0, rc;
	uint64_t bts;

	for (;;) {
		best = -1;
		bts = 0;
		for (int k = 0; k < EV_KIND_COUNT; k++) {
			if (!s->live[k])
				continue;
			uint64_t t = (uint64_t)sqlite3_column_int64(s->st[k], 0);
			if (best < 0 || t < bts) {
				best = k;
				bts = t;
			}
		}
		/* a table whose next slice could hold an earlier event */
		int need = -1;
		for (int k = 0; k < EV_KIND_COUNT && need < 0; k++)
			if (s->pend[k] && (best < 0 || s->next_lo[k] <= bts))
				need = k;
		if (need < 0)
			break;
		if (deadline && opened && agg_now_ns() >= deadline)
			return -EAGAIN;
		if ((rc = slice_open(s, need)) < 0)
			return rc;
		opened++;
	}
	if (best < 0)
		return 0;
	*kind = best;
	*ts = bts;
	*ord = s->started && bts == s->last_ts ? s->ord + 1 : 0;
	return 1;
}

int evstream_take(struct evstream *s, int kind, uint64_t ts, uint32_t ord)
{
	s->started = 1;
	s->last_ts = ts;
	s->ord = ord;
	return stream_advance(s, kind);
}

/* Load the row in statement S of KIND as replay does and format it. */
char *evlist_row_format(struct evlist *el, int kind, sqlite3_stmt *s,
			struct evbuf *b)
{
	union ev_any ev;

	memset(&ev, 0, sizeof(ev));
	replay_row_load(ev_desc(kind), s, &ev);
	evbuf_clear(b);
	if (evfmt_line(el->fmt, kind, &ev, b) < 0 || b->oom)
		return NULL;
	return strdup(b->p ? b->p : "");
}

static void rows_clear(struct evlist *el)
{
	for (size_t i = 0; i < el->n; i++)
		free(el->rows[i].text);
	free(el->rows);
	el->rows = NULL;
	el->n = el->sel = el->top = 0;
	evback_stop(el);
}

int evlist_key_cmp(uint64_t ts, uint32_t ord, uint64_t t2, uint32_t o2)
{
	if (ts != t2)
		return ts < t2 ? -1 : 1;
	return ord < o2 ? -1 : ord > o2;
}

/* The stream ends (end of data, a seek, End, the tail dropped): so does a
 * move down waiting for its rows. */
static void fwd_close(struct evlist *el)
{
	if (el->fwd) {
		evstream_close(el->fwd);
		free(el->fwd);
		el->fwd = NULL;
	}
	el->down_pending = 0;
}

/* Rows came after the buffer: a move down waiting for them goes on, top
 * following as the move's own page would have it. */
static void down_follow(struct evlist *el)
{
	size_t room = el->n ? el->n - 1 - el->sel : 0;
	size_t d = el->down_pending < room ? el->down_pending : room;

	if (!d)
		return;
	el->sel += d;
	el->down_pending -= d;
	if (el->sel >= el->top + el->down_page)
		el->top = el->sel + 1 - el->down_page;
}

static int rows_append(struct evlist *el, struct evrow r)
{
	static const size_t keep = 3000, trim_at = 6000;

	if (el->n >= trim_at) { /* drop the oldest rows, keep the screen */
		size_t drop = el->n - keep;
		if (drop > el->top)
			drop = el->top;
		for (size_t i = 0; i < drop; i++)
			free(el->rows[i].text);
		memmove(el->rows, el->rows + drop,
			(el->n - drop) * sizeof(*el->rows));
		el->n -= drop;
		el->sel -= drop;
		el->top -= drop;
		el->want = el->want > drop ? el->want - drop : 0;
		el->pre_want = el->pre_want > drop ? el->pre_want - drop : 0;
		if (drop) {
			el->at_start = 0;
			evback_stop(el); /* it read up to the rows dropped */
		}
	}
	if (!(el->n & (el->n - 1)) || el->n < 16) {
		size_t cap = el->n < 16 ? 16 : el->n * 2;
		void *p = realloc(el->rows, cap * sizeof(*el->rows));
		if (!p)
			return -ENOMEM;
		el->rows = p;
	}
	el->rows[el->n++] = r;
	return 0;
}

/* Read the forward stream on until the buffer holds TARGET rows, for
 * about BUDGET_NS.  1: stopped by the budget, 0, -errno. */
static int fwd_fill(struct evlist *el, size_t target, uint64_t budget_ns)
{
	uint64_t deadline = agg_now_ns() + budget_ns;
	struct evbuf b = EVBUF_INIT;
	struct evstream *s = el->fwd;
	unsigned n = 0;
	int rc = 0, k;
	uint64_t t;
	uint32_t o;

	while (s && el->n < target) {
		rc = evstream_peek(s, &k, &t, &o, deadline);
		if (rc == -EAGAIN) {
			rc = 1;
			break;
		}
		if (rc <= 0)
			break;
		if (el->skipping) {
			if (evlist_key_cmp(t, o, el->skip_ts, el->skip_ord) < 0) {
				if ((rc = evstream_take(s, k, t, o)) < 0)
					break;
				if (agg_now_ns() >= deadline) {
					rc = 1;
					break;
				}
				continue;
			}
			el->skipping = 0;
		}
		char *text = evlist_row_format(el, k, s->st[k], &b);
		if (!text || rows_append(el, (struct evrow){ .ts = t, .ord = o,
				.kind = (uint8_t)k, .text = text }) < 0) {
			free(text);
			rc = -ENOMEM;
			break;
		}
		if (el->seeking && evlist_key_cmp(t, o, el->seek_ts, el->seek_ord) >= 0) {
			el->sel = el->top = el->n - 1;
			el->seeking = 0;
		}
		if ((rc = evstream_take(s, k, t, o)) < 0)
			break;
		/* every row: with a sparse filter one step may scan a chunk */
		if (++n && agg_now_ns() >= deadline) {
			rc = 1;
			break;
		}
	}
	evbuf_free(&b);
	if (rc < 0) {
		fwd_close(el);
		if (rc == -ENOMEM)
			snprintf(el->err, sizeof(el->err), "out of memory");
		return rc;
	}
	down_follow(el);
	if (rc == 0 && s && el->n < target) { /* the stream ran out */
		el->at_end = 1;
		fwd_close(el);
	}
	return rc;
}

int evlist_fill(struct evlist *el, uint64_t budget_ns)
{
	int rc;

	if (el->back && !el->back_spec) {
		if ((rc = evback_step(el, budget_ns)) < 0)
			return rc;
		return evlist_pending(el);
	}
	if ((rc = fwd_fill(el, el->want, budget_ns)) < 0)
		return rc;
	if (el->seeking && !evlist_pending(el)) {
		el->seeking = 0; /* nothing at or after the key */
		el->sel = el->n ? el->n - 1 : 0;
		el->top = el->sel;
	}
	return evlist_pending(el);
}

static int fwd_reopen(struct evlist *el);

int evlist_prefetch(struct evlist *el, size_t page, uint64_t budget_ns)
{
	int rc;

	if (page < 1)
		page = 1;
	if (evlist_pending(el) || !el->n)
		return 0;
	/* two pages above the screen (a prefetch under way goes on) */
	if (el->back || (!el->at_start && el->top < 2 * page)) {
		size_t need = el->top < 3 * page ? 3 * page - el->top : page;
		if ((rc = evback_start(el, need, 1, 0, 0)) < 0)
			return rc;
		return (rc = evback_step(el, budget_ns)) < 0 ? rc : 1;
	}
	/* and two below it */
	if (!el->at_end && el->n - el->top < 3 * page) {
		if (!el->fwd && (rc = fwd_reopen(el)) < 0)
			return rc;
		el->pre_want = el->top + 4 * page;
		if ((rc = fwd_fill(el, el->pre_want, budget_ns)) < 0)
			return rc;
		return el->fwd && el->n < el->pre_want;
	}
	return 0;
}

/* Replace the buffer with the events from key (TS, ORD) on, N wanted;
 * the stream skips keys before (TS, ORD). */
static int fetch_forward(struct evlist *el, uint64_t ts, uint32_t ord,
			 size_t n, uint64_t budget)
{
	struct evstream *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	fwd_close(el);
	rows_clear(el);
	el->at_end = 0;
	if ((rc = evstream_open(s, el, ts, el->to)) < 0) {
		free(s);
		return rc;
	}
	el->fwd = s;
	el->want = n;
	el->pre_want = 0;
	el->skipping = 1; /* the stream starts at ts; keys before ORD go */
	el->skip_ts = ts;
	el->skip_ord = ord;
	rc = evlist_fill(el, budget);
	return rc < 0 ? rc : 0;
}

int evlist_seek(struct evlist *el, uint64_t ts, uint32_t ord, size_t page)
{
	int rc;

	if (page < 1)
		page = 1;
	if (ts < el->from)
		ts = el->from, ord = 0;
	/* forward only: the rows before come when the selection goes up */
	el->seeking = 1;
	el->seek_ts = ts;
	el->seek_ord = ord;
	el->sel = el->top = 0;
	if ((rc = fetch_forward(el, ts, ord, 4 * page, el->budget_ns)) < 0)
		return rc;
	el->at_start = ts == el->from && ord == 0;
	return 0;
}

/* Capacity rows_append expects for N rows. */
static size_t rows_cap(size_t n)
{
	size_t c = 16;

	while (c < n)
		c *= 2;
	return c;
}

int evlist_rows_prepend(struct evlist *el, const struct evrow *back,
			size_t nb)
{
	static const size_t keep = 3000, trim_at = 6000;
	size_t n = nb + el->n;
	struct evrow *rows;

	if (!nb)
		return 0;
	if (n > trim_at && el->n > keep) {
		/* drop rows at the end, far below the screen */
		size_t cut = el->n - (keep > el->sel + 1 ? keep : el->sel + 1);
		if (el->n - cut > el->sel) {
			for (size_t i = el->n - cut; i < el->n; i++)
				free(el->rows[i].text);
			el->n -= cut;
			n -= cut;
			fwd_close(el);
			el->at_end = 0;
			el->want = el->n;
			el->pre_want = 0;
		}
	}
	rows = malloc(rows_cap(n) * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	memcpy(rows, back, nb * sizeof(*rows));
	if (el->n) /* End fills an empty buffer: el->rows may be NULL */
		memcpy(rows + nb, el->rows, el->n * sizeof(*rows));
	free(el->rows);
	el->rows = rows;
	el->sel += el->n ? nb : 0;
	el->top += el->n ? nb : 0;
	el->n = n;
	el->want += nb;
	if (el->pre_want)
		el->pre_want += nb;
	return 0;
}

int evlist_end(struct evlist *el, size_t page)
{
	int rc;

	if (page < 1)
		page = 1;
	if (el->to == UINT64_MAX)
		return -EINVAL;
	fwd_close(el);
	rows_clear(el);
	el->seeking = el->skipping = 0;
	el->want = el->pre_want = 0;
	el->at_start = 0;
	el->at_end = 1;
	if ((rc = evback_start(el, page, 0, el->to + 1, 0)) < 0)
		return rc;
	el->back_page = page;
	rc = evback_step(el, el->budget_ns);
	return rc < 0 ? rc : 0;
}

/* Open a forward stream after the buffer's last row. */
static int fwd_reopen(struct evlist *el)
{
	struct evstream *s;
	const struct evrow *last = &el->rows[el->n - 1];
	int rc;

	if (!(s = calloc(1, sizeof(*s))))
		return -ENOMEM;
	if ((rc = evstream_open(s, el, last->ts, el->to)) < 0) {
		free(s);
		return rc;
	}
	el->fwd = s;
	el->skipping = 1;
	el->skip_ts = last->ts;
	el->skip_ord = last->ord + 1;
	return 0;
}

/* Down by DELTA rows (and any move down still waiting). */
static int move_down(struct evlist *el, size_t delta, size_t page)
{
	size_t room = el->n - 1 - el->sel;
	int rc;

	if (el->up_pending) { /* down cancels an unfinished up */
		el->up_pending = 0;
		el->back_spec = 1;
	}
	delta += el->down_pending;
	el->down_pending = 0;
	if (delta <= room || el->at_end) {
		el->sel += delta < room ? delta : room;
		return 0;
	}
	el->sel += room;
	delta -= room;
	if (!el->fwd && (rc = fwd_reopen(el)) < 0)
		return rc;
	/* The rows below the buffer: read on from the open stream for the
	 * budget; the rest of the move waits for them (evlist_fill). */
	el->down_pending = delta;
	el->down_page = page;
	el->want = el->n + delta + 4 * page;
	rc = evlist_fill(el, 2 * el->budget_ns);
	return rc < 0 ? rc : 0;
}

static int move_up(struct evlist *el, size_t delta, size_t page)
{
	size_t d = delta < el->sel ? delta : el->sel;
	int rc;

	if (el->down_pending) { /* up cancels an unfinished down */
		el->down_pending = 0;
		el->want = el->n;
	}
	el->sel -= d;
	delta -= d;
	if (!delta || el->at_start)
		return 0;
	/* The rows above the buffer: read for the budget; the rest of the
	 * move waits for them (evlist_fill), and a prefetch under way is
	 * taken over where it is. */
	el->up_pending += delta;
	if ((rc = evback_start(el, el->up_pending + 2 * page, 0, 0, 0)) < 0 ||
	    (rc = evback_step(el, el->budget_ns)) < 0)
		return rc;
	return 0;
}

int evlist_move(struct evlist *el, long delta, size_t page)
{
	int rc = 0;

	if (page < 1)
		page = 1;
	if (!el->n)
		return 0;
	if (delta) {
		el->back_page = 0; /* End's page no longer fills upward */
		rc = delta > 0 ? move_down(el, (size_t)delta, page) :
				 move_up(el, (size_t)-delta, page);
		if (rc < 0)
			return rc;
	}
	if (el->sel < el->top)
		el->top = el->sel;
	if (el->sel >= el->top + page)
		el->top = el->sel + 1 - page;
	return 0;
}

static void srch_close(struct evlist *el)
{
	if (el->srch) {
		evstream_close(el->srch);
		free(el->srch);
		el->srch = NULL;
	}
}

int evlist_search(struct evlist *el, const char *needle, int dir,
		  struct evlist_resume *resume, uint64_t budget_ns, size_t page)
{
	uint64_t deadline = agg_now_ns() + budget_ns;
	struct evbuf b = EVBUF_INIT;
	int rc, k, found = 0;
	unsigned n = 0;

	if (!el->n)
		return 0;
	if (dir < 0) {
		/* Backward: walk the buffer, then read before it with the
		 * selection on top (so the buffer's far end can go); the
		 * rows above the selection are the ones not searched yet. */
		for (;;) {
			for (size_t i = el->sel; i-- > 0;)
				if (strcasestr(el->rows[i].text, needle)) {
					el->back_spec = 1; /* nobody waits now */
					return evlist_move(el, (long)i - (long)el->sel,
							   page) < 0 ? -EIO : 1;
				}
			if (el->at_start)
				return 0;
			el->sel = el->top = 0;
			el->up_pending = el->back_page = el->down_pending = 0;
			uint64_t now = agg_now_ns();
			if ((rc = evback_start(el, 10 * page, 0, 0, 0)) < 0 ||
			    (rc = evback_step(el, deadline > now ? deadline - now :
						  1)) < 0)
				return rc;
			if (agg_now_ns() >= deadline && !el->at_start)
				return -EAGAIN;
		}
	}
	/* Forward: one stream from the selection on, kept open across calls
	 * while the search goes on, so each call reads on where the last
	 * stopped (a sparse filter can take many calls to reach a match). */
	if (!resume->active || !el->srch) {
		srch_close(el);
		if (!(el->srch = calloc(1, sizeof(*el->srch))))
			return -ENOMEM;
		el->srch_ts = el->rows[el->sel].ts;
		el->srch_ord = el->rows[el->sel].ord + 1;
		if ((rc = evstream_open(el->srch, el, el->srch_ts,
					el->to)) < 0) {
			free(el->srch);
			el->srch = NULL;
			return rc;
		}
	}
	struct evstream *s = el->srch;
	uint64_t t = 0, lt = resume->active ? resume->ts : el->srch_ts;
	uint32_t o = 0;
	while ((rc = evstream_peek(s, &k, &t, &o, deadline)) > 0) {
		if (evlist_key_cmp(t, o, el->srch_ts, el->srch_ord) >= 0) {
			char *text = evlist_row_format(el, k, s->st[k], &b);
			if (!text) {
				rc = -ENOMEM;
				break;
			}
			found = strcasestr(text, needle) != NULL;
			free(text);
			if (found)
				break;
			lt = t;
		}
		if ((rc = evstream_take(s, k, t, o)) < 0)
			break;
		if (++n % 128 == 0 && agg_now_ns() >= deadline)
			rc = -EAGAIN;
		if (rc == -EAGAIN)
			break;
	}
	evbuf_free(&b);
	if (rc == -EAGAIN) {
		resume->active = 1;
		resume->ts = lt; /* how far it got, for the status line */
		return -EAGAIN;
	}
	srch_close(el);
	resume->active = 0;
	if (rc < 0)
		return rc;
	if (!found)
		return 0;
	if ((rc = evlist_seek(el, t, o, page)) < 0)
		return rc;
	return 1;
}

/* Events per ns in the window from the chunk index (for back_key), and
 * per table the slice width: the window over the chunks it touches. */
static double density_estimate(struct evlist *el)
{
	sqlite3_stmt *s;
	double n = 0;
	uint64_t chunks[EV_KIND_COUNT] = { 0 };
	uint64_t span = el->to - el->from;

	if (sqlite3_prepare_v2(store_db(el->st), "SELECT kind, ts_first, "
			       "ts_last, count FROM chunks WHERE ts_last >= ?1"
			       " AND ts_first <= ?2", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, (int64_t)el->from);
	sqlite3_bind_int64(s, 2, (int64_t)el->to);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int k = sqlite3_column_int(s, 0);
		if (k < 0 || k >= EV_KIND_COUNT || !(el->kinds >> k & 1))
			continue;
		chunks[k]++;
		double a = (double)sqlite3_column_int64(s, 1);
		double z = (double)sqlite3_column_int64(s, 2);
		double c = (double)sqlite3_column_int64(s, 3);
		double lo = a > (double)el->from ? a : (double)el->from;
		double hi = z < (double)el->to ? z : (double)el->to;
		n += z > a ? c * (hi - lo + 1) / (z - a + 1) : c;
	}
	sqlite3_finalize(s);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		uint64_t w = chunks[k] > 1 ? span / chunks[k] : span;
		el->slice_w[k] = w < 1000 ? 1000 : w;
		if (span == UINT64_MAX || w == UINT64_MAX)
			el->slice_w[k] = UINT64_MAX;
	}
	return n / ((double)(el->to - el->from) + 1);
}

int evlist_init(struct evlist *el, struct store *st, struct evfmt *fmt,
		uint64_t from, uint64_t to, unsigned kinds,
		const char *const where[EV_KIND_COUNT])
{
	memset(el, 0, sizeof(*el));
	el->st = st;
	el->fmt = fmt;
	el->from = from;
	el->to = to < from ? from : to;
	el->kinds = kinds & EV_KIND_ALL;
	for (int k = 0; k < EV_KIND_COUNT && where; k++)
		if (where[k] && !(el->where[k] = strdup(where[k]))) {
			evlist_free(el);
			return -ENOMEM;
		}
	el->density = density_estimate(el);
	el->budget_ns = EVLIST_BUDGET_NS;
	return 0;
}

void evlist_free(struct evlist *el)
{
	fwd_close(el);
	srch_close(el);
	rows_clear(el);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		free(el->where[k]);
		el->where[k] = NULL;
	}
}
