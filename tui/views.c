/*
 * views.c - the view table: for each view its columns and how to read a
 * row and drill down.  Views differ by their entry here, not by code in
 * the model or the drawing (htop's Panel classes, as a table).
 *
 * List views read the current window's aggregate (model_agg); their source
 * rows are indexes into its arrays.  Events, Slowest and SQL frames keep
 * their own data (evlist, grid) and are handled by the model directly;
 * their entries here carry the name and the drill-down.
 */
#include "config.h"
#include "tui/model.h"
#include "tui/views_sched.h"
#include "analyze/sql/sqlfn.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

static struct agg *A(struct model *m)
{
	return model_agg(m);
}

/* ---- Overview (drawn by draw.c from the aggregate) ---------------------- */

static size_t none_count(struct model *m)
{
	return 0;
}

static const struct view view_overview = {
	VIEW_OVERVIEW, "Overview", NULL, 0, -1, none_count, NULL, NULL, "Ovw"
};

/* ---- Timeline (drawn by draw_tl.c from tlview.h) ----------------------- */

static const struct view view_timeline = {
	VIEW_TIMELINE, "Timeline", NULL, 0, -1, none_count, NULL, NULL, "Tml"
};

/* ---- Processes ---------------------------------------------------------- */

enum { PC_PID, PC_COMM, PC_CPU, PC_OFF, PC_SYS, PC_ERR, PC_SYSNS, PC_NET,
       PC_CMD };
static const struct column proc_cols[] = {
	[PC_PID] = { "PID", 7, CF_INT, 1 },
	[PC_COMM] = { "COMM", 15, CF_TEXT, 1 },
	[PC_CPU] = { "CPU", 8, CF_DUR, 1 },
	[PC_OFF] = { "OFF-CPU", 8, CF_DUR, 1 },
	[PC_SYS] = { "SYSCALLS", 9, CF_COUNT, 1 },
	[PC_ERR] = { "ERRORS", 7, CF_COUNT, 1 },
	[PC_SYSNS] = { "IN-SYS", 8, CF_DUR, 1 },
	[PC_NET] = { "NET", 7, CF_BYTES, 1 },
	[PC_CMD] = { "COMMAND", 10, CF_TEXT, 0 },
};

static size_t proc_count(struct model *m)
{
	return A(m) ? A(m)->nprocs : 0;
}

static void task_get(struct model *m, const struct agg_task *t, int col,
		     int thread, struct cell *c)
{
	const struct fold_task *k = agg_task_counts(A(m), t, thread);

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case PC_PID: c->i = t->id; break;
	case PC_COMM:
		c->s = thread ? model_thread_comm(m, t->life) :
				model_proc_comm(m, t->id);
		break;
	case PC_CPU: c->i = (int64_t)t->cpu_ns; break;
	case PC_OFF: c->i = (int64_t)t->off_ns; break;
	case PC_SYS: c->i = (int64_t)k->syscalls; break;
	case PC_ERR: c->i = (int64_t)k->errors; break;
	case PC_SYSNS: c->i = (int64_t)k->sys_ns; break;
	case PC_NET: c->i = (int64_t)k->net_bytes; break;
	case PC_CMD: {
		long i = hmap_index(&m->proc_map, thread ? t->pid : t->id);
		c->s = i >= 0 && m->procs[i].cmdline ? m->procs[i].cmdline : "";
		break;
	}
	}
}

static void proc_get(struct model *m, size_t row, int col, struct cell *c)
{
	task_get(m, &A(m)->procs[row], col, 0, c);
}

static int proc_enter(struct model *m, size_t row)
{
	const struct agg_task *t = &A(m)->procs[row];
	char label[64];

	snprintf(label, sizeof(label), "%s [%u]", model_proc_comm(m, t->id),
		 t->id);
	return model_push(m, VIEW_THREADS, label, "", t->id);
}

static const struct view view_procs = {
	VIEW_PROCS, "Processes", proc_cols, 9, PC_CPU, proc_count, proc_get,
	proc_enter, "Procs"
};

/* ---- Threads of one process (drill-down) -------------------------------- */

/* Row 0 is the whole process; rows 1.. the agg threads of frame->arg. */
static size_t thr_list(struct model *m, size_t *idx, size_t cap)
{
	struct agg *a = A(m);
	uint32_t pid = (uint32_t)model_frame(m)->arg;
	size_t n = 0;

	for (size_t i = 0; a && i < a->nthreads; i++)
		if (a->threads[i].pid == pid) {
			if (idx && n < cap)
				idx[n] = i;
			n++;
		}
	return n;
}

static size_t thr_count(struct model *m)
{
	return 1 + thr_list(m, NULL, 0);
}

static void thr_get(struct model *m, size_t row, int col, struct cell *c)
{
	struct agg *a = A(m);
	uint32_t pid = (uint32_t)model_frame(m)->arg;

	if (row == 0) {
		const struct agg_task *p = a ? agg_proc_find(a, pid) : NULL;
		struct agg_task none = { .id = pid, .pid = pid };
		task_get(m, p ? p : &none, col, 0, c);
		if (col == PC_COMM)
			c->s = "(all threads)";
		return;
	}
	/* Source row R is the R-th matching thread. */
	size_t n = 0;
	for (size_t i = 0; i < a->nthreads; i++)
		if (a->threads[i].pid == pid && ++n == row) {
			task_get(m, &a->threads[i], col, 1, c);
			return;
		}
	c->i = 0;
	c->s = "";
}

static int thr_enter(struct model *m, size_t row)
{
	struct cell c;
	char scope[64], label[64];

	thr_get(m, row, PC_PID, &c);
	if (row == 0) {
		snprintf(scope, sizeof(scope), "pid = %lld", (long long)c.i);
		snprintf(label, sizeof(label), "Events (pid %lld)",
			 (long long)c.i);
	} else {
		snprintf(scope, sizeof(scope), "tid = %lld", (long long)c.i);
		snprintf(label, sizeof(label), "Events (tid %lld)",
			 (long long)c.i);
	}
	return model_push(m, VIEW_EVENTS, label, scope, 0);
}

static const struct view view_threads = {
	VIEW_THREADS, "Threads", proc_cols, 8, -1, thr_count, thr_get,
	thr_enter, NULL
};

/* ---- Syscalls ----------------------------------------------------------- */

enum { SC_NAME, SC_CALLS, SC_ERR, SC_ERRPCT, SC_TOTAL, SC_AVG, SC_MAX };
static const struct column sys_cols[] = {
	[SC_NAME] = { "SYSCALL", 18, CF_TEXT, 1 },
	[SC_CALLS] = { "CALLS", 9, CF_COUNT, 1 },
	[SC_ERR] = { "ERRORS", 8, CF_COUNT, 1 },
	[SC_ERRPCT] = { "ERR%", 6, CF_PCT, 1 },
	[SC_TOTAL] = { "TOTAL", 9, CF_DUR, 1 },
	[SC_AVG] = { "AVG", 9, CF_DUR_STAT, 1 },
	[SC_MAX] = { "MAX", 9, CF_DUR_STAT, 1 },
};

static size_t sys_count(struct model *m)
{
	return A(m) ? A(m)->sysc.n : 0;
}

/* AVG is the mean of the calls that returned (sysc.h), as in `report
 * syscalls`. */
static void sys_get(struct model *m, size_t row, int col, struct cell *c)
{
	const struct fold_sysc_row *y = &A(m)->sysc.v[row];

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case SC_NAME:
		c->s = model_syscall_name(m, y->nr, m->cellbuf,
					  sizeof(m->cellbuf));
		break;
	case SC_CALLS: c->i = (int64_t)y->calls; break;
	case SC_ERR: c->i = (int64_t)y->errors; break;
	case SC_ERRPCT:
		c->i = y->calls ? (int64_t)(y->errors * 1000 / y->calls) : 0;
		break;
	case SC_TOTAL: c->i = (int64_t)y->total; break;
	case SC_AVG: c->i = y->timed ? (int64_t)(y->total / y->timed) : 0; break;
	case SC_MAX: c->i = (int64_t)y->max; break;
	}
}

static int sys_enter(struct model *m, size_t row)
{
	const struct fold_sysc_row *y = &A(m)->sysc.v[row];
	char buf[64], label[96];
	const char *name = model_syscall_name(m, y->nr, buf, sizeof(buf));

	snprintf(label, sizeof(label), "slowest %s", name);
	return model_push(m, VIEW_SLOWEST, label, "", y->nr);
}

static const struct view view_syscalls = {
	VIEW_SYSCALLS, "Syscalls", sys_cols, 7, SC_TOTAL, sys_count, sys_get,
	sys_enter, "Sys"
};

/* ---- Events (evlist; one text column) ----------------------------------- */

static const struct column ev_cols[] = { { "EVENT", 20, CF_TEXT, 0 } };

static size_t ev_count(struct model *m)
{
	struct frame *f = model_frame(m);
	return f->ev ? f->ev->n : 0;
}

static void ev_get(struct model *m, size_t row, int col, struct cell *c)
{
	struct frame *f = model_frame(m);
	c->i = 0;
	c->s = f->ev && row < f->ev->n ? f->ev->rows[row].text : "";
}

static int ev_enter(struct model *m, size_t row)
{
	struct frame *f = model_frame(m);
	const struct evrow *r;
	char scope[64], label[64];

	if (!f->ev || row >= f->ev->n)
		return 0;
	r = &f->ev->rows[row];
	/* Enter on an event: that thread's events around it. */
	long tid = -1;
	const char *slash = strchr(r->text, '/');
	if (slash)
		tid = strtol(slash + 1, NULL, 10);
	if (tid <= 0)
		return 0;
	m->cursor = r->ts;
	snprintf(scope, sizeof(scope), "tid = %ld", tid);
	snprintf(label, sizeof(label), "Events (tid %ld)", tid);
	return model_push(m, VIEW_EVENTS, label, scope, 0);
}

static const struct view view_events = {
	VIEW_EVENTS, "Events", ev_cols, 1, -1, ev_count, ev_get, ev_enter, "Ev"
};

/* ---- Connections ------------------------------------------------------- */

/* One row per connection, the rows and figures of `kscope report net`
 * (analyze/fold/conn.h): both endpoints, the process, the role, when it
 * started, how long it lived, its connect latency, bytes each way,
 * retransmits, resets and its state. */
enum { CC_PID, CC_COMM, CC_LOCAL, CC_REMOTE, CC_ROLE, CC_START, CC_LIFE,
       CC_CONNECT, CC_TX, CC_RX, CC_RETR, CC_RST, CC_STATE };
static const struct column conn_cols[] = {
	[CC_PID] = { "PID", 7, CF_INT, 1 },
	[CC_COMM] = { "COMM", 14, CF_TEXT, 1 },
	[CC_LOCAL] = { "LOCAL", 21, CF_TEXT, 1 },
	[CC_REMOTE] = { "REMOTE", 21, CF_TEXT, 1 },
	[CC_ROLE] = { "ROLE", 7, CF_TEXT, 1 },
	[CC_START] = { "START", 11, CF_TS, 1 },
	[CC_LIFE] = { "LIFETIME", 9, CF_DUR, 1 },
	[CC_CONNECT] = { "CONNECT", 8, CF_DUR, 1 },
	[CC_TX] = { "SENT", 7, CF_BYTES, 1 },
	[CC_RX] = { "RECV", 7, CF_BYTES, 1 },
	[CC_RETR] = { "RETR", 5, CF_COUNT, 1 },
	[CC_RST] = { "RST", 4, CF_COUNT, 1 },
	[CC_STATE] = { "STATE", 11, CF_TEXT, 1 },
};

static size_t conn_count(struct model *m)
{
	return A(m) ? A(m)->nconns : 0;
}

static const struct fold_conn_row *conn_row(struct model *m, size_t row)
{
	return &A(m)->conn.v[A(m)->conns[row]];
}

static void conn_get(struct model *m, size_t row, int col, struct cell *c)
{
	static char ends[2][80]; /* the endpoints' text, until the next call */
	const struct fold_conn *a = &A(m)->conn;
	const struct fold_conn_row *k = conn_row(m, row);

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case CC_PID: c->i = k->pid; break;
	case CC_COMM: c->s = k->comm ? fold_conn_str(a, k->comm) : NULL; break;
	case CC_LOCAL:
		fold_conn_endpoint(ends[0], sizeof(ends[0]),
				   fold_conn_str(a, k->saddr), k->sport);
		c->s = ends[0];
		break;
	case CC_REMOTE:
		fold_conn_endpoint(ends[1], sizeof(ends[1]),
				   fold_conn_str(a, k->daddr), k->dport);
		c->s = ends[1];
		break;
	case CC_ROLE: c->s = fold_conn_role(k); break;
	case CC_START: c->i = (int64_t)k->start; break;
	case CC_LIFE:
		c->i = (int64_t)(fold_conn_end(k, A(m)->to) - k->start);
		break;
	case CC_CONNECT:
		c->i = k->syn && k->est ? (int64_t)(k->est - k->syn) : 0;
		break;
	case CC_TX: c->i = (int64_t)k->sent; break;
	case CC_RX: c->i = (int64_t)k->recv; break;
	case CC_RETR: c->i = k->retrans; break;
	case CC_RST: c->i = (int64_t)k->rst_sent + k->rst_recv; break;
	case CC_STATE: c->s = fold_conn_state(k); break;
	}
}

/* Enter: the connection's events (its socket over its life). */
static int conn_enter(struct model *m, size_t row)
{
	const struct fold_conn_row *k = conn_row(m, row);
	char scope[128], label[64];

	/* SQL shows the 64-bit socket identity as a signed integer */
	snprintf(scope, sizeof(scope), "sock = %lld and ts >= %llu and "
		 "ts <= %llu", (long long)k->sock,
		 (unsigned long long)k->start, (unsigned long long)k->last);
	snprintf(label, sizeof(label), "Events (%u -> %u)", k->sport,
		 k->dport);
	m->cursor = k->start;
	return model_push(m, VIEW_EVENTS, label, scope, 0);
}

static const struct view view_conns = {
	VIEW_CONNS, "Connections", conn_cols, 13, CC_TX, conn_count, conn_get,
	conn_enter, "Conns"
};

/* ---- Files -------------------------------------------------------------- */

enum { FC_CALLS, FC_ERR, FC_TIME, FC_PATH };
static const struct column file_cols[] = {
	[FC_CALLS] = { "CALLS", 8, CF_COUNT, 1 },
	[FC_ERR] = { "ERRORS", 8, CF_COUNT, 1 },
	[FC_TIME] = { "TIME", 9, CF_DUR, 1 },
	[FC_PATH] = { "PATH", 20, CF_TEXT, 1 },
};

static size_t file_count(struct model *m)
{
	return A(m) ? A(m)->files.nnamed : 0;
}

/* Row R is the R-th path a call named (files.h). */
static const char *file_path(struct model *m, size_t row)
{
	return A(m)->files.paths.s[A(m)->files.named[row]];
}

static void file_get(struct model *m, size_t row, int col, struct cell *c)
{
	const struct fold_files_path *f =
		&A(m)->files.pv[A(m)->files.named[row]];

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case FC_CALLS: c->i = (int64_t)f->calls; break;
	case FC_ERR: c->i = (int64_t)f->errors; break;
	case FC_TIME: c->i = (int64_t)f->time; break;
	case FC_PATH: c->s = file_path(m, row); break;
	}
}

/* Quote S for the filter language. */
static void quote(char *out, size_t len, const char *s)
{
	size_t o = 0;

	if (len < 3)
		return;
	out[o++] = '"';
	for (; *s && o + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o++] = '"';
	out[o] = '\0';
}

static int file_enter(struct model *m, size_t row)
{
	char q[200], scope[220];

	quote(q, sizeof(q), file_path(m, row));
	snprintf(scope, sizeof(scope), "path = %s", q);
	return model_push(m, VIEW_EVENTS, "Events (file)", scope,
			  EVENTS_AT_FIRST);
}

static const struct view view_files = {
	VIEW_FILES, "Files", file_cols, 4, FC_CALLS, file_count, file_get,
	file_enter, NULL
};

/* ---- Errors ------------------------------------------------------------- */

enum { EC_NAME, EC_ERRNO, EC_COUNT };
static const struct column err_cols[] = {
	[EC_NAME] = { "SYSCALL", 18, CF_TEXT, 1 },
	[EC_ERRNO] = { "ERRNO", 14, CF_TEXT, 1 },
	[EC_COUNT] = { "COUNT", 9, CF_COUNT, 1 },
};

static size_t err_count(struct model *m)
{
	return A(m) ? A(m)->errs.nk : 0;
}

static void err_get(struct model *m, size_t row, int col, struct cell *c)
{
	const struct fold_errs_key *e = &A(m)->errs.k[row];

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case EC_NAME:
		c->s = model_syscall_name(m, e->nr, m->cellbuf,
					  sizeof(m->cellbuf));
		break;
	case EC_ERRNO:
		c->s = sqlfn_errno_label(e->ret, m->cellbuf,
					 sizeof(m->cellbuf));
		break;
	case EC_COUNT: c->i = (int64_t)e->count; break;
	}
}

static int err_enter(struct model *m, size_t row)
{
	const struct fold_errs_key *e = &A(m)->errs.k[row];
	char scope[96], label[96], buf[64];
	const char *name = model_syscall_name(m, e->nr, buf, sizeof(buf));
	snprintf(scope, sizeof(scope), "kind = syscall and nr = %d and "
		 "errno = %d", e->nr, (int)-e->ret);
	snprintf(label, sizeof(label), "Events (%s errno %d)", name,
		 (int)-e->ret);
	return model_push(m, VIEW_EVENTS, label, scope, EVENTS_AT_FIRST);
}

static const struct view view_errors = {
	VIEW_ERRORS, "Errors", err_cols, 3, EC_COUNT, err_count, err_get,
	err_enter, "Err"
};

/* ---- grids: Slowest calls and SQL results --------------------------------- */

static size_t grid_count(struct model *m)
{
	struct frame *f = model_frame(m);
	return f->grid ? f->grid->n : 0;
}

/* SQL NULL reads "NULL" in the SQL prompt's answer, "-" (none) in the
 * slowest calls. */
static void grid_get(struct model *m, size_t row, int col, struct cell *c)
{
	struct frame *f = model_frame(m);
	c->i = 0;
	c->s = f->grid && row < f->grid->n && col < f->grid->ncols &&
			       f->grid->rows[row].cells[col] ?
		       f->grid->rows[row].cells[col] :
		       f->view == VIEW_SLOWEST ? "-" : "NULL";
}

/* Slowest: columns time, took, pid, tid, comm, ret, err, path, ts, dur
 * (model.c, slowest_build). */
static int slow_enter(struct model *m, size_t row)
{
	struct frame *f = model_frame(m);
	char scope[64], label[64];

	if (!f->grid || row >= f->grid->n || f->grid->ncols < 10 ||
	    !f->grid->rows[row].cells[3] || !f->grid->rows[row].cells[8])
		return 0;
	m->cursor = strtoull(f->grid->rows[row].cells[8], NULL, 10);
	snprintf(scope, sizeof(scope), "tid = %s",
		 f->grid->rows[row].cells[3]);
	snprintf(label, sizeof(label), "Events (tid %s)",
		 f->grid->rows[row].cells[3]);
	return model_push(m, VIEW_EVENTS, label, scope, 0);
}

static const struct view view_slowest = {
	VIEW_SLOWEST, "Slowest", NULL, 0, -1, grid_count, grid_get, slow_enter,
	NULL
};

static const struct view view_sql = {
	VIEW_SQL, "SQL", NULL, 0, -1, grid_count, grid_get, NULL, NULL
};

const struct view *const views[VIEW_COUNT] = {
	[VIEW_OVERVIEW] = &view_overview,
	[VIEW_PROCS] = &view_procs,
	[VIEW_SYSCALLS] = &view_syscalls,
	[VIEW_EVENTS] = &view_events,
	[VIEW_CONNS] = &view_conns,
	[VIEW_FILES] = &view_files,
	[VIEW_ERRORS] = &view_errors,
	[VIEW_TIMELINE] = &view_timeline,
	[VIEW_RUNQ] = &view_runq,
	[VIEW_SIGNALS] = &view_signals,
	[VIEW_THREADS] = &view_threads,
	[VIEW_SLOWEST] = &view_slowest,
	[VIEW_SQL] = &view_sql,
	[VIEW_INSTEAD] = &view_instead,
};
