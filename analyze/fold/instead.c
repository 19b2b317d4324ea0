/*
 * instead.c - who ran while a thread waited for a CPU (see instead.h).
 */
#include "config.h"
#include "analyze/fold/instead.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int run_cmp(const void *a, const void *b)
{
	const struct tstate_iv *x = *(const struct tstate_iv *const *)a;
	const struct tstate_iv *y = *(const struct tstate_iv *const *)b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

int fold_instead_init(struct fold_instead *in, const struct tstate *t)
{
	memset(in, 0, sizeof(*in));
	in->t = t;
	if (!(in->runs = malloc((t->n + 1) * sizeof(*in->runs))))
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++)
		if (t->iv[i].state == TSTATE_RUNNING)
			in->runs[in->nruns++] = &t->iv[i];
	report_sort(in->runs, in->nruns, sizeof(*in->runs), run_cmp);
	return 0;
}

void fold_instead_wall(const struct tstate *t, uint64_t from, uint64_t to,
		       size_t first, size_t end, uint64_t *a, uint64_t *b)
{
	uint64_t start = names_life_start(&t->names, t->iv[first].life);

	*a = start > from ? start : from;
	*b = t->tr.last && t->tr.last < to ? t->tr.last : to;
	for (size_t k = first; k < end; k++)
		if (t->iv[k].state == TSTATE_DEAD && t->iv[k].ts < *b)
			*b = t->iv[k].ts;
	if (*b < *a)
		*b = *a;
}

/* [a, b) of V clipped to [A, B). */
static uint64_t clip(const struct tstate_iv *v, uint64_t a, uint64_t b)
{
	uint64_t lo = v->ts > a ? v->ts : a;
	uint64_t hi = v->ts + v->dur < b ? v->ts + v->dur : b;

	return hi > lo ? hi - lo : 0;
}

/* Add D ns of LIFE running on CPU while WHO waited. */
static int row_add(struct fold_instead *in, uint64_t who, uint64_t life,
		   uint32_t cpu, uint64_t d)
{
	uint64_t key = (life * 0x9e3779b97f4a7c15ull) ^
		       (who + ((uint64_t)cpu << 48));
	uint32_t j;

	while (hmap_get(&in->ix, key, &j) &&
	       (in->v[j].who != who || in->v[j].life != life ||
		in->v[j].cpu != cpu))
		key++;
	if (!hmap_get(&in->ix, key, &j)) {
		if (report_grow(&in->v, &in->cap, in->n + 1,
				sizeof(*in->v)) < 0 ||
		    hmap_put(&in->ix, key, (uint32_t)in->n) < 0)
			return -ENOMEM;
		in->v[in->n] = (struct fold_instead_row){
			.who = who, .life = life, .cpu = cpu };
		j = (uint32_t)in->n++;
	}
	in->v[j].ns += d;
	in->v[j].n++;
	return 0;
}

int fold_instead_add(struct fold_instead *in, uint64_t life, uint32_t tid,
		     uint64_t wa, uint64_t wb)
{
	size_t n;
	const struct tstate_iv *v = tstate_thread(in->t, tid, &n);

	for (size_t k = 0; k < n; k++) {
		uint64_t a, b;
		size_t lo = 0, hi = in->nruns;

		if (v[k].life != life || v[k].state != TSTATE_RUNNABLE ||
		    v[k].cpu == UINT32_MAX)
			continue;
		a = v[k].ts > wa ? v[k].ts : wa;
		b = v[k].ts + v[k].dur < wb ? v[k].ts + v[k].dur : wb;
		/* the first run on that CPU ending after a */
		while (lo < hi) {
			size_t m = lo + (hi - lo) / 2;
			const struct tstate_iv *x = in->runs[m];

			if (x->cpu < v[k].cpu ||
			    (x->cpu == v[k].cpu && x->ts + x->dur <= a))
				lo = m + 1;
			else
				hi = m;
		}
		for (; lo < in->nruns && in->runs[lo]->cpu == v[k].cpu &&
		       in->runs[lo]->ts < b; lo++) {
			const struct tstate_iv *x = in->runs[lo];
			uint64_t d = clip(x, a, b);

			if (d && x->life != life &&
			    row_add(in, life, x->life, v[k].cpu, d) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const struct fold_instead_row *x = a, *y = b;

	if (x->who != y->who)
		return x->who < y->who ? -1 : 1;
	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return x->life < y->life ? -1 : x->life > y->life;
}

void fold_instead_sort(struct fold_instead *in)
{
	report_sort(in->v, in->n, sizeof(*in->v), row_cmp);
}

void fold_instead_free(struct fold_instead *in)
{
	free(in->runs);
	free(in->v);
	hmap_free(&in->ix);
	memset(in, 0, sizeof(*in));
}
