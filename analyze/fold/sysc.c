/*
 * sysc.c - system calls by name (see sysc.h).
 */
#include "config.h"
#include "analyze/fold/sysc.h"

#include <errno.h>
#include <string.h>

int fold_sysc_init(struct fold_sysc *a, unsigned flags)
{
	memset(a, 0, sizeof(*a));
	a->flags = flags;
	return 0;
}

static struct fold_sysc_row *row_get(struct fold_sysc *a, int32_t nr)
{
	uint32_t ix;

	if (hmap_get(&a->ix, (uint32_t)nr, &ix))
		return &a->v[ix];
	if (report_grow(&a->v, &a->cap, a->n + 1, sizeof(*a->v)) < 0 ||
	    hmap_put(&a->ix, (uint32_t)nr, (uint32_t)a->n) < 0)
		return NULL;
	memset(&a->v[a->n], 0, sizeof(a->v[0]));
	a->v[a->n].nr = nr;
	return &a->v[a->n++];
}

int fold_sysc_batch(struct fold_sysc *a, const struct store_batch *b,
		    const uint8_t *keep)
{
	const int64_t *nr = b->col[EVI_SYSCALL_NR];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	const int64_t *ret = b->col[EVI_SYSCALL_RET];
	struct fold_sysc_row *y = NULL;
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		if (!fold_kept(keep, i))
			continue;
		if (!y || y->nr != (int32_t)nr[i])
			if (!(y = row_get(a, (int32_t)nr[i])))
				return -ENOMEM;
		y->calls++;
		a->calls++;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					     dur[i])) < 0)
			return rc;
		if (rc == REPORT_SC_EXITED)
			continue;	/* never returns: no result */
		if (rc) {
			y->unfinished++;
			a->unfinished++;
			continue;
		}
		y->timed++;
		if (report_failed(ret[i])) {
			y->errors++;
			a->errors++;
		}
		y->total = report_sum_add(y->total, dur[i]);
		if ((uint64_t)dur[i] > y->max)
			y->max = (uint64_t)dur[i];
		if (!(a->flags & FOLD_SYSC_DURS))
			continue;
		if (report_grow(&y->durs, &y->cap, y->ndurs + 1,
				sizeof(*y->durs)) < 0)
			return -ENOMEM;
		y->durs[y->ndurs++] = dur[i];
	}
	return 0;
}

int fold_sysc_fn(void *acc, const struct store_batch *b, const uint8_t *keep)
{
	return fold_sysc_batch(acc, b, keep);
}

void fold_sysc_free(struct fold_sysc *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].durs);
	free(a->v);
	hmap_free(&a->ix);
	memset(a, 0, sizeof(*a));
}

int fold_sysc_merge(struct fold_sysc *a, const struct fold_sysc *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct fold_sysc_row *x = &from->v[i];
		struct fold_sysc_row *y = row_get(a, x->nr);

		if (!y)
			return -ENOMEM;
		y->calls += x->calls;
		y->errors += x->errors;
		y->unfinished += x->unfinished;
		y->timed += x->timed;
		y->total = report_sum_add(y->total, (int64_t)x->total);
		if (x->max > y->max)
			y->max = x->max;
		if (!(a->flags & FOLD_SYSC_DURS) || !x->ndurs)
			continue;
		if (report_grow(&y->durs, &y->cap, y->ndurs + x->ndurs,
				sizeof(*y->durs)) < 0)
			return -ENOMEM;
		memcpy(y->durs + y->ndurs, x->durs, x->ndurs *
		       sizeof(*x->durs));
		y->ndurs += x->ndurs;
	}
	a->calls += from->calls;
	a->errors += from->errors;
	a->unfinished += from->unfinished;
	return 0;
}
