/*
 * report_procs.c - `kscope report FILE procs`: the process tree during
 * the trace.
 *
 *     kscope report t.kscope procs
 *     kscope report t.kscope procs --pid 1234      1234 and its descendants
 *
 * A process is a row of the processes table: (pid, start_ts) is its
 * identity, so a reused pid is another process and never merges with the
 * first.  The tree shows the processes that started, exec'd or ended in
 * the window (filtered by --pid: that process and its descendants; by
 * --comm: the processes of that name), with their ancestors for context.
 * A process's parent is the row of its ppid that started last before it.
 * exec events (proc_events) in the window give the argv shown and the exec
 * count; an exit event of the process's main thread gives the exit code
 * and signal when the processes row has none.  Lifetime is end - start for
 * processes that ended; a process still alive has no end.  The table
 * "activity" then gives each process's system calls, failures, time in
 * them and TCP bytes in the window (analyze/fold/tasks.h), as the TUI's
 * Processes view counts them.  In the table "failed", killed_by says who
 * sent the fatal signal ("SIGKILL from 1234 (bash)", "the OOM killer
 * (cgroup /x)"), from the signals table (kills.h); NULL when the trace
 * does not say.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/output/plural.h"
#include "analyze/report/kills.h"
#include "analyze/fold/tasks.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct proc {
	uint32_t pid, ppid;
	uint64_t start, end;	/* end 0: alive at the trace's end */
	int has_end, has_exit;
	int64_t exit_code, exit_signal;
	char *comm, *cmdline, *argv;
	unsigned execs;
	int parent;		/* index, -1 none */
	int relevant, shown, depth, printed;
	int first_child, next_sibling;
};

struct procs {
	struct report *r;
	struct proc *v;
	size_t n, cap;
};

static int proc_cmp(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The row of PID that started last at or before TS, or -1. */
static int proc_at(const struct procs *p, uint32_t pid, uint64_t ts)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {	/* first row > (pid, ts) */
		size_t m = lo + (hi - lo) / 2;
		if (p->v[m].pid < pid ||
		    (p->v[m].pid == pid && p->v[m].start <= ts))
			lo = m + 1;
		else
			hi = m;
	}
	if (lo == 0 || p->v[lo - 1].pid != pid)
		return -1;
	return (int)lo - 1;
}

static int procs_load(struct report *r, struct procs *p)
{
	sqlite3_stmt *s = report_prepare(r, "SELECT pid, ppid, comm, cmdline,"
					 " start_ts, end_ts, exit_code,"
					 " exit_signal FROM processes");
	int src, rc = 0;

	if (!s)
		return -EIO;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		struct proc *q;

		if (report_grow(&p->v, &p->cap, p->n + 1, sizeof(*p->v)) < 0) {
			rc = report_fail(r, -ENOMEM, "out of memory");
			break;
		}
		q = &p->v[p->n++];
		memset(q, 0, sizeof(*q));
		q->pid = (uint32_t)sqlite3_column_int64(s, 0);
		q->ppid = (uint32_t)sqlite3_column_int64(s, 1);
		q->comm = report_col_dup(s, 2);
		q->cmdline = report_col_dup(s, 3);
		q->start = (uint64_t)sqlite3_column_int64(s, 4);
		q->has_end = sqlite3_column_type(s, 5) != SQLITE_NULL;
		q->end = (uint64_t)sqlite3_column_int64(s, 5);
		q->has_exit = sqlite3_column_type(s, 6) != SQLITE_NULL;
		q->exit_code = sqlite3_column_int64(s, 6);
		q->exit_signal = sqlite3_column_int64(s, 7);
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "processes");
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	report_sort(p->v, p->n, sizeof(*p->v), proc_cmp);

	/* exec and exit events of the window */
	s = report_prepare(r, "SELECT ts, kind, pid, tid, argv, filename,"
			   " exit_code, exit_signal FROM proc_events WHERE"
			   " ts BETWEEN ?1 AND ?2 AND kind IN ('exec', 'exit')"
			   " ORDER BY ts");
	if (!s)
		return -EIO;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		uint64_t ts = (uint64_t)sqlite3_column_int64(s, 0);
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		uint32_t pid = (uint32_t)sqlite3_column_int64(s, 2);
		uint32_t tid = (uint32_t)sqlite3_column_int64(s, 3);
		int ix = proc_at(p, pid, ts);
		struct proc *q;

		if (ix < 0 || !kind)
			continue;
		q = &p->v[ix];
		if (!strcmp(kind, "exec")) {
			char *a = report_col_dup(s, 4);
			if (!a)
				a = report_col_dup(s, 5);
			free(q->argv);
			q->argv = a;
			q->execs++;
		} else if (tid == pid && !q->has_exit) {
			q->has_exit = 1;
			q->exit_code = sqlite3_column_int64(s, 6);
			q->exit_signal = sqlite3_column_int64(s, 7);
			if (!q->has_end) {
				q->has_end = 1;
				q->end = ts;
			}
		}
	}
	if (src != SQLITE_DONE)
		rc = report_sql_fail(r, "proc_events");
	sqlite3_finalize(s);
	return rc;
}

static int desc_of(const struct procs *p, int i, uint32_t pid)
{
	for (int depth = 0; i >= 0 && depth < 4096; depth++) {
		if (p->v[i].pid == pid)
			return 1;
		i = p->v[i].parent;
	}
	return 0;
}

struct walk {
	struct report *r;
	struct procs *p;
	int rc;
	size_t rows;
};

static struct output_cell indent(struct report *r, const struct proc *q)
{
	char *b;
	size_t n;

	if (r->o->fmt != OUTPUT_FORMAT_TABLE || !q->depth)
		return report_text(q->comm);
	b = r->cellbuf[r->ncell++ % REPORT_CELLBUFS];
	n = (size_t)(q->depth < 10 ? q->depth : 10) * 2;
	memset(b, ' ', n);
	snprintf(b + n, sizeof(r->cellbuf[0]) - n, "%s",
		 q->comm ? q->comm : "?");
	return OUTPUT_TEXT(b);
}

static void walk_row(struct walk *w, int i)
{
	struct report *r = w->r;
	struct proc *q = &w->p->v[i];
	const char *argv = q->argv ? q->argv : q->cmdline;

	q->printed = 1;
	if (w->rc < 0 || (r->o->top && w->rows >= r->o->top))
		return;
	w->rows++;
	w->rc = report_table_row(r, (struct output_cell[]){
		OUTPUT_INT(q->pid), OUTPUT_INT(q->ppid), indent(r, q),
		OUTPUT_INT(q->depth), report_ts(r, (int64_t)q->start),
		q->has_end ? report_ts(r, (int64_t)q->end) : OUTPUT_NULL,
		q->has_end && q->end >= q->start ?
			report_dur(r, (int64_t)(q->end - q->start)) :
			OUTPUT_NULL,
		q->has_exit ? OUTPUT_INT(q->exit_code) : OUTPUT_NULL,
		q->has_exit ? report_signal(r, q->exit_signal) : OUTPUT_NULL,
		OUTPUT_INT(q->execs), report_text_cut(r, argv) });
}

/* Print the subtree of ROOT depth first, children by start, with an
 * explicit stack (STACK holds every shown process): a trace file is
 * untrusted, and a chain of a million processes must not overflow the C
 * stack. */
static void walk_tree(struct walk *w, int root, int *stack)
{
	struct procs *p = w->p;
	size_t n = 0;

	stack[n++] = root;
	while (n > 0 && w->rc == 0) {
		int i = stack[--n], k = 0;

		if (p->v[i].printed)
			continue;
		walk_row(w, i);
		/* children in reverse, so that the earliest pops first */
		for (int c = p->v[i].first_child; c >= 0;
		     c = p->v[c].next_sibling)
			k++;
		n += (size_t)k;
		for (int c = p->v[i].first_child, j = 1; c >= 0;
		     c = p->v[c].next_sibling, j++)
			stack[n - (size_t)j] = c;
	}
}

static int start_cmp(const void *x, const void *y, void *arg)
{
	const struct procs *ps = arg;
	const struct proc *a = &ps->v[*(const int *)x];
	const struct proc *b = &ps->v[*(const int *)y];

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

static int activity_cmp(const void *x, const void *y)
{
	const struct fold_task *a = x, *b = y;

	if (a->syscalls != b->syscalls)
		return a->syscalls < b->syscalls ? 1 : -1;
	if (a->net_bytes != b->net_bytes)
		return a->net_bytes < b->net_bytes ? 1 : -1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The table "activity": per process of the window its system calls,
 * failed calls, time in them and TCP bytes (analyze/fold/tasks.h, the
 * count columns of the TUI's Processes view), busiest first. */
static int activity_table(struct report *r)
{
	static const char *const cols[] = {
		"pid", "comm", "syscalls", "errors", "syscall_ns", "net_bytes"
	};
	struct fold_tasks t;
	int rc;

	if ((rc = fold_tasks_init(&t, 0)) < 0)
		return report_fail(r, rc, "out of memory");
	if ((rc = report_fold(r, EV_SYSCALL, FOLD_TASKS_FIELDS, fold_tasks_fn,
			      &t)) < 0 ||
	    (rc = report_fold(r, EV_NET, FOLD_TASKS_NET_FIELDS, fold_tasks_fn,
			      &t)) < 0)
		goto out;
	report_sort(t.procs.v, t.procs.n, sizeof(*t.procs.v), activity_cmp);
	rc = report_table_begin(r, "activity", "System calls and TCP bytes "
				"by process", 6, cols);
	for (size_t i = 0; rc == 0 && i < t.procs.n &&
	     (!r->o->top || i < r->o->top); i++) {
		const struct fold_task *q = &t.procs.v[i];
		char *comm = report_proc_comm(r, q->id);

		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(q->id), report_text(comm),
			OUTPUT_INT((int64_t)q->syscalls),
			OUTPUT_INT((int64_t)q->errors),
			report_dur(r, (int64_t)q->sys_ns),
			OUTPUT_INT((int64_t)q->net_bytes) });
		free(comm);
	}
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
out:
	fold_tasks_free(&t);
	return rc;
}

static int end_cmp(const void *x, const void *y, void *arg)
{
	const struct procs *ps = arg;
	const struct proc *a = &ps->v[*(const int *)x];
	const struct proc *b = &ps->v[*(const int *)y];

	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

int report_procs_run(struct report *r)
{
	static const char *const cols[] = {
		"pid", "ppid", "comm", "depth", "start_ts", "end_ts",
		"lifetime_ns", "exit_code", "signal", "execs", "argv"
	};
	static const char *const xcols[] = {
		"end_ts", "pid", "comm", "exit_code", "signal", "lifetime_ns",
		"argv", "killed_by"
	};
	struct report_kills kills = { 0 };
	struct procs p = { .r = r };
	struct walk w = { .r = r, .p = &p };
	int *order = NULL, *stack = NULL, rc;
	size_t nshown = 0, alive = 0;
	char file[512];

	if ((rc = procs_load(r, &p)) < 0)
		goto out;
	for (size_t i = 0; i < p.n; i++) {
		struct proc *q = &p.v[i];

		q->parent = q->ppid ? proc_at(&p, q->ppid, q->start) : -1;
		if (q->parent == (int)i)
			q->parent = -1;
		q->first_child = q->next_sibling = -1;
		q->relevant = (q->start >= r->from && q->start <= r->to) ||
			      (q->has_end && q->end >= r->from &&
			       q->end <= r->to) || q->execs;
		if (!q->relevant && q->start <= r->to &&
		    (!q->has_end || q->end >= r->from))
			alive++;
	}
	/* filters, then ancestors for context */
	for (size_t i = 0; i < p.n; i++) {
		struct proc *q = &p.v[i];
		int ok = q->relevant;

		if (r->o->pid >= 0)
			ok = (ok || q->pid == (uint64_t)r->o->pid) &&
			     desc_of(&p, (int)i, (uint32_t)r->o->pid);
		if (ok && r->o->comm)
			ok = q->comm && !strcmp(q->comm, r->o->comm);
		if (!ok)
			continue;
		for (int a = (int)i, d = 0; a >= 0 && !p.v[a].shown &&
		     d < 4096; a = p.v[a].parent, d++)
			p.v[a].shown = 1;
	}
	/* children lists, by start */
	order = malloc((p.n + 1) * sizeof(*order));
	if (!order) {
		rc = report_fail(r, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < p.n; i++)
		if (p.v[i].shown)
			order[nshown++] = (int)i;
	report_sort_r(order, nshown, sizeof(*order), start_cmp, &p);
	for (size_t k = nshown; k-- > 0;) {
		struct proc *q = &p.v[order[k]];
		if (q->parent >= 0 && p.v[q->parent].shown) {
			q->next_sibling = p.v[q->parent].first_child;
			p.v[q->parent].first_child = order[k];
		}
	}
	for (size_t k = 0; k < nshown; k++) {
		struct proc *q = &p.v[order[k]];
		int d = 0;
		for (int a = q->parent; a >= 0 && p.v[a].shown && d < 4096;
		     a = p.v[a].parent)
			d++;
		q->depth = d;
	}
	rc = report_table_begin(r, "tree", "Processes (started, exec'd or "
				"ended in the window, with their ancestors)",
				11, cols);
	stack = malloc((nshown + 1) * sizeof(*stack));
	if (!stack && rc == 0)
		rc = report_fail(r, -ENOMEM, "out of memory");
	for (size_t k = 0; rc == 0 && k < nshown; k++) {
		const struct proc *q = &p.v[order[k]];
		if (q->parent >= 0 && p.v[q->parent].shown)
			continue;	/* printed under its parent */
		walk_tree(&w, order[k], stack);
		rc = w.rc;
	}
	/* parent links that loop (equal start times in a damaged file)
	 * leave processes no root reaches: print them too */
	for (size_t k = 0; rc == 0 && k < nshown; k++) {
		if (p.v[order[k]].printed)
			continue;
		walk_tree(&w, order[k], stack);
		rc = w.rc;
	}
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}

	/* the ones that failed or were killed, by end */
	size_t nfail = 0;
	for (size_t k = 0; k < nshown; k++) {
		const struct proc *q = &p.v[order[k]];
		if (q->has_exit && (q->exit_code || q->exit_signal) &&
		    q->has_end && q->end >= r->from && q->end <= r->to)
			order[nfail++] = order[k];
	}
	report_sort_r(order, nfail, sizeof(*order), end_cmp, &p);
	if (rc == 0 && nfail)
		rc = report_kills_load(r, &kills);
	if (rc == 0)
		rc = report_table_begin(r, "failed", "Exits with a non-zero "
					"code or a signal", 8, xcols);
	for (size_t k = 0; rc == 0 && k < nfail; k++) {
		const struct proc *q = &p.v[order[k]];
		char *by = report_kills_text(&kills, q->pid, q->start, q->end,
					     q->exit_signal);

		rc = report_table_row(r, (struct output_cell[]){
			report_ts(r, (int64_t)q->end), OUTPUT_INT(q->pid),
			report_text(q->comm), OUTPUT_INT(q->exit_code),
			report_signal(r, q->exit_signal),
			q->end >= q->start ? report_dur(r, (int64_t)(q->end -
								   q->start)) :
					     OUTPUT_NULL,
			report_text_cut(r, q->argv ? q->argv : q->cmdline),
			report_text(by) });
		free(by);
	}
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	if (rc == 0)
		rc = activity_table(r);
	if (rc == 0 && alive)
		rc = report_note(r, "%zu more %s alive in the "
				 "window without starting, exec'ing or ending:"
				 " kscope query %s \"SELECT * FROM "
				 "processes\"", alive,
				 plural(alive, "process was", "processes were"),
				 report_file_word(r, file, sizeof(file)));
out:
	report_kills_free(&kills);
	free(order);
	free(stack);
	for (size_t i = 0; i < p.n; i++) {
		free(p.v[i].comm);
		free(p.v[i].cmdline);
		free(p.v[i].argv);
	}
	free(p.v);
	return rc;
}
