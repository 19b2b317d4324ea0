/*
 * runqlat.c - run queue latency per thread and for the window (see
 * runqlat.h).
 */
#include "config.h"
#include "analyze/fold/runqlat.h"
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

/* Buffer the kept rows of B (TS and TID columns) into *V. */
static int buffer(struct fold_runqlat_ev **v, size_t *n, size_t *cap,
		  const struct store_batch *b, const uint8_t *keep,
		  unsigned tid_col)
{
	const int64_t *ts = b->col[0], *tid = b->col[tid_col];

	if (report_grow(v, cap, *n + b->n, sizeof(**v)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++)
		if (!keep || keep[i]) {
			(*v)[*n] = (struct fold_runqlat_ev){
				(uint64_t)ts[i], (uint32_t)tid[i],
				(uint32_t)*n };
			(*n)++;
		}
	return 0;
}

int fold_runqlat_wake(void *arg, const struct store_batch *b,
		      const uint8_t *keep)
{
	struct fold_runqlat *q = arg;

	q->wakeups += b->n;
	return buffer(&q->wk, &q->nwk, &q->capwk, b, keep, EVI_WAKEUP_TID);
}

int fold_runqlat_switch(void *arg, const struct store_batch *b,
			const uint8_t *keep)
{
	struct fold_runqlat *q = arg;

	return buffer(&q->sw, &q->nsw, &q->capsw, b, keep,
		      EVI_SWITCH_NEXT_TID);
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

/* A wakeup of TID at TS: its wait starts unless one is pending. */
static int wake(struct fold_runqlat *q, uint32_t tid, uint64_t ts)
{
	uint32_t ix;

	if (hmap_get(&q->pix, tid, &ix)) {
		if (q->pend[ix] == NONE)
			q->pend[ix] = ts;
		return 0;
	}
	if (report_grow(&q->pend, &q->cappend, q->npend + 1,
			sizeof(*q->pend)) < 0 ||
	    hmap_put(&q->pix, tid, (uint32_t)q->npend) < 0)
		return -ENOMEM;
	q->pend[q->npend++] = ts;
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

/* A switch-in of TID at TS: the end of its pending wait. */
static int run(struct fold_runqlat *q, uint32_t tid, uint64_t ts)
{
	struct fold_runqlat_thread *t;
	uint32_t ix;
	uint64_t d, life;
	int hole, b;

	if (!hmap_get(&q->pix, tid, &ix) || q->pend[ix] == NONE)
		return 0;
	d = ts - q->pend[ix];
	hole = traced_hole_start(q->tr, UINT32_MAX, q->pend[ix], ts) != NONE;
	q->pend[ix] = NONE;
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
			rc = run(q, q->sw[i].tid, q->sw[i].ts);
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
	free(q->pend);
	hmap_free(&q->pix);
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
