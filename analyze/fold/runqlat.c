/*
 * runqlat.c - run queue latency per thread and for the window (see
 * runqlat.h).
 */
#include "config.h"
#include "analyze/fold/runqlat.h"
#include "analyze/fold/fold_sched.h"
#include "analyze/report/report_int.h"
#include "analyze/sql/sqlfn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT64_MAX

int fold_runqlat_init(struct fold_runqlat *q, const struct traced *tr,
		      const struct names *names, uint64_t to)
{
	memset(q, 0, sizeof(*q));
	q->tr = tr;
	q->names = names;
	q->to = to;
	return 0;
}

/* Buffer the rows of B into *V: TS, TID (column TID_COL) and, for a
 * switch (PREV_COL not 0), prev_tid and prev_state. */
static int buffer(struct fold_runqlat_ev **v, size_t *n, size_t *cap,
		  const struct store_batch *b, const uint8_t *keep,
		  unsigned tid_col, unsigned prev_col)
{
	const int64_t *ts = b->col[0], *tid = b->col[tid_col];
	const int64_t *prev = prev_col ? b->col[prev_col] : NULL;
	const int64_t *state = prev_col ? b->col[EVI_SWITCH_PREV_STATE] : NULL;

	if (report_grow(v, cap, *n + b->n, sizeof(**v)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++) {
		(*v)[*n] = (struct fold_runqlat_ev){
			.ts = (uint64_t)ts[i], .tid = (uint32_t)tid[i],
			.prev = prev ? (uint32_t)prev[i] : 0,
			.state = state ? state[i] : 0, .seq = (uint32_t)*n,
			.keep = !keep || keep[i] };
		(*n)++;
	}
	return 0;
}

int fold_runqlat_wake(void *arg, const struct store_batch *b,
		      const uint8_t *keep)
{
	struct fold_runqlat *q = arg;

	q->wakeups += b->n;
	return buffer(&q->wk, &q->nwk, &q->capwk, b, keep, EVI_WAKEUP_TID, 0);
}

int fold_runqlat_switch(void *arg, const struct store_batch *b,
			const uint8_t *keep)
{
	struct fold_runqlat *q = arg;

	return buffer(&q->sw, &q->nsw, &q->capsw, b, keep,
		      EVI_SWITCH_NEXT_TID, EVI_SWITCH_PREV_TID);
}

static int ev_cmp(const void *a, const void *b)
{
	const struct fold_runqlat_ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int sorted(const struct fold_runqlat_ev *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (v[i - 1].ts > v[i].ts)
			return 0;
	return 1;
}

/* The state of TID (first sight: off, no wait), or NULL. */
static struct fold_runqlat_tid *tid_state(struct fold_runqlat *q,
					  uint32_t tid)
{
	uint32_t ix;

	if (hmap_get(&q->stix, tid, &ix))
		return &q->st[ix];
	if (report_grow(&q->st, &q->capst, q->nst + 1, sizeof(*q->st)) < 0 ||
	    hmap_put(&q->stix, tid, (uint32_t)q->nst) < 0)
		return NULL;
	q->st[q->nst] = (struct fold_runqlat_tid){ .pend = NONE, .in = NONE };
	return &q->st[q->nst++];
}

/* A wakeup of TID at TS: its wait starts unless one is pending or it
 * runs.  Running with a hole since its switch-in, it may have gone off
 * in the hole: a wait of unknown start, taken from the switch-in so that
 * the hole lies in it (run leaves it out as holed). */
static int wake(struct fold_runqlat *q, uint32_t tid, uint64_t ts)
{
	struct fold_runqlat_tid *t = tid_state(q, tid);

	if (!t)
		return -ENOMEM;
	if (t->pend != NONE)
		return 0;
	if (t->in == NONE)
		t->pend = ts;
	else if (traced_hole_start(q->tr, UINT32_MAX, t->in, ts) != NONE)
		t->pend = t->in;
	return 0;
}

static struct fold_runqlat_thread *thread_get(struct fold_runqlat *q,
					      uint32_t tid)
{
	uint32_t ix;

	if (hmap_get(&q->thix, tid, &ix))
		return &q->th[ix];
	if (report_grow(&q->th, &q->capth, q->nth + 1, sizeof(*q->th)) < 0 ||
	    hmap_put(&q->thix, tid, (uint32_t)q->nth) < 0)
		return NULL;
	memset(&q->th[q->nth], 0, sizeof(q->th[0]));
	q->th[q->nth].tid = tid;
	return &q->th[q->nth++];
}

/* A switch-in of TID at TS: it runs, and its pending wait ends; the
 * wait counts when KEEP. */
static int run(struct fold_runqlat *q, uint32_t tid, uint64_t ts, int keep)
{
	struct fold_runqlat_thread *t;
	struct fold_runqlat_tid *s = tid_state(q, tid);
	uint64_t d, life, pend;
	int hole, b;

	if (!s)
		return -ENOMEM;
	pend = s->pend;
	s->pend = NONE;
	s->in = ts;
	if (pend == NONE || !keep)
		return 0;
	d = ts - pend;
	hole = traced_hole_start(q->tr, UINT32_MAX, pend, ts) != NONE;
	life = names_life(q->names, tid, q->to);
	if ((q->ok && !q->ok(q->ok_arg, life)) ||
	    !traced_at(q->tr, tid, ts, NULL))
		return 0;
	if (hole) {
		q->holed++;
		return 0;
	}
	if (!(t = thread_get(q, tid)) ||
	    report_grow(&q->lat, &q->caplat, q->nlat + 1,
			sizeof(*q->lat)) < 0)
		return -ENOMEM;
	q->lat[q->nlat++] = d;
	q->lat_sorted = 0;
	b = sqlfn_log2_bucket((int64_t)(d / 1000));
	q->hist[b]++;
	q->total_ns += d;
	if (d > q->max_ns)
		q->max_ns = d;
	t->hist[b]++;
	t->waits++;
	t->total_ns += d;
	if (d > t->max_ns || t->waits == 1) {
		t->max_ns = d;
		t->max_ts = ts;
	}
	return 0;
}

/* Switch E: its prev_tid stops running (still runnable: a wait starts;
 * asleep or dead: none is pending), its next_tid runs. */
static int sched_switch(struct fold_runqlat *q,
			const struct fold_runqlat_ev *e)
{
	struct fold_runqlat_tid *t;

	if (e->prev) {
		if (!(t = tid_state(q, e->prev)))
			return -ENOMEM;
		t->in = NONE;
		t->pend = fold_sched_state_class(e->state) ==
			  FOLD_OFF_PREEMPTED ? e->ts : NONE;
	}
	return e->tid ? run(q, e->tid, e->ts, e->keep) : 0;
}

int fold_runqlat_slice(void *arg, uint64_t lo, uint64_t hi)
{
	struct fold_runqlat *q = arg;
	int rc = 0;

	(void)lo;
	(void)hi;
	if (!sorted(q->wk, q->nwk))
		report_sort(q->wk, q->nwk, sizeof(*q->wk), ev_cmp);
	if (!sorted(q->sw, q->nsw))
		report_sort(q->sw, q->nsw, sizeof(*q->sw), ev_cmp);
	/* wakeups first on equal ts */
	for (size_t i = 0, j = 0; rc == 0 && (i < q->nsw || j < q->nwk);) {
		if (j < q->nwk && (i >= q->nsw || q->wk[j].ts <= q->sw[i].ts)) {
			rc = wake(q, q->wk[j].tid, q->wk[j].ts);
			j++;
		} else {
			rc = sched_switch(q, &q->sw[i]);
			i++;
		}
	}
	q->nwk = q->nsw = 0;
	return rc;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t fold_runqlat_pct(struct fold_runqlat *q, double p)
{
	size_t k;

	if (!q->nlat)
		return 0;
	if (!q->lat_sorted) {
		report_sort(q->lat, q->nlat, sizeof(*q->lat), u64_cmp);
		q->lat_sorted = 1;
	}
	k = (size_t)(p / 100.0 * (double)q->nlat + 0.999999999);
	return q->lat[k > 0 ? k - 1 : 0];
}

const struct fold_runqlat_thread *
fold_runqlat_find(const struct fold_runqlat *q, uint32_t tid)
{
	uint32_t ix;

	return hmap_get(&q->thix, tid, &ix) ? &q->th[ix] : NULL;
}

void fold_runqlat_free(struct fold_runqlat *q)
{
	free(q->wk);
	free(q->sw);
	free(q->st);
	hmap_free(&q->stix);
	free(q->th);
	hmap_free(&q->thix);
	free(q->lat);
	memset(q, 0, sizeof(*q));
}

int fold_runqlat_merge(struct fold_runqlat *q, const struct fold_runqlat *from)
{
	if (report_grow(&q->lat, &q->caplat, q->nlat + from->nlat,
			sizeof(*q->lat)) < 0)
		return -ENOMEM;
	if (from->nlat)
		memcpy(q->lat + q->nlat, from->lat, from->nlat *
		       sizeof(*q->lat));
	q->nlat += from->nlat;
	q->lat_sorted = 0;
	for (int b = 0; b < FOLD_RUNQLAT_BUCKETS; b++)
		q->hist[b] += from->hist[b];
	q->total_ns += from->total_ns;
	if (from->max_ns > q->max_ns)
		q->max_ns = from->max_ns;
	q->wakeups += from->wakeups;
	q->holed += from->holed;
	return 0;
}
