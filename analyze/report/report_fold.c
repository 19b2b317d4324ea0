/*
 * report_fold.c - a report's scan that feeds accumulators of
 * analyze/fold/: the window's batches of one kind, with --pid and --comm
 * applied as the KEEP row mask the accumulators take (NULL when neither
 * is given).
 *
 *     static int fn(void *arg, const struct store_batch *b,
 *                   const uint8_t *keep)
 *     {
 *             return fold_sysc_batch(arg, b, keep);
 *     }
 *     rc = report_fold(r, EV_SYSCALL, FOLD_SYSC_FIELDS, fn, &acc);
 *
 * An error FN returns without a message (r->err) becomes "out of memory"
 * for -ENOMEM, else the store's message (a corrupt chunk named).
 */
#include "config.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <stdlib.h>

struct fold_wrap {
	struct report *r;
	int pid, comm;		/* fields to filter on, -1: none */
	uint8_t *keep;
	size_t cap;
	report_fold_fn *fn;
	void *arg;
};

static int fold_each(const struct store_batch *b, void *arg)
{
	struct fold_wrap *w = arg;
	struct report *r = w->r;
	const uint8_t *keep = NULL;
	int rc;

	if (w->pid >= 0 || w->comm >= 0) {
		if (report_grow(&w->keep, &w->cap, b->n, 1) < 0)
			return report_fail(r, -ENOMEM, "out of memory");
		for (uint32_t i = 0; i < b->n; i++)
			w->keep[i] = (w->pid < 0 ||
				      report_pid_ok(r, b->col[w->pid][i])) &&
				     (w->comm < 0 ||
				      report_comm_ok(r, b, (unsigned)w->comm,
						     i));
		keep = w->keep;
	}
	if ((rc = w->fn(w->arg, b, keep)) >= 0 || r->err[0])
		return rc;	/* FN's own message, from report_fail */
	if (rc == -ENOMEM)
		return report_fail(r, rc, "out of memory");
	return report_store_fail(r, rc);
}

/* The process id field of D (EVF_PID), or -1. */
static int pid_field(const struct ev_desc *d)
{
	for (unsigned f = 0; f < d->nfields; f++)
		if (d->fields[f].flags & EVF_PID)
			return (int)f;
	return -1;
}

int report_fold(struct report *r, enum ev_kind kind, uint64_t fields,
		report_fold_fn *fn, void *arg)
{
	/* the fields the filters given read, -1 for none */
	struct fold_wrap w = {
		.r = r, .fn = fn, .arg = arg,
		.pid = r->o->pid >= 0 ? pid_field(ev_desc(kind)) : -1,
		.comm = r->o->comm ? ev_desc(kind)->who_comm : -1,
	};
	int rc;

	if (w.pid >= 0)
		fields |= 1ull << w.pid;
	rc = report_scan(r, kind, fields, fold_each, &w);
	free(w.keep);
	return rc;
}
