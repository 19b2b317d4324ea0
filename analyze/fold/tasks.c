/*
 * tasks.c - per process and per thread counts (see tasks.h).
 */
#include "config.h"
#include "analyze/fold/tasks.h"

#include <errno.h>
#include <string.h>

int fold_tasks_init(struct fold_tasks *a, unsigned flags)
{
	memset(a, 0, sizeof(*a));
	a->flags = flags;
	return 0;
}

static struct fold_task *task_get(struct fold_tasks_set *s, uint32_t id,
				  uint32_t pid)
{
	uint32_t ix;

	if (hmap_get(&s->ix, id, &ix))
		return &s->v[ix];
	if (report_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0 ||
	    hmap_put(&s->ix, id, (uint32_t)s->n) < 0)
		return NULL;
	s->v[s->n] = (struct fold_task){ .id = id, .pid = pid };
	return &s->v[s->n++];
}

const struct fold_task *fold_tasks_find(const struct fold_tasks_set *s,
					uint32_t id)
{
	uint32_t ix;

	return hmap_get(&s->ix, id, &ix) ? &s->v[ix] : NULL;
}

/* The rows of row I's process and (when kept) thread, from the columns
 * PID and TID; the last ones are cached in P and T.  0 or -ENOMEM. */
static int rows_get(struct fold_tasks *a, const int64_t *pid,
		    const int64_t *tid, uint32_t i, struct fold_task **p,
		    struct fold_task **t)
{
	if (!*p || (*p)->id != (uint32_t)pid[i])
		if (!(*p = task_get(&a->procs, (uint32_t)pid[i],
				    (uint32_t)pid[i])))
			return -ENOMEM;
	if (!(a->flags & FOLD_TASKS_THREADS))
		return 0;
	if (!*t || (*t)->id != (uint32_t)tid[i] ||
	    (*t)->pid != (uint32_t)pid[i])
		if (!(*t = task_get(&a->threads, (uint32_t)tid[i],
				    (uint32_t)pid[i])))
			return -ENOMEM;
	return 0;
}

static int sys_batch(struct fold_tasks *a, const struct store_batch *b,
		     const uint8_t *keep)
{
	const int64_t *pid = b->col[EVI_SYSCALL_PID];
	const int64_t *tid = b->col[EVI_SYSCALL_TID];
	const int64_t *ret = b->col[EVI_SYSCALL_RET];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	struct fold_task *p = NULL, *t = NULL, none = { 0 };
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		struct fold_task *tt;

		if (!fold_kept(keep, i))
			continue;
		if ((rc = rows_get(a, pid, tid, i, &p, &t)) < 0)
			return rc;
		tt = t ? t : &none;
		p->syscalls++;
		tt->syscalls++;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					     dur[i])) < 0)
			return rc;
		if (rc)
			continue;
		if (report_failed(ret[i])) {
			p->errors++;
			tt->errors++;
		}
		p->sys_ns = report_sum_add(p->sys_ns, dur[i]);
		tt->sys_ns = report_sum_add(tt->sys_ns, dur[i]);
	}
	return 0;
}

static int net_batch(struct fold_tasks *a, const struct store_batch *b,
		     const uint8_t *keep)
{
	const int64_t *pid = b->col[EVI_NET_PID], *tid = b->col[EVI_NET_TID];
	const int64_t *kind = b->col[EVI_NET_KIND];
	const int64_t *bytes = b->col[EVI_NET_BYTES];
	struct fold_task *p = NULL, *t = NULL;
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		if (bytes[i] <= 0 || (kind[i] != EV_NET_SEND &&
				      kind[i] != EV_NET_RECV) ||
		    !fold_kept(keep, i))
			continue;
		if ((rc = rows_get(a, pid, tid, i, &p, &t)) < 0)
			return rc;
		p->net_bytes = report_sum_add(p->net_bytes, bytes[i]);
		if (t)
			t->net_bytes = report_sum_add(t->net_bytes, bytes[i]);
	}
	return 0;
}

int fold_tasks_batch(struct fold_tasks *a, const struct store_batch *b,
		     const uint8_t *keep)
{
	if (b->kind == EV_SYSCALL)
		return sys_batch(a, b, keep);
	if (b->kind == EV_NET)
		return net_batch(a, b, keep);
	return 0;
}

int fold_tasks_fn(void *acc, const struct store_batch *b, const uint8_t *keep)
{
	return fold_tasks_batch(acc, b, keep);
}

static void set_free(struct fold_tasks_set *s)
{
	free(s->v);
	hmap_free(&s->ix);
}

void fold_tasks_free(struct fold_tasks *a)
{
	set_free(&a->procs);
	set_free(&a->threads);
	memset(a, 0, sizeof(*a));
}
