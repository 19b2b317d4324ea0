/*
 * kills.c - who killed a process (kills.h): the signals table's generate
 * and oom_kill rows, kept sorted by target process and time so that each
 * killed process finds its killer with one binary search.
 */
#include "config.h"
#include "analyze/report/kills.h"
#include "analyze/replay/evfmt_sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SIGKILL_NR 9

static int kill_cmp(const void *a, const void *b)
{
	const struct report_kill *x = a, *y = b;

	if (x->target_pid != y->target_pid)
		return x->target_pid < y->target_pid ? -1 : 1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

int report_kills_load(struct report *r, struct report_kills *k)
{
	sqlite3_stmt *s = report_prepare(r, "SELECT ts, kind = 'oom_kill',"
					 " target_pid, sig, sender_pid,"
					 " sender_comm, cgroup FROM signals"
					 " WHERE kind IN ('generate', 'oom_kill')"
					 " AND result IN (0, 4) AND ts <= ?2");
	int src, rc = 0;

	if (!s)
		return -EIO;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_kill *x;

		if (report_grow(&k->v, &k->cap, k->n + 1, sizeof(*k->v)) < 0) {
			rc = report_fail(r, -ENOMEM, "out of memory");
			break;
		}
		x = &k->v[k->n++];
		x->ts = (uint64_t)sqlite3_column_int64(s, 0);
		x->oom = sqlite3_column_int(s, 1);
		x->target_pid = (uint32_t)sqlite3_column_int64(s, 2);
		x->sig = (int32_t)sqlite3_column_int64(s, 3);
		x->sender_pid = (uint32_t)sqlite3_column_int64(s, 4);
		x->sender_comm = report_col_dup(s, 5);
		x->cgroup = report_col_dup(s, 6);
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "signals");
	sqlite3_finalize(s);
	report_sort(k->v, k->n, sizeof(*k->v), kill_cmp);
	return rc;
}

static char *text_of(const struct report_kill *x, int64_t sig)
{
	const char *name = evfmt_sys_signal_name(sig);
	char num[24], *t = NULL;
	int n;

	if (!name) {
		snprintf(num, sizeof(num), "signal %lld", (long long)sig);
		name = num;
	}
	if (x->oom)
		n = asprintf(&t, "the OOM killer (cgroup %s)",
			     x->cgroup ? x->cgroup : "unknown");
	else if (!x->sender_pid)
		n = asprintf(&t, "%s from the kernel", name);
	else
		n = asprintf(&t, "%s from %u (%s)", name, x->sender_pid,
			     x->sender_comm ? x->sender_comm : "?");
	return n < 0 ? NULL : t;
}

char *report_kills_text(const struct report_kills *k, uint32_t pid,
			uint64_t start, uint64_t end, int64_t sig)
{
	const struct report_kill *gen = NULL;
	size_t lo = 0, hi = k->n;

	if (sig <= 0)
		return NULL;
	while (lo < hi) {	/* the first row of PID */
		size_t m = lo + (hi - lo) / 2;

		if (k->v[m].target_pid < pid)
			lo = m + 1;
		else
			hi = m;
	}
	for (size_t i = lo; i < k->n && k->v[i].target_pid == pid &&
	     k->v[i].ts <= end; i++) {
		const struct report_kill *x = &k->v[i];

		if (x->ts < start)
			continue;
		if (x->oom && sig == SIGKILL_NR)
			return text_of(x, sig);
		if (!x->oom && x->sig == sig)
			gen = x;
	}
	return gen ? text_of(gen, sig) : NULL;
}

void report_kills_free(struct report_kills *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].sender_comm);
		free(k->v[i].cgroup);
	}
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}
