/*
 * hangs.c - calls still running at the end (see hangs.h).
 */
#include "config.h"
#include "analyze/fold/hangs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int fold_hangs_init(struct fold_hangs *a, size_t max)
{
	memset(a, 0, sizeof(*a));
	a->max = max;
	if (max && !(a->v = calloc(max, sizeof(*a->v))))
		return -ENOMEM;
	return 0;
}

/* Whether X ranks before (is longer than) a call of TS, TID. */
static int before(const struct fold_hang *x, uint64_t ts, uint32_t tid)
{
	return x->ts != ts ? x->ts < ts : x->tid < tid;
}

static int offer(struct fold_hangs *a, const struct store_batch *b,
		 uint32_t i)
{
	const int64_t *ts = b->col[EVI_SYSCALL_TS];
	const int64_t *tid = b->col[EVI_SYSCALL_TID];
	struct fold_hang h = {
		(uint64_t)ts[i], (uint32_t)b->col[EVI_SYSCALL_PID][i],
		(uint32_t)tid[i], (int32_t)b->col[EVI_SYSCALL_NR][i], NULL
	};
	const char *what = NULL;
	size_t at = 0;
	int rc;

	while (at < a->n && before(&a->v[at], h.ts, h.tid))
		at++;
	if (at >= a->max)
		return 0;
	if ((rc = report_path(b, EVI_SYSCALL_PATH, EVI_SYSCALL_PATH_STATUS, i,
			      &what)) < 0 ||
	    (!what && (rc = store_batch_str(b, EVI_SYSCALL_FD_NAME, i,
					    &what)) < 0))
		return rc;
	if (what && !(h.what = strdup(what)))
		return -ENOMEM;
	if (a->n == a->max)
		free(a->v[--a->n].what);
	memmove(&a->v[at + 1], &a->v[at], (a->n - at) * sizeof(*a->v));
	a->v[at] = h;
	a->n++;
	return 0;
}

int fold_hangs_batch(struct fold_hangs *a, const struct store_batch *b,
		     const uint8_t *keep)
{
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		if (!fold_kept(keep, i) || dur[i])
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					     dur[i])) < 0)
			return rc;
		if (rc != REPORT_SC_RUNNING)
			continue;
		a->count++;
		if ((rc = offer(a, b, i)) < 0)
			return rc;
	}
	return 0;
}

void fold_hangs_free(struct fold_hangs *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].what);
	free(a->v);
	memset(a, 0, sizeof(*a));
}
