/*
 * scan.c - what a report reads: store_scan over the window with a
 * progress line (report_scan), the --comm filter over string columns,
 * and process names (report_int.h).
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/output/progress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int report_comm_ok(struct report *r, const struct store_batch *b,
		   unsigned field, uint32_t i)
{
	int64_t ix;
	const char *s;
	int rc;

	if (!r->o->comm)
		return 1;
	if (r->comm_chunk != b->chunk || r->comm_kind != (int)b->kind) {
		r->comm_chunk = b->chunk;
		r->comm_kind = (int)b->kind;
		if (r->comm_cap)
			memset(r->comm_memo, 0, r->comm_cap);
	}
	/* a store error is kept for report_scan to return */
	if ((rc = store_batch_int(b, field, i, &ix)) < 0) {
		r->comm_err = rc;
		return 0;
	}
	if (ix < 0)
		return 0;
	if ((size_t)ix < r->comm_cap && r->comm_memo[ix])
		return r->comm_memo[ix] > 0;
	if ((size_t)ix >= r->comm_cap) {
		size_t old = r->comm_cap;
		if (report_grow(&r->comm_memo, &r->comm_cap, (size_t)ix + 1,
				1) < 0)
			return 0;
		memset(r->comm_memo + old, 0, r->comm_cap - old);
	}
	if ((rc = store_batch_str(b, field, i, &s)) < 0) {
		r->comm_err = rc;
		return 0;
	}
	r->comm_memo[ix] = s && !strcmp(s, r->o->comm) ? 1 : -1;
	return r->comm_memo[ix] > 0;
}

char *report_proc_comm(struct report *r, uint32_t pid)
{
	/* the processes table, else the process's main thread */
	sqlite3_stmt *s = report_prepare(r, "SELECT comm FROM (SELECT comm,"
					 " start_ts FROM processes WHERE pid = ?3"
					 " UNION ALL SELECT comm, start_ts - 1e18"
					 " FROM threads WHERE tid = ?3) ORDER BY"
					 " (start_ts > ?2), start_ts DESC LIMIT 1");
	char *comm = NULL;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 3, pid);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		comm = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return comm;
}

struct scan_wrap {
	store_scan_fn *fn;
	void *arg;
	struct progress *pg;
	uint64_t done;
};

static int scan_each(const struct store_batch *b, void *arg)
{
	struct scan_wrap *w = arg;

	w->done += b->n;
	progress_update(w->pg, w->done, w->done);
	return w->fn(b, w->arg);
}

int report_scan(struct report *r, enum ev_kind kind, uint64_t fields,
		store_scan_fn *fn, void *arg)
{
	return report_scan_range(r, kind, fields, r->from, r->to, fn, arg);
}

int report_scan_range(struct report *r, enum ev_kind kind, uint64_t fields,
		      uint64_t from, uint64_t to, store_scan_fn *fn, void *arg)
{
	struct store_kind_stats ks;
	struct scan_wrap w = { fn, arg, NULL, 0 };
	int rc;

	if (r->o->progress && store_kind_stats(r->st, kind, &ks) == 0) {
		snprintf(r->progress_what, sizeof(r->progress_what),
			 "report %s, reading %s", r->d->name,
			 ev_desc(kind)->table);
		w.pg = progress_new(r->progress_what, 0, ks.events, -1);
	}
	rc = store_scan(r->st, kind, fields, from, to, scan_each, &w);
	progress_free(w.pg);
	if (rc == 0 && r->comm_err)
		rc = r->comm_err;
	if (rc < 0 && !r->err[0])
		return report_store_fail(r, rc);
	return rc;
}
