/*
 * errs.c - failed system calls (see errs.h).
 */
#include "config.h"
#include "analyze/fold/errs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int fold_errs_init(struct fold_errs *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}

static int example_add(struct fold_errs_key *k, const struct store_batch *b,
		       uint32_t i)
{
	const char *v = NULL;
	int rc;

	if (k->ex[FOLD_ERRS_EXAMPLES - 1])
		return 0;
	if ((rc = report_path(b, EVI_SYSCALL_PATH, EVI_SYSCALL_PATH_STATUS, i,
			      &v)) < 0)
		return rc;
	if (!v && (rc = store_batch_str(b, EVI_SYSCALL_ADDR, i, &v)) < 0)
		return rc;
	if (!v)
		return 0;
	for (int e = 0; e < FOLD_ERRS_EXAMPLES; e++) {
		if (k->ex[e] && !strcmp(k->ex[e], v))
			return 0;
		if (!k->ex[e])
			return (k->ex[e] = strdup(v)) ? 0 : -ENOMEM;
	}
	return 0;
}

static struct fold_errs_key *key_get(struct fold_errs *a, int32_t nr,
				     int64_t ret)
{
	uint64_t key = (uint64_t)(uint32_t)nr << 32 | (uint32_t)-ret;
	uint32_t ix;

	if (hmap_get(&a->kix, key, &ix))
		return &a->k[ix];
	if (report_grow(&a->k, &a->capk, a->nk + 1, sizeof(*a->k)) < 0 ||
	    hmap_put(&a->kix, key, (uint32_t)a->nk) < 0)
		return NULL;
	memset(&a->k[a->nk], 0, sizeof(a->k[0]));
	a->k[a->nk].nr = nr;
	a->k[a->nk].ret = ret;
	return &a->k[a->nk++];
}

/* Count row I (pid PID) under K; a new (syscall, errno, pid) takes the
 * row's comm. */
static int proc_count(struct fold_errs *a, struct fold_errs_key *k,
		      const struct store_batch *b, uint32_t i, uint32_t pid)
{
	/* nr (16 bits), errno (16 bits), pid (32 bits) */
	uint64_t key = (uint64_t)((uint32_t)k->nr & 0xffff) << 48 |
		       (uint64_t)((uint32_t)-k->ret & 0xffff) << 32 | pid;
	const char *comm = NULL;
	uint32_t ix;
	int rc;

	if (hmap_get(&a->pix, key, &ix)) {
		a->p[ix].count++;
		return 0;
	}
	if ((rc = store_batch_str(b, EVI_SYSCALL_COMM, i, &comm)) < 0)
		return rc;
	if (report_grow(&a->p, &a->capp, a->np + 1, sizeof(*a->p)) < 0 ||
	    hmap_put(&a->pix, key, (uint32_t)a->np) < 0)
		return -ENOMEM;
	a->p[a->np++] = (struct fold_errs_proc){
		.nr = k->nr, .ret = k->ret, .pid = pid, .count = 1,
		.comm = comm ? strdup(comm) : NULL };
	k->pids++;
	return 0;
}

int fold_errs_batch(struct fold_errs *a, const struct store_batch *b,
		    const uint8_t *keep)
{
	const int64_t *pid = b->col[EVI_SYSCALL_PID];
	const int64_t *nr = b->col[EVI_SYSCALL_NR];
	const int64_t *ret = b->col[EVI_SYSCALL_RET];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		struct fold_errs_key *k;

		if (!report_failed(ret[i]) || !fold_kept(keep, i))
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					     dur[i])) < 0)
			return rc;
		if (rc)
			continue;
		if (!(k = key_get(a, (int32_t)nr[i], ret[i])))
			return -ENOMEM;
		k->count++;
		a->total++;
		a->by_errno[-ret[i]]++;
		if ((rc = example_add(k, b, i)) < 0 ||
		    (rc = proc_count(a, k, b, i, (uint32_t)pid[i])) < 0)
			return rc;
	}
	return 0;
}

int fold_errs_fn(void *acc, const struct store_batch *b, const uint8_t *keep)
{
	return fold_errs_batch(acc, b, keep);
}

void fold_errs_free(struct fold_errs *a)
{
	for (size_t i = 0; i < a->nk; i++)
		for (int e = 0; e < FOLD_ERRS_EXAMPLES; e++)
			free(a->k[i].ex[e]);
	free(a->k);
	for (size_t i = 0; i < a->np; i++)
		free(a->p[i].comm);
	free(a->p);
	hmap_free(&a->kix);
	hmap_free(&a->pix);
	memset(a, 0, sizeof(*a));
}

int fold_errs_key_cmp(const void *a, const void *b)
{
	const struct fold_errs_key *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->ret < y->ret ? 1 : x->ret > y->ret ? -1 : 0;
}

int fold_errs_merge(struct fold_errs *a, const struct fold_errs *from,
		    uint32_t host)
{
	for (size_t i = 0; i < from->nk; i++) {
		const struct fold_errs_key *x = &from->k[i];
		struct fold_errs_key *k = key_get(a, x->nr, x->ret);

		if (!k)
			return -ENOMEM;
		k->count += x->count;
		for (int e = 0; e < FOLD_ERRS_EXAMPLES && x->ex[e]; e++) {
			int f = 0;

			while (f < FOLD_ERRS_EXAMPLES && k->ex[f] &&
			       strcmp(k->ex[f], x->ex[e]))
				f++;
			if (f < FOLD_ERRS_EXAMPLES && !k->ex[f] &&
			    !(k->ex[f] = strdup(x->ex[e])))
				return -ENOMEM;
		}
	}
	if (report_grow(&a->p, &a->capp, a->np + from->np, sizeof(*a->p)) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < from->np; i++) {
		const struct fold_errs_proc *x = &from->p[i];
		char *comm = x->comm ? strdup(x->comm) : NULL;

		if (x->comm && !comm)
			return -ENOMEM;
		a->p[a->np] = *x;
		a->p[a->np].host = host;
		a->p[a->np++].comm = comm;
	}
	for (int e = 0; e < 4096; e++)
		a->by_errno[e] += from->by_errno[e];
	a->total += from->total;
	return 0;
}

static int proc_key_cmp(const void *a, const void *b)
{
	const struct fold_errs_proc *x = a, *y = b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	if (x->ret != y->ret)
		return x->ret < y->ret ? -1 : 1;
	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int fold_errs_merge_end(struct fold_errs *a)
{
	size_t n = 0;

	report_sort(a->p, a->np, sizeof(*a->p), proc_key_cmp);
	for (size_t i = 0; i < a->nk; i++)
		a->k[i].pids = 0;
	for (size_t i = 0; i < a->np; i++) {
		struct fold_errs_key *k;

		if (n && !proc_key_cmp(&a->p[n - 1], &a->p[i])) {
			a->p[n - 1].count += a->p[i].count;
			free(a->p[i].comm);
			continue;
		}
		a->p[n++] = a->p[i];
		if (!(k = key_get(a, a->p[i].nr, a->p[i].ret)))
			return -ENOMEM;
		k->pids++;
	}
	a->np = n;
	return 0;
}
