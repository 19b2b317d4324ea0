/*
 * runq.c - runnable time per thread (see runq.h).
 */
#include "config.h"
#include "analyze/fold/runq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int runq_iv(void *arg, const struct fold_iv *iv);

int fold_runq_init(struct fold_runq *q, struct fold_sched *fs)
{
	memset(q, 0, sizeof(*q));
	fs->iv = runq_iv;
	fs->iv_arg = q;
	return 0;
}

int fold_runq_batch(void *arg, const struct store_batch *b,
		    const uint8_t *keep)
{
	struct fold_runq *q = arg;
	const int64_t *ts = b->col[EVI_WAKEUP_TS];
	const int64_t *tid = b->col[EVI_WAKEUP_TID];

	if (report_grow(&q->sl, &q->capsl, q->nsl + b->n, sizeof(*q->sl)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++)
		if (!keep || keep[i])
			q->sl[q->nsl++] = (struct fold_runq_wake){
				(uint64_t)ts[i], (uint32_t)tid[i],
				(uint32_t)q->nsl };
	return 0;
}

static int wake_cmp(const void *a, const void *b)
{
	const struct fold_runq_wake *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct fold_runq_queue *queue_of(struct fold_runq *q, uint32_t tid,
					int make)
{
	uint32_t ix;

	if (hmap_get(&q->qix, tid, &ix))
		return &q->qs[ix];
	if (!make ||
	    report_grow(&q->qs, &q->capqs, q->nqs + 1, sizeof(*q->qs)) < 0 ||
	    hmap_put(&q->qix, tid, (uint32_t)q->nqs) < 0)
		return NULL;
	memset(&q->qs[q->nqs], 0, sizeof(q->qs[0]));
	return &q->qs[q->nqs++];
}

int fold_runq_slice(void *arg, uint64_t lo, uint64_t hi)
{
	struct fold_runq *q = arg;

	(void)lo;
	(void)hi;
	report_sort(q->sl, q->nsl, sizeof(*q->sl), wake_cmp);
	for (size_t i = 0; i < q->nsl; i++) {
		struct fold_runq_queue *u = queue_of(q, q->sl[i].tid, 1);

		if (!u)
			return -ENOMEM;
		if (u->head && u->n == u->cap) {	/* reuse the taken */
			memmove(u->ts, u->ts + u->head,
				(u->n - u->head) * sizeof(*u->ts));
			u->n -= u->head;
			u->head = 0;
		}
		if (report_grow(&u->ts, &u->cap, u->n + 1, sizeof(*u->ts)) < 0)
			return -ENOMEM;
		u->ts[u->n++] = q->sl[i].ts;
	}
	q->nsl = 0;
	return 0;
}

/* The first wakeup of TID after AFTER and at or before UNTIL (UINT64_MAX:
 * none); every wakeup up to UNTIL is taken. */
static uint64_t take(struct fold_runq *q, uint32_t tid, uint64_t after,
		     uint64_t until)
{
	struct fold_runq_queue *u = queue_of(q, tid, 0);
	uint64_t w = UINT64_MAX;

	if (!u)
		return w;
	while (u->head < u->n && u->ts[u->head] <= until) {
		if (w == UINT64_MAX && u->ts[u->head] > after)
			w = u->ts[u->head];
		u->head++;
	}
	return w;
}

static int runq_iv(void *arg, const struct fold_iv *iv)
{
	struct fold_runq *q = arg;
	struct fold_runq_thread *t;
	uint64_t d, w, woke = 0;
	uint32_t k;

	if (iv->kind == FOLD_IV_OFF && iv->cls == FOLD_OFF_PREEMPTED) {
		d = iv->b - iv->a;
	} else if (iv->kind == FOLD_IV_OFF || iv->kind == FOLD_IV_IN) {
		w = take(q, iv->tid, iv->kind == FOLD_IV_IN ? 0 : iv->a,
			 iv->b);
		d = woke = w <= iv->b ? iv->b - w : 0;
	} else {
		return 0;
	}
	if (!d)
		return 0;
	if (hmap_get(&q->thix, iv->life, &k)) {
		t = &q->th[k];
	} else {
		if (report_grow(&q->th, &q->capth, q->nth + 1,
				sizeof(*q->th)) < 0 ||
		    hmap_put(&q->thix, iv->life, (uint32_t)q->nth) < 0)
			return -ENOMEM;
		t = &q->th[q->nth++];
		memset(t, 0, sizeof(*t));
		t->tid = iv->tid;
		t->life = iv->life;
	}
	t->runnable_ns += d;
	t->woken_ns += woke;
	t->preempted_ns += d - woke;
	t->waits++;
	if (d > t->max_ns)
		t->max_ns = d;
	return 0;
}

static int th_cmp(const void *a, const void *b)
{
	const struct fold_runq_thread *x = a, *y = b;

	if (x->runnable_ns != y->runnable_ns)
		return x->runnable_ns < y->runnable_ns ? 1 : -1;
	return x->life < y->life ? -1 : x->life > y->life;
}

void fold_runq_finish(struct fold_runq *q)
{
	report_sort(q->th, q->nth, sizeof(*q->th), th_cmp);
	hmap_free(&q->thix);	/* indices no longer hold */
}

void fold_runq_free(struct fold_runq *q)
{
	for (size_t i = 0; i < q->nqs; i++)
		free(q->qs[i].ts);
	free(q->qs);
	free(q->sl);
	free(q->th);
	hmap_free(&q->qix);
	hmap_free(&q->thix);
	memset(q, 0, sizeof(*q));
}
