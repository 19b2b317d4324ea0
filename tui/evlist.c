/*
 * evlist.c - keyset paging over the merged event tables (see evlist.h).
 *
 * A stream is one "ORDER BY ts" statement per table, stepped side by side;
 * the next event is the smallest (ts, kind) among the statements' current
 * rows, so rows are formatted only when they are kept.
 */
#include "config.h"
#include "tui/evlist.h"
#include "tui/agg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

union ev_any {
	struct ev_syscall sc;
	struct ev_switch sw;
	struct ev_wakeup wk;
	struct ev_migrate mg;
	struct ev_proc pr;
	struct ev_net nt;
};

/*
 * A stream reads each table in ts slices about one chunk wide (evlist
 * slice_w), one statement per table re-bound per slice, so that a single
 * sqlite3_step never scans more than about a chunk even when a sparse
 * filter matches nothing for a long time; stream_peek can then stop at a
 * deadline between slices and be called again later.
 */
struct evstream {
	struct evlist *el;
	sqlite3_stmt *st[EV_KIND_COUNT];
	int live[EV_KIND_COUNT]; /* statement has a current row */
	int pend[EV_KIND_COUNT]; /* slice done; the next starts at next_lo */
	uint64_t next_lo[EV_KIND_COUNT], shi[EV_KIND_COUNT];
	uint64_t hi;
	uint64_t last_ts;
	uint32_t ord;
	int started;
};

static void stream_close(struct evstream *s)
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

/* Events with LO <= ts <= HI in order; COLS "*" or "ts".  Reads nothing
 * yet. */
static int stream_open(struct evstream *s, struct evlist *el, uint64_t lo,
		       uint64_t hi, const char *cols)
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
		char *sql = sqlite3_mprintf(
			"SELECT %s FROM %s WHERE ts >= ?1 AND ts <= ?2%s%s%s "
			"ORDER BY ts", cols, ev_desc(k)->table,
			el->where[k] ? " AND (" : "",
			el->where[k] ? el->where[k] : "",
			el->where[k] ? ")" : "");
		if (!sql) {
			stream_close(s);
			return -ENOMEM;
		}
		int rc = sqlite3_prepare_v2(store_db(el->st), sql, -1,
					    &s->st[k], NULL);
		sqlite3_free(sql);
		if (rc != SQLITE_OK) {
			el_fail(el, -EINVAL, ev_desc(k)->table);
			stream_close(s);
			return -EINVAL;
		}
		el->queries++;
		s->pend[k] = 1;
		s->next_lo[k] = lo;
	}
	return 0;
}

/* The next event's kind (its statement holds the row), its key in *TS and
 * *ORD; 0 at the end; -EAGAIN when DEADLINE (0: none) passed before the
 * next event was known (call again); -errno.  Call stream_take() to move
 * past it. */
static int stream_peek(struct evstream *s, int *kind, uint64_t *ts,
		       uint32_t *ord, uint64_t deadline)
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

static int stream_take(struct evstream *s, int kind, uint64_t ts,
		       uint32_t ord)
{
	s->started = 1;
	s->last_ts = ts;
	s->ord = ord;
	return stream_advance(s, kind);
}

/* Build the event struct of the row in statement S of KIND and format it. */
static char *row_format(struct evlist *el, int kind, sqlite3_stmt *s,
			struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	union ev_any ev;

	memset(&ev, 0, sizeof(ev));
	for (unsigned i = 0; i < d->nfields && (int)i < sqlite3_column_count(s);
	     i++) {
		const struct ev_field *f = &d->fields[i];
		if (f->flags & EVF_DERIVED)
			continue;
		if (f->type == EVT_STR)
			ev_set_str(f, &ev, (const char *)sqlite3_column_text(s, (int)i));
		else
			ev_set_int(f, &ev, sqlite3_column_int64(s, (int)i));
	}
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
	el->back_need = 0;
}

/* Key (TS, ORD) compared with (T2, O2). */
static int key_cmp(uint64_t ts, uint32_t ord, uint64_t t2, uint32_t o2)
{
	if (ts != t2)
		return ts < t2 ? -1 : 1;
	return ord < o2 ? -1 : ord > o2;
}

/* The (up to) N events just before key (TS, ORD), formatted, oldest
 * first: *OUT (caller frees each text and the array) and *NOUT.
 *
 * Reads ts ranges backward from the key, each scanned forward in full: the
 * range just before the key first, then the one before that (twice as
 * wide while too few events turn up), keeping the last N events seen.  As
 * every range read is complete and adjacent to the ones after it, the
 * search may stop at BUDGET (ns; 0 none) with fewer than N events - once
 * it has found one - and what it found is still right.  *AT_START: the
 * events found reach the window's first. */
static int back_rows(struct evlist *el, uint64_t ts, uint32_t ord, size_t n,
		     struct evrow **out, size_t *nout, int *at_start,
		     uint64_t budget)
{
	double span = el->density > 0 ? 2.0 * (double)(n + 1) / el->density :
					 1e9;
	uint64_t deadline = budget ? agg_now_ns() + budget : 0;
	struct evrow *kept = calloc(n + 1, sizeof(*kept)), *rng = NULL;
	struct evbuf b = EVBUF_INIT;
	size_t have = 0, rcap = 0, total = 0, cnt = 0;
	uint64_t hi = ts; /* this range ends before key (hi, hord) */
	uint32_t hord = ord;
	int rc = 0, done_start = 0;

	*out = NULL;
	*nout = 0;
	if (!kept)
		return -ENOMEM;
	while (have < n) {
		uint64_t lo = span >= (double)(hi - el->from) ? el->from :
			      hi - (uint64_t)span;
		struct evstream s;
		int k;
		uint64_t t;
		uint32_t o;

		cnt = 0;
		if (hi < el->from || (hi == el->from && hord == 0)) {
			done_start = 1;
			break;
		}
		if ((rc = stream_open(&s, el, lo, hi, "*")) < 0)
			break;
		/* no deadline until something is found: always make progress */
		while ((rc = stream_peek(&s, &k, &t, &o, have ? deadline : 0)) > 0) {
			if (key_cmp(t, o, hi, hord) >= 0)
				break;
			if (cnt == rcap) {
				rcap = rcap ? rcap * 2 : 256;
				void *p = realloc(rng, rcap * sizeof(*rng));
				if (!p) {
					rc = -ENOMEM;
					break;
				}
				rng = p;
			}
			char *text = row_format(el, k, s.st[k], &b);
			if (!text) {
				rc = -ENOMEM;
				break;
			}
			rng[cnt++] = (struct evrow){ .ts = t, .ord = o,
						     .kind = (uint8_t)k,
						     .text = text };
			if ((rc = stream_take(&s, k, t, o)) < 0)
				break;
		}
		stream_close(&s);
		if (rc == -EAGAIN) /* this range is incomplete: drop it */
			rc = 0;
		else if (rc >= 0) {
			/* kept = (this range's last rows) + kept, at most N */
			size_t take = cnt < n - have ? cnt : n - have;
			total += cnt;
			memmove(kept + take, kept, have * sizeof(*kept));
			memcpy(kept, rng + (cnt - take), take * sizeof(*kept));
			for (size_t i = 0; i < cnt - take; i++)
				free(rng[i].text);
			have += take;
			cnt = 0;
			if (lo == el->from) {
				done_start = 1;
				break;
			}
			if (!(deadline && have && agg_now_ns() >= deadline)) {
				hi = lo;
				hord = 0;
				if (have < n)
					span *= 2;
				continue;
			}
		}
		break;
	}
	for (size_t i = 0; i < cnt; i++) /* an unfinished range */
		free(rng[i].text);
	free(rng);
	evbuf_free(&b);
	if (rc < 0) {
		for (size_t i = 0; i < have; i++)
			free(kept[i].text);
		free(kept);
		return rc;
	}
	/* learn the (filtered) density for the next read */
	if (have && ts > hi)
		el->density = (double)have / ((double)(ts - hi) + 1);
	*at_start = done_start && total <= n;
	*out = kept;
	*nout = have;
	return 0;
}

static void fwd_close(struct evlist *el)
{
	if (el->fwd) {
		stream_close(el->fwd);
		free(el->fwd);
		el->fwd = NULL;
	}
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
		if (drop)
			el->at_start = 0;
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

static int rows_prepend(struct evlist *el, struct evrow *back, size_t nb);

/* Rows wanted above the buffer (after a budgeted End): read a block,
 * keeping the bottom of the screen where it is. */
static int fill_back(struct evlist *el, uint64_t budget_ns)
{
	struct evrow *back;
	size_t nb, page = el->back_page ? el->back_page : 1;
	int at_start, rc;

	if (!el->n || el->at_start) {
		el->back_need = 0;
		return 0;
	}
	if ((rc = back_rows(el, el->rows[0].ts, el->rows[0].ord, el->back_need,
			    &back, &nb, &at_start, budget_ns)) < 0) {
		el->back_need = 0;
		return rc;
	}
	el->at_start = at_start;
	if ((rc = rows_prepend(el, back, nb)) < 0) {
		el->back_need = 0;
		return rc;
	}
	el->back_need = nb && nb < el->back_need && !at_start ?
				el->back_need - nb : 0;
	/* the page fills upward, the last event stays at the bottom */
	el->top = el->sel + 1 > page ? el->sel + 1 - page : 0;
	return el->back_need > 0;
}

int evlist_fill(struct evlist *el, uint64_t budget_ns)
{
	uint64_t deadline = agg_now_ns() + budget_ns;

	if (el->back_need)
		return fill_back(el, budget_ns);
	struct evbuf b = EVBUF_INIT;
	struct evstream *s = el->fwd;
	unsigned n = 0;
	int rc = 0, k;
	uint64_t t;
	uint32_t o;

	while (s && el->n < el->want) {
		rc = stream_peek(s, &k, &t, &o, deadline);
		if (rc == -EAGAIN) {
			rc = 1;
			break;
		}
		if (rc <= 0)
			break;
		if (el->skipping) {
			if (key_cmp(t, o, el->skip_ts, el->skip_ord) < 0) {
				if ((rc = stream_take(s, k, t, o)) < 0)
					break;
				if (agg_now_ns() >= deadline) {
					rc = 1;
					break;
				}
				continue;
			}
			el->skipping = 0;
		}
		char *text = row_format(el, k, s->st[k], &b);
		if (!text || rows_append(el, (struct evrow){ .ts = t, .ord = o,
				.kind = (uint8_t)k, .text = text }) < 0) {
			free(text);
			rc = -ENOMEM;
			break;
		}
		if (el->seeking && key_cmp(t, o, el->seek_ts, el->seek_ord) >= 0) {
			el->sel = el->top = el->n - 1;
			el->seeking = 0;
		}
		if ((rc = stream_take(s, k, t, o)) < 0)
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
	if (rc == 0 && s && el->n < el->want) { /* the stream ran out */
		el->at_end = 1;
		fwd_close(el);
	}
	if (el->seeking && !evlist_pending(el)) {
		el->seeking = 0; /* nothing at or after the key */
		el->sel = el->n ? el->n - 1 : 0;
		el->top = el->sel;
	}
	return evlist_pending(el);
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
	if ((rc = stream_open(s, el, ts, el->to, "*")) < 0) {
		free(s);
		return rc;
	}
	el->fwd = s;
	el->want = n;
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
	if ((rc = fetch_forward(el, ts, ord, 4 * page, EVLIST_BUDGET_NS)) < 0)
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

/* Put BACK (NB rows, oldest first; the array is freed) before the buffer. */
static int rows_prepend(struct evlist *el, struct evrow *back, size_t nb)
{
	static const size_t keep = 3000, trim_at = 6000;
	size_t n = nb + el->n;
	struct evrow *rows;

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
		}
	}
	rows = malloc(rows_cap(n) * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	memcpy(rows, back, nb * sizeof(*rows));
	memcpy(rows + nb, el->rows, el->n * sizeof(*rows));
	free(el->rows);
	free(back);
	el->rows = rows;
	el->n = n;
	el->sel += nb;
	el->top += nb;
	el->want += nb;
	return 0;
}

int evlist_end(struct evlist *el, size_t page)
{
	struct evrow *back;
	size_t nb;
	int at_start, rc;

	if (page < 1)
		page = 1;
	if (el->to == UINT64_MAX)
		return -EINVAL;
	if ((rc = back_rows(el, el->to + 1, 0, page, &back, &nb, &at_start,
			    EVLIST_BUDGET_NS)) < 0)
		return rc;
	fwd_close(el);
	rows_clear(el);
	el->seeking = el->skipping = 0;
	el->rows = malloc(rows_cap(nb) * sizeof(*el->rows));
	if (!el->rows) {
		for (size_t i = 0; i < nb; i++)
			free(back[i].text);
		free(back);
		return -ENOMEM;
	}
	memcpy(el->rows, back, nb * sizeof(*back));
	free(back);
	el->n = el->want = nb;
	el->at_start = at_start;
	el->at_end = 1;
	el->sel = el->n ? el->n - 1 : 0;
	el->top = el->sel + 1 > page ? el->sel + 1 - page : 0;
	el->back_need = nb && nb < page && !at_start ? page - nb : 0;
	el->back_page = page;
	return 0;
}

/* Open a forward stream after the buffer's last row. */
static int fwd_reopen(struct evlist *el)
{
	struct evstream *s;
	const struct evrow *last = &el->rows[el->n - 1];
	int rc;

	if (!(s = calloc(1, sizeof(*s))))
		return -ENOMEM;
	if ((rc = stream_open(s, el, last->ts, el->to, "*")) < 0) {
		free(s);
		return rc;
	}
	el->fwd = s;
	el->skipping = 1;
	el->skip_ts = last->ts;
	el->skip_ord = last->ord + 1;
	return 0;
}

int evlist_move(struct evlist *el, long delta, size_t page)
{
	int rc;

	if (page < 1)
		page = 1;
	while (delta) {
		if (!el->n)
			return 0;
		if (delta > 0) {
			size_t room = el->n - 1 - el->sel;
			size_t d = (size_t)delta < room ? (size_t)delta : room;
			el->sel += d;
			delta -= (long)d;
			if (!delta || el->at_end)
				break;
			if (!el->fwd && (rc = fwd_reopen(el)) < 0)
				return rc;
			/* read on from the open stream */
			size_t before = el->n;
			el->want = el->n + (size_t)delta + 4 * page;
			if ((rc = evlist_fill(el, 2 * EVLIST_BUDGET_NS)) < 0)
				return rc;
			if (el->n == before)
				break;
		} else {
			size_t d = (size_t)-delta < el->sel ? (size_t)-delta :
							      el->sel;
			el->sel -= d;
			delta += (long)d;
			if (!delta || el->at_start)
				break;
			/* read a block before the buffer */
			struct evrow *back;
			size_t nb;
			int at_start;
			if ((rc = back_rows(el, el->rows[0].ts, el->rows[0].ord,
					    10 * page, &back, &nb, &at_start,
					    EVLIST_BUDGET_NS)) < 0)
				return rc;
			el->at_start = at_start;
			if ((rc = rows_prepend(el, back, nb)) < 0)
				return rc;
			if (!nb)
				break;
		}
	}
	if (el->sel < el->top)
		el->top = el->sel;
	if (el->sel >= el->top + page)
		el->top = el->sel + 1 - page;
	return 0;
}

int evlist_search(struct evlist *el, const char *needle, int dir,
		  struct evlist_resume *resume, uint64_t budget_ns, size_t page)
{
	uint64_t deadline = agg_now_ns() + budget_ns;
	struct evbuf b = EVBUF_INIT;
	struct evstream s;
	uint64_t ts;
	uint32_t ord;
	int rc, k, found = 0;
	unsigned n = 0;

	if (!el->n)
		return 0;
	if (dir < 0) {
		/* Backward: walk the buffer, then refill before it. */
		for (;;) {
			for (size_t i = el->sel; i-- > 0;)
				if (strcasestr(el->rows[i].text, needle)) {
					return evlist_move(el, (long)i - (long)el->sel,
							   page) < 0 ? -EIO : 1;
				}
			if (el->at_start)
				return 0;
			if ((rc = evlist_move(el, -(long)el->sel - 1, page)) < 0)
				return rc;
			if (agg_now_ns() >= deadline)
				return -EAGAIN;
		}
	}
	if (resume->active) {
		ts = resume->ts;
		ord = resume->ord;
	} else {
		ts = el->rows[el->sel].ts;
		ord = el->rows[el->sel].ord + 1;
	}
	if ((rc = stream_open(&s, el, ts, el->to, "*")) < 0)
		return rc;
	uint64_t t = 0, lt = ts;
	uint32_t o = 0, lord = ord;
	while ((rc = stream_peek(&s, &k, &t, &o, deadline)) > 0) {
		if (key_cmp(t, o, ts, ord) >= 0) {
			char *text = row_format(el, k, s.st[k], &b);
			if (!text) {
				rc = -ENOMEM;
				break;
			}
			found = strcasestr(text, needle) != NULL;
			free(text);
			if (found)
				break;
			lt = t;
			lord = o + 1; /* resume after this one */
		}
		if ((rc = stream_take(&s, k, t, o)) < 0)
			break;
		if (++n % 128 == 0 && agg_now_ns() >= deadline)
			rc = -EAGAIN;
		if (rc == -EAGAIN)
			break;
	}
	if (rc == -EAGAIN) {
		resume->active = 1;
		resume->ts = lt;
		resume->ord = lord;
		stream_close(&s);
		evbuf_free(&b);
		return -EAGAIN;
	}
	stream_close(&s);
	evbuf_free(&b);
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
	return 0;
}

void evlist_free(struct evlist *el)
{
	fwd_close(el);
	rows_clear(el);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		free(el->where[k]);
		el->where[k] = NULL;
	}
}
