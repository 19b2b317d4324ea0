/*
 * lastfail.c - the last failed calls before an exit (see lastfail.h).
 */
#include "config.h"
#include "analyze/fold/lastfail.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int fold_lastfail_init(struct fold_lastfail *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}

int fold_lastfail_exit(struct fold_lastfail *a, uint32_t pid, uint64_t ts)
{
	struct fold_lastfail_exit *e;
	uint32_t ix;
	int32_t *link;

	if (report_grow(&a->x, &a->capx, a->nx + 1, sizeof(*a->x)) < 0)
		return -ENOMEM;
	e = &a->x[a->nx];
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->ts = ts;
	e->next = -1;
	if (!hmap_get(&a->first, pid, &ix))
		return hmap_put(&a->first, pid, (uint32_t)a->nx++) < 0 ?
		       -ENOMEM : 0;
	/* keep PID's exits linked in ts order */
	if (a->x[ix].ts > ts) {
		e->next = (int32_t)ix;
		a->nx++;
		return hmap_put(&a->first, pid, (uint32_t)(a->nx - 1)) < 0 ?
		       -ENOMEM : 0;
	}
	for (link = &a->x[ix].next; *link >= 0 && a->x[*link].ts <= ts;
	     link = &a->x[*link].next)
		;
	e->next = *link;
	*link = (int32_t)a->nx++;
	return 0;
}

/* What call I was about: its path, address or fd name (borrowed). */
static int call_what(const struct store_batch *b, uint32_t i,
		     const char **v)
{
	int rc;

	if ((rc = report_path(b, EVI_SYSCALL_PATH, EVI_SYSCALL_PATH_STATUS, i,
			      v)) < 0 || *v)
		return rc;
	if ((rc = store_batch_str(b, EVI_SYSCALL_ADDR, i, v)) < 0 || *v)
		return rc;
	return store_batch_str(b, EVI_SYSCALL_FD_NAME, i, v);
}

/* Keep row I of B in E when it is among the latest. */
static int keep_call(struct fold_lastfail_exit *e, const struct store_batch *b,
		     uint32_t i, uint64_t ts)
{
	const int64_t *tid = b->col[EVI_SYSCALL_TID];
	const int64_t *nr = b->col[EVI_SYSCALL_NR];
	const int64_t *ret = b->col[EVI_SYSCALL_RET];
	struct fold_lastfail_call c = { ts, (uint32_t)tid[i], (int32_t)nr[i],
					ret[i], NULL };
	const char *what = NULL;
	unsigned at = 0;
	int rc;

	while (at < e->n && e->fail[at].ts >= ts)
		at++;
	if (at >= FOLD_LASTFAIL_N)
		return 0;
	if ((rc = call_what(b, i, &what)) < 0)
		return rc;
	if (what && strstr(what, FOLD_LASTFAIL_NOISE))
		return 0;
	if (what && !(c.what = strdup(what)))
		return -ENOMEM;
	if (e->n == FOLD_LASTFAIL_N)
		free(e->fail[--e->n].what);
	memmove(&e->fail[at + 1], &e->fail[at],
		(e->n - at) * sizeof(e->fail[0]));
	e->fail[at] = c;
	e->n++;
	return 0;
}

int fold_lastfail_batch(struct fold_lastfail *a, const struct store_batch *b,
			const uint8_t *keep)
{
	const int64_t *pid = b->col[EVI_SYSCALL_PID];
	const int64_t *ret = b->col[EVI_SYSCALL_RET];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	const int64_t *ts = b->col[EVI_SYSCALL_TS];
	uint32_t ix;
	int rc;

	if (!a->nx)
		return 0;
	for (uint32_t i = 0; i < b->n; i++) {
		int32_t x;

		if (!fold_kept(keep, i) || !report_failed(ret[i]) ||
		    !hmap_get(&a->first, (uint32_t)pid[i], &ix))
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					     dur[i])) < 0)
			return rc;
		if (rc)
			continue;
		for (x = (int32_t)ix; x >= 0 && a->x[x].ts < (uint64_t)ts[i];
		     x = a->x[x].next)
			;
		if (x >= 0 && (rc = keep_call(&a->x[x], b, i,
						   (uint64_t)ts[i])) < 0)
			return rc;
	}
	return 0;
}

int fold_lastfail_fn(void *acc, const struct store_batch *b,
		     const uint8_t *keep)
{
	return fold_lastfail_batch(acc, b, keep);
}

void fold_lastfail_free(struct fold_lastfail *a)
{
	for (size_t i = 0; i < a->nx; i++)
		for (unsigned k = 0; k < a->x[i].n; k++)
			free(a->x[i].fail[k].what);
	free(a->x);
	hmap_free(&a->first);
	memset(a, 0, sizeof(*a));
}
