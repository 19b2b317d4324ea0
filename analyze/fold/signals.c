/*
 * signals.c - the signals sent and the OOM kills of a window (see
 * signals.h).
 */
#include "config.h"
#include "analyze/fold/signals.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int fold_signals_init(struct fold_signals *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}

/* *OUT: a copy of string FIELD of row I of B (NULL for none). */
static int str_dup(const struct store_batch *b, unsigned field, uint32_t i,
		   char **out)
{
	const char *s;
	int rc = store_batch_str(b, field, i, &s);

	if (rc < 0)
		return rc;
	*out = s ? strdup(s) : NULL;
	return s && !*out ? -ENOMEM : 0;
}

int fold_signals_batch(void *arg, const struct store_batch *b,
		       const uint8_t *keep)
{
	struct fold_signals *a = arg;
	const int64_t *const *c = b->col;
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		int64_t kind = c[EVI_SIGNAL_KIND][i];
		struct fold_signal *x;

		if ((keep && !keep[i]) || (kind != EV_SIGNAL_GENERATE &&
					   kind != EV_SIGNAL_OOM_KILL))
			continue;
		if (report_grow(&a->v, &a->cap, a->n + 1, sizeof(*a->v)) < 0)
			return -ENOMEM;
		x = &a->v[a->n];
		*x = (struct fold_signal){
			.ts = (uint64_t)c[EVI_SIGNAL_TS][i],
			.oom = kind == EV_SIGNAL_OOM_KILL,
			.sig = (int32_t)c[EVI_SIGNAL_SIG][i],
			.result = (int32_t)c[EVI_SIGNAL_RESULT][i],
			.sender_pid = (uint32_t)c[EVI_SIGNAL_SENDER_PID][i],
			.sender_tid = (uint32_t)c[EVI_SIGNAL_SENDER_TID][i],
			.target_pid = (uint32_t)c[EVI_SIGNAL_TARGET_PID][i],
			.target_tid = (uint32_t)c[EVI_SIGNAL_TARGET_TID][i],
			.seq = (uint32_t)(a->n - a->slice),
		};
		a->n++;
		if ((rc = str_dup(b, EVI_SIGNAL_SENDER_COMM, i,
				  &x->sender_comm)) < 0 ||
		    (rc = str_dup(b, EVI_SIGNAL_TARGET_COMM, i,
				  &x->target_comm)) < 0 ||
		    (rc = str_dup(b, EVI_SIGNAL_CGROUP, i, &x->cgroup)) < 0)
			return rc;
	}
	return 0;
}

static int sig_cmp(const void *p, const void *q)
{
	const struct fold_signal *x = p, *y = q;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int fold_signals_slice(void *arg, uint64_t lo, uint64_t hi)
{
	struct fold_signals *a = arg;

	(void)lo;
	(void)hi;
	if (a->n > a->slice)
		report_sort(a->v + a->slice, a->n - a->slice, sizeof(*a->v),
			    sig_cmp);
	a->slice = a->n;
	return 0;
}

void fold_signals_free(struct fold_signals *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].sender_comm);
		free(a->v[i].target_comm);
		free(a->v[i].cgroup);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}
