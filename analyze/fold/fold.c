/*
 * fold.c - the fold driver (see fold.h for the method).
 *
 * fold_step reads one unit at a time - one kind of one slice, a
 * store_scan over [lo, hi - 1] - and checks the budget between units;
 * after the last kind of a slice it calls the accumulators' SLICE hooks.
 */
#include "config.h"
#include "analyze/fold/fold.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FOLD_MAX_SLICES 256
#define FOLD_MIN_SLICES 16

struct fold_acc {
	enum ev_kind kind;
	uint64_t fields;
	fold_batch_fn *batch;
	fold_slice_fn *slice;
	void *acc;
};

struct tidpid {
	uint32_t tid, pid;
};

struct fold {
	struct store *st;
	const struct filter *f;
	uint64_t from, to;	/* inclusive */
	struct fold_acc *accs;
	size_t naccs;
	unsigned kinds;		/* kinds with an accumulator the filter
				 * can match */
	uint64_t *bound;	/* slice i is [bound[i], bound[i + 1]) */
	size_t nslices;
	size_t slice;		/* next slice to read */
	int kind;		/* next kind of that slice */
	int started;
	uint32_t *tids, *pids;	/* the threads table, sorted by tid */
	size_t ntp;
	uint8_t *keep;
	size_t capkeep;
	char errmsg[FOLD_ERRLEN];
};

uint64_t fold_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int tidpid_cmp(const void *a, const void *b)
{
	const struct tidpid *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static size_t fold_pids(void *arg, uint32_t tid, const uint32_t **pids)
{
	struct fold *d = arg;
	size_t lo = 0, hi = d->ntp, n = 0;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (d->tids[m] < tid)
			lo = m + 1;
		else
			hi = m;
	}
	while (lo + n < d->ntp && d->tids[lo + n] == tid)
		n++;
	*pids = d->pids + lo;
	return n;
}

static int fail(struct fold *d, int rc, const char *what)
{
	snprintf(d->errmsg, sizeof(d->errmsg), "%s: %s", what,
		 rc == -ENOMEM ? "out of memory" :
		 rc == -EIO ? sqlite3_errmsg(store_db(d->st)) :
		 store_errmsg(d->st));
	return rc;
}

static int threads_load(struct fold *d)
{
	struct tidpid *tp = NULL;
	sqlite3_stmt *s;
	size_t cap = 0, n = 0;

	if (sqlite3_prepare_v2(store_db(d->st), "SELECT tid, pid FROM "
			       "threads", -1, &s, NULL) != SQLITE_OK)
		return fail(d, -EIO, "threads");
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n == cap) {
			size_t c = cap ? cap * 2 : 256;
			struct tidpid *p = realloc(tp, c * sizeof(*p));
			if (!p) {
				sqlite3_finalize(s);
				free(tp);
				return fail(d, -ENOMEM, "threads");
			}
			tp = p;
			cap = c;
		}
		tp[n++] = (struct tidpid){
			(uint32_t)sqlite3_column_int64(s, 0),
			(uint32_t)sqlite3_column_int64(s, 1) };
	}
	sqlite3_finalize(s);
	if (n)
		qsort(tp, n, sizeof(*tp), tidpid_cmp);
	d->tids = malloc((n + 1) * sizeof(*d->tids));
	d->pids = malloc((n + 1) * sizeof(*d->pids));
	if (!d->tids || !d->pids) {
		free(tp);
		return fail(d, -ENOMEM, "threads");
	}
	for (size_t i = 0; i < n; i++) {
		d->tids[i] = tp[i].tid;
		d->pids[i] = tp[i].pid;
	}
	d->ntp = n;
	free(tp);
	return 0;
}

/* Slice boundaries: FROM, the starts of the chunks of the kind with the
 * most events (at most FOLD_MAX_SLICES slices), TO + 1.  A window of
 * fewer chunks is cut into FOLD_MIN_SLICES equal spans instead, so that
 * even a small one shows progress. */
static int slices_plan(struct fold *d)
{
	sqlite3 *db = store_db(d->st);
	sqlite3_stmt *s;
	int64_t best = -1, bestn = 0;
	uint64_t *b = NULL;
	size_t n = 0, cap = 0, step = 1;

	if (sqlite3_prepare_v2(db, "SELECT kind, sum(count) FROM main.chunks"
			       " WHERE ts_last >= ?1 AND ts_first <= ?2"
			       " GROUP BY kind", -1, &s, NULL) != SQLITE_OK)
		return fail(d, -EIO, "chunk index");
	sqlite3_bind_int64(s, 1, (int64_t)d->from);
	sqlite3_bind_int64(s, 2, (int64_t)d->to);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t k = sqlite3_column_int64(s, 0);
		int64_t c = sqlite3_column_int64(s, 1);
		if (k >= 0 && k < EV_KIND_COUNT && (d->kinds >> k & 1) &&
		    c > bestn) {
			best = k;
			bestn = c;
		}
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT ts_first FROM main.chunks"
			       " WHERE kind = ?1 AND ts_first > ?2 AND"
			       " ts_first <= ?3 ORDER BY ts_first", -1, &s,
			       NULL) != SQLITE_OK)
		return fail(d, -EIO, "chunk index");
	sqlite3_bind_int64(s, 1, best);
	sqlite3_bind_int64(s, 2, (int64_t)d->from);
	sqlite3_bind_int64(s, 3, (int64_t)d->to);
	for (;;) {
		if (n + 2 > cap) {
			size_t c = cap ? cap * 2 : 64;
			uint64_t *p = realloc(b, c * sizeof(*p));
			if (!p) {
				sqlite3_finalize(s);
				free(b);
				return fail(d, -ENOMEM, "slices");
			}
			b = p;
			cap = c;
		}
		if (!n) {
			b[n++] = d->from;
			continue;
		}
		if (sqlite3_step(s) != SQLITE_ROW)
			break;
		b[n++] = (uint64_t)sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (n < FOLD_MIN_SLICES) {
		unsigned __int128 span = (unsigned __int128)(d->to - d->from) + 1;
		uint64_t *p = realloc(b, (FOLD_MIN_SLICES + 1) * sizeof(*p));
		if (!p) {
			free(b);
			return fail(d, -ENOMEM, "slices");
		}
		b = p;
		n = 0;
		for (unsigned i = 0; i < FOLD_MIN_SLICES; i++) {
			uint64_t t = d->from + (uint64_t)(span * i /
							  FOLD_MIN_SLICES);
			if (!n || t > b[n - 1])
				b[n++] = t;
		}
	}
	/* keep every STEP-th start when there are too many */
	while ((n - 1 + step - 1) / step > FOLD_MAX_SLICES - 1)
		step++;
	d->nslices = 0;
	for (size_t i = 0; i < n; i += step)
		b[d->nslices++] = b[i];
	b[d->nslices] = d->to + 1;
	d->bound = b;
	return 0;
}

struct fold *fold_new(struct store *st, uint64_t from, uint64_t to,
		      const struct filter *f, char *err)
{
	struct fold *d = calloc(1, sizeof(*d));

	if (!d) {
		snprintf(err, FOLD_ERRLEN, "out of memory");
		return NULL;
	}
	d->st = st;
	d->f = f;
	d->from = from;
	d->to = to < from ? from : to;
	if (d->to == UINT64_MAX)
		d->to--;	/* slices end at TO + 1 */
	if (threads_load(d) < 0) {
		snprintf(err, FOLD_ERRLEN, "%s", d->errmsg);
		fold_free(d);
		return NULL;
	}
	return d;
}

void fold_free(struct fold *d)
{
	if (!d)
		return;
	free(d->accs);
	free(d->bound);
	free(d->tids);
	free(d->pids);
	free(d->keep);
	free(d);
}

int fold_add(struct fold *d, enum ev_kind kind, uint64_t fields,
	     fold_batch_fn *batch, fold_slice_fn *slice, void *acc)
{
	struct fold_acc *a = realloc(d->accs, (d->naccs + 1) * sizeof(*a));

	if (!a)
		return -ENOMEM;
	d->accs = a;
	d->accs[d->naccs++] = (struct fold_acc){ kind, fields, batch, slice,
						 acc };
	if (filter_kinds(d->f) >> kind & 1)
		d->kinds |= 1u << kind;
	return 0;
}

struct unit {
	struct fold *d;
	enum ev_kind kind;
};

static int unit_batch(const struct store_batch *b, void *arg)
{
	struct unit *u = arg;
	struct fold *d = u->d;
	const uint8_t *keep = NULL;
	int rc;

	if (d->f && !(filter_kinds_all(d->f) >> u->kind & 1)) {
		if (b->n > d->capkeep) {
			uint8_t *k = realloc(d->keep, b->n);
			if (!k)
				return -ENOMEM;
			d->keep = k;
			d->capkeep = b->n;
		}
		rc = filter_batch(d->f, d->st, fold_pids, d, b, d->keep);
		if (rc < 0)
			return rc;
		keep = d->keep;
	}
	for (size_t i = 0; i < d->naccs; i++)
		if (d->accs[i].kind == u->kind &&
		    (rc = d->accs[i].batch(d->accs[i].acc, b, keep)) != 0)
			return rc;
	return 0;
}

/* Read kind K of the current slice. */
static int unit_read(struct fold *d, enum ev_kind k)
{
	struct unit u = { d, k };
	uint64_t fields = 1;	/* ts */
	int rc;

	for (size_t i = 0; i < d->naccs; i++)
		if (d->accs[i].kind == k)
			fields |= d->accs[i].fields;
	rc = store_scan(d->st, k, fields, d->bound[d->slice],
			d->bound[d->slice + 1] - 1, unit_batch, &u);
	if (rc == -ENOMEM && !store_errmsg(d->st)[0])
		return fail(d, rc, ev_desc(k)->table);
	if (rc < 0) {
		snprintf(d->errmsg, sizeof(d->errmsg), "%s", store_errmsg(d->st));
		if (!d->errmsg[0])
			return fail(d, rc, ev_desc(k)->table);
	}
	return rc;
}

int fold_step(struct fold *d, uint64_t budget_ns)
{
	uint64_t deadline = fold_now_ns() + budget_ns;
	int rc;

	if (!d->started) {
		if ((rc = slices_plan(d)) < 0)
			return rc;
		d->started = 1;
	}
	while (d->slice < d->nslices) {
		while (d->kind < EV_KIND_COUNT && !(d->kinds >> d->kind & 1))
			d->kind++;
		if (d->kind < EV_KIND_COUNT) {
			if ((rc = unit_read(d, (enum ev_kind)d->kind)) < 0)
				return rc;
			d->kind++;
		} else {
			for (size_t i = 0; i < d->naccs; i++)
				if (d->accs[i].slice &&
				    (rc = d->accs[i].slice(d->accs[i].acc,
						d->bound[d->slice],
						d->bound[d->slice + 1])) < 0)
					return fail(d, rc, "fold");
			d->slice++;
			d->kind = 0;
		}
		if (fold_now_ns() >= deadline)
			break;
	}
	return d->slice < d->nslices;
}

int fold_run(struct fold *d)
{
	int rc;

	while ((rc = fold_step(d, UINT64_MAX / 2)) > 0)
		;
	return rc;
}

int fold_done(const struct fold *d)
{
	return d->started && d->slice == d->nslices;
}

uint64_t fold_read_to(const struct fold *d)
{
	return d->started ? d->bound[d->slice] : d->from;
}

double fold_fraction(const struct fold *d)
{
	if (fold_done(d))
		return 1;
	return (double)(fold_read_to(d) - d->from) /
	       ((double)(d->to - d->from) + 1);
}

const char *fold_errmsg(const struct fold *d)
{
	return d->errmsg;
}
