/*
 * evlist_back.c - reading the Events list backward (see evlist.h).
 *
 *     evback_start(el, 3 * page, 0, 0, 0);  // 3 pages before the buffer
 *     while (evback_step(el, budget) > 0)   // each call: about budget
 *             draw();
 *
 * The rows before a key K (the buffer's first row; just past the window
 * for End) are read in ts ranges that end at K: [K - span, K) first,
 * scanned forward in full by one stream, then the range before it, twice
 * as wide while too few events turn up.  A range read whole holds exactly
 * the events between its start and the buffer, so its rows go before the
 * buffer at once and its start becomes K.  A step stopped by its deadline
 * in the middle of a range keeps the range's open stream and the rows it
 * has so far (struct evback) and the next step goes on from there: no
 * step repeats another's work and each makes progress (at least one
 * stream slice, or 16 rows), so a sparse filter costs several short
 * steps, never one long one.
 *
 * When rows arrive the view follows whoever waits for them: a Page Up
 * that ran out of rows moves on (el->up_pending); End keeps the last row
 * at the bottom of its page (el->back_page); a prefetch (el->back_spec)
 * leaves the screen as it is.
 */
#include "config.h"
#include "tui/evlist_int.h"
#include "tui/agg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct evback {
	struct evstream s; /* the range being read, when open */
	int open;
	uint64_t lo, hi;   /* the range: lo <= ts, key < (hi, hord) */
	uint32_t hord;
	struct evrow *rng; /* its rows so far, oldest first */
	size_t cnt, cap;
	double span;       /* ns the next range covers */
	uint64_t start_ts; /* where this read began (for the density) */
	size_t found;      /* rows put before the buffer so far */
};

void evback_stop(struct evlist *el)
{
	struct evback *b = el->back;

	if (b) {
		if (b->open)
			evstream_close(&b->s);
		for (size_t i = 0; i < b->cnt; i++)
			free(b->rng[i].text);
		free(b->rng);
		free(b);
		el->back = NULL;
	}
	el->back_need = 0;
	el->back_spec = 0;
	el->back_page = 0;
	el->up_pending = 0;
}

int evback_start(struct evlist *el, size_t need, int spec, uint64_t ts,
		 uint32_t ord)
{
	struct evback *b;

	if (el->back) {
		if (need > el->back_need)
			el->back_need = need;
		if (!spec)
			el->back_spec = 0;
		return 0;
	}
	if (el->at_start || !need)
		return 0;
	if (!(b = calloc(1, sizeof(*b))))
		return -ENOMEM;
	if (el->n) {
		ts = el->rows[0].ts;
		ord = el->rows[0].ord;
	}
	b->hi = b->start_ts = ts;
	b->hord = ord;
	b->span = el->density > 0 ? 2.0 * (double)(need + 1) / el->density :
				    1e9;
	el->back = b;
	el->back_need = need;
	el->back_spec = spec;
	return 0;
}

/* NB rows went before the buffer: move the view for whoever waits. */
static void view_follow(struct evlist *el, size_t nb)
{
	if (!nb)
		return;
	if (el->up_pending) {
		size_t d = el->up_pending < el->sel ? el->up_pending : el->sel;
		el->sel -= d;
		el->up_pending -= d;
		if (el->sel < el->top)
			el->top = el->sel;
	} else if (el->back_page) {
		el->sel = el->n - 1;
		el->top = el->n > el->back_page ? el->n - el->back_page : 0;
	}
}

/* The range is read whole: its last rows (as many as wanted) go before
 * the buffer, and the next range ends where it began. */
static int range_done(struct evlist *el, struct evback *b)
{
	size_t cnt = b->cnt;
	size_t take = cnt < el->back_need ? cnt : el->back_need;
	int rc;

	evstream_close(&b->s);
	b->open = 0;
	b->cnt = 0;
	for (size_t i = 0; i < cnt - take; i++)
		free(b->rng[i].text);
	/* an empty range has no rows (b->rng may be NULL) */
	if (take &&
	    (rc = evlist_rows_prepend(el, b->rng + (cnt - take), take)) < 0) {
		for (size_t i = cnt - take; i < cnt; i++)
			free(b->rng[i].text);
		return rc;
	}
	b->found += take;
	el->back_need -= take;
	/* learn the (filtered) density for the next read */
	if (b->found && b->start_ts > b->lo)
		el->density = (double)b->found /
			      ((double)(b->start_ts - b->lo) + 1);
	view_follow(el, take);
	if (b->lo == el->from) {
		el->at_start = take == cnt;
		el->back_need = 0;
	} else {
		b->hi = b->lo;
		b->hord = 0;
		if (el->back_need)
			b->span *= 2;
	}
	return 0;
}

int evback_step(struct evlist *el, uint64_t budget_ns)
{
	uint64_t deadline = agg_now_ns() + budget_ns;
	struct evback *b = el->back;
	struct evbuf buf = EVBUF_INIT;
	int rc = 0, k;
	uint64_t t;
	uint32_t o;

	while (b && el->back_need) {
		if (!b->open) {
			if (b->hi < el->from ||
			    (b->hi == el->from && b->hord == 0)) {
				el->at_start = 1;
				el->back_need = 0;
				break;
			}
			b->lo = b->span >= (double)(b->hi - el->from) ?
					el->from : b->hi - (uint64_t)b->span;
			if ((rc = evstream_open(&b->s, el, b->lo, b->hi)) < 0)
				break;
			b->open = 1;
		}
		rc = evstream_peek(&b->s, &k, &t, &o, deadline);
		if (rc == -EAGAIN) {
			rc = 1;
			break;
		}
		if (rc < 0)
			break;
		if (rc > 0 && evlist_key_cmp(t, o, b->hi, b->hord) < 0) {
			if (b->cnt == b->cap) {
				size_t cap = b->cap ? b->cap * 2 : 256;
				void *p = realloc(b->rng, cap * sizeof(*b->rng));
				if (!p) {
					rc = -ENOMEM;
					break;
				}
				b->rng = p;
				b->cap = cap;
			}
			char *text = evlist_row_format(el, k, b->s.st[k], &buf);
			if (!text) {
				rc = -ENOMEM;
				break;
			}
			b->rng[b->cnt++] = (struct evrow){ .ts = t, .ord = o,
							   .kind = (uint8_t)k,
							   .text = text };
			if ((rc = evstream_take(&b->s, k, t, o)) < 0)
				break;
			if (b->cnt % 16 == 0 && agg_now_ns() >= deadline) {
				rc = 1;
				break;
			}
			continue;
		}
		if ((rc = range_done(el, b)) < 0)
			break;
		if (el->back_need && agg_now_ns() >= deadline) {
			rc = 1;
			break;
		}
	}
	evbuf_free(&buf);
	if (rc == -ENOMEM)
		snprintf(el->err, sizeof(el->err), "out of memory");
	if (rc < 0 || !el->back_need) {
		evback_stop(el);
		return rc < 0 ? rc : 0;
	}
	return 1;
}
