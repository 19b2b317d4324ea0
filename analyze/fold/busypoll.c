/*
 * busypoll.c - zero-timeout polls per thread and second (see busypoll.h).
 */
#include "config.h"
#include "analyze/fold/busypoll.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SEC 1000000000ull

/* The polls and where their timeout is: an argument index, or -1 when
 * it is passed by pointer. */
static const struct {
	const char *name;
	int8_t arg;
} polls[] = {
	{ "poll", 2 }, { "epoll_wait", 3 }, { "epoll_pwait", 3 },
	{ "select", -1 }, { "pselect6", -1 }, { "ppoll", -1 },
	{ "epoll_pwait2", -1 },
};

int fold_busypoll_init(struct fold_busypoll *a, struct store *st,
		       uint64_t from)
{
	memset(a, 0, sizeof(*a));
	a->from = from;
	memset(a->arg, -2, sizeof(a->arg));
	for (int nr = 0; nr < FOLD_BUSYPOLL_NR; nr++) {
		const char *n = store_syscall_name(st, nr);

		for (size_t k = 0; n && k < sizeof(polls) / sizeof(*polls); k++)
			if (!strcmp(n, polls[k].name))
				a->arg[nr] = polls[k].arg;
	}
	return 0;
}

/* Whether row I of B is a poll that did not wait. */
static int zero_timeout(const struct fold_busypoll *a,
			const struct store_batch *b, uint32_t i)
{
	int64_t nr = b->col[EVI_SYSCALL_NR][i];
	int arg;

	if (nr < 0 || nr >= FOLD_BUSYPOLL_NR || (arg = a->arg[nr]) == -2)
		return 0;
	if (arg == 2)
		return (int32_t)b->col[EVI_SYSCALL_ARG2][i] == 0;
	if (arg == 3)
		return (int32_t)b->col[EVI_SYSCALL_ARG3][i] == 0;
	return b->col[EVI_SYSCALL_RET][i] == 0 &&
	       b->col[EVI_SYSCALL_DUR][i] > 0 &&
	       b->col[EVI_SYSCALL_DUR][i] < FOLD_BUSYPOLL_QUICK_NS;
}

static struct fold_busypoll_thread *th_get(struct fold_busypoll *a,
					   const struct store_batch *b,
					   uint32_t i, uint32_t *ix)
{
	uint32_t tid = (uint32_t)b->col[EVI_SYSCALL_TID][i];
	struct fold_busypoll_thread *t;

	if (hmap_get(&a->thix, tid, ix))
		return &a->th[*ix];
	if (report_grow(&a->th, &a->capth, a->nth + 1, sizeof(*a->th)) < 0 ||
	    hmap_put(&a->thix, tid, (uint32_t)a->nth) < 0)
		return NULL;
	*ix = (uint32_t)a->nth;
	t = &a->th[a->nth++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->pid = (uint32_t)b->col[EVI_SYSCALL_PID][i];
	t->nr = (int32_t)b->col[EVI_SYSCALL_NR][i];
	return t;
}

int fold_busypoll_batch(struct fold_busypoll *a, const struct store_batch *b,
			const uint8_t *keep)
{
	const int64_t *ts = b->col[EVI_SYSCALL_TS];

	for (uint32_t i = 0; i < b->n; i++) {
		struct fold_busypoll_thread *t;
		uint32_t ix, sx;
		uint64_t sec, key;

		if (!fold_kept(keep, i) || !zero_timeout(a, b, i))
			continue;
		if (!(t = th_get(a, b, i, &ix)))
			return -ENOMEM;
		if (b->col[EVI_SYSCALL_NR][i] < t->nr)
			t->nr = (int32_t)b->col[EVI_SYSCALL_NR][i];
		t->total++;
		sec = ((uint64_t)ts[i] - a->from) / SEC;
		key = (uint64_t)t->tid << 32 | (uint32_t)sec;
		if (hmap_get(&a->secix, key, &sx)) {
			a->secs[sx].count++;
			continue;
		}
		if (report_grow(&a->secs, &a->capsecs, a->nsecs + 1,
				sizeof(*a->secs)) < 0 ||
		    hmap_put(&a->secix, key, (uint32_t)a->nsecs) < 0)
			return -ENOMEM;
		a->secs[a->nsecs++] = (struct fold_busypoll_sec){
			1, ix, (uint32_t)sec };
	}
	return 0;
}

void fold_busypoll_done(struct fold_busypoll *a)
{
	for (size_t i = 0; i < a->nsecs; i++) {
		const struct fold_busypoll_sec *s = &a->secs[i];
		struct fold_busypoll_thread *t = &a->th[s->th];

		if (s->count > t->peak ||
		    (s->count == t->peak && s->sec < t->peak_sec)) {
			t->peak = s->count;
			t->peak_sec = s->sec;
		}
	}
}

void fold_busypoll_free(struct fold_busypoll *a)
{
	free(a->th);
	free(a->secs);
	hmap_free(&a->thix);
	hmap_free(&a->secix);
	memset(a, 0, sizeof(*a));
}
