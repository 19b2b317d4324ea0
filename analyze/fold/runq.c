/*
 * runq.c - runnable time per thread (see runq.h).
 */
#include "config.h"
#include "analyze/fold/runq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int fold_runq_init(struct fold_runq *q)
{
	memset(q, 0, sizeof(*q));
	return 0;
}

int fold_runq_batch(void *arg, const struct store_batch *b,
		    const uint8_t *keep)
{
	struct fold_runq *q = arg;
	const int64_t *ts = b->col[EVI_WAKEUP_TS];
	const int64_t *tid = b->col[EVI_WAKEUP_TID];

	if (report_grow(&q->wk, &q->capwk, q->nwk + b->n, sizeof(*q->wk)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++)
		if (!keep || keep[i]) {
			q->wk[q->nwk].ts = (uint64_t)ts[i];
			q->wk[q->nwk++].tid = (uint32_t)tid[i];
		}
	return 0;
}

static int wk_cmp(const void *a, const void *b)
{
	const struct fold_runq_wake *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static int period_cmp(const void *a, const void *b)
{
	const struct fold_off_period *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->out < y->out ? -1 : x->out > y->out;
}

static int th_cmp(const void *a, const void *b)
{
	const struct fold_runq_thread *x = a, *y = b;

	if (x->runnable_ns != y->runnable_ns)
		return x->runnable_ns < y->runnable_ns ? 1 : -1;
	return x->life < y->life ? -1 : x->life > y->life;
}

/* The first wakeup of TID after OUT, from *J on (both sorted), or
 * UINT64_MAX. */
static uint64_t first_wake(const struct fold_runq *q, size_t *j, uint32_t tid,
			   uint64_t out)
{
	while (*j < q->nwk && (q->wk[*j].tid < tid ||
			       (q->wk[*j].tid == tid && q->wk[*j].ts <= out)))
		(*j)++;
	return *j < q->nwk && q->wk[*j].tid == tid ? q->wk[*j].ts :
	       UINT64_MAX;
}

int fold_runq_finish(struct fold_runq *q, struct fold_sched *fs)
{
	struct hmap ix = { 0 };
	size_t j = 0;
	int rc = 0;

	report_sort(q->wk, q->nwk, sizeof(*q->wk), wk_cmp);
	report_sort(fs->periods, fs->nperiods, sizeof(*fs->periods),
		    period_cmp);
	for (size_t i = 0; i < fs->nperiods && !rc; i++) {
		const struct fold_off_period *p = &fs->periods[i];
		struct fold_runq_thread *t;
		uint64_t w, d, woke = 0;
		uint32_t k;

		if (p->cls == FOLD_OFF_PREEMPTED) {
			d = p->in - p->out;
		} else {
			w = first_wake(q, &j, p->tid, p->out);
			d = w <= p->in ? p->in - w : 0;
			woke = d;
		}
		if (!d)
			continue;
		if (hmap_get(&ix, p->life, &k)) {
			t = &q->th[k];
		} else if (report_grow(&q->th, &q->capth, q->nth + 1,
				       sizeof(*q->th)) < 0 ||
			   hmap_put(&ix, p->life, (uint32_t)q->nth) < 0) {
			rc = -ENOMEM;
			break;
		} else {
			t = &q->th[q->nth++];
			memset(t, 0, sizeof(*t));
			t->tid = p->tid;
			t->life = p->life;
		}
		t->runnable_ns += d;
		t->woken_ns += woke;
		t->preempted_ns += d - woke;
		t->waits++;
		if (d > t->max_ns)
			t->max_ns = d;
	}
	hmap_free(&ix);
	report_sort(q->th, q->nth, sizeof(*q->th), th_cmp);
	return rc;
}

void fold_runq_free(struct fold_runq *q)
{
	free(q->wk);
	free(q->th);
	memset(q, 0, sizeof(*q));
}
