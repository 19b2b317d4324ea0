/*
 * views_sched.c - the views of waiting for a CPU and of signals:
 *
 *   Run queue (tab 9): per thread, its waits for a CPU from a wakeup to
 *     running (analyze/fold/runqlat.h: the rows and figures of `kscope
 *     report runqlat`), the window's aggregate; Enter: who ran instead.
 *   who ran instead (drill-down): while the thread waited, which threads
 *     ran on the CPU it waited on (analyze/fold/instead.h: `report why`'s
 *     ran_instead), from the thread states of the trace's start to the
 *     window's end, computed when the frame is first shown and again when
 *     the window changes.  The thread states are computed in the
 *     background (bgstates.h: the list reads "reading..." meanwhile) and
 *     kept with the Run queue frame below (its data), so the next
 *     thread's drill-down in the same window reuses them.
 *   Signals (tab 0): the signals sent and the OOM killer's kills of the
 *     window (analyze/fold/signals.h); Enter: the target's events from
 *     the signal on.
 */
#include "config.h"
#include "tui/views_sched.h"
#include "analyze/fold/instead.h"
#include "tui/bgstates.h"
#include "analyze/replay/evfmt.h"
#include "analyze/replay/evfmt_sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- Run queue ----------------------------------------------------------- */

enum { RQ_TID, RQ_PID, RQ_COMM, RQ_WAITS, RQ_TOTAL, RQ_AVG, RQ_MAX };
static const struct column runq_cols[] = {
	[RQ_TID] = { "TID", 7, CF_INT, 1 },
	[RQ_PID] = { "PID", 7, CF_TEXT, 0 },
	[RQ_COMM] = { "COMM", 15, CF_TEXT, 1 },
	[RQ_WAITS] = { "WAITS", 8, CF_COUNT, 1 },
	[RQ_TOTAL] = { "TOTAL", 9, CF_DUR, 1 },
	[RQ_AVG] = { "AVG", 9, CF_DUR_STAT, 1 },
	[RQ_MAX] = { "MAX", 9, CF_DUR_STAT, 1 },
};

static size_t runq_count(struct model *m)
{
	struct agg *a = model_agg(m);

	return a ? a->runq.nth : 0;
}

const struct fold_runqlat_thread *views_runq_thread(struct model *m,
						   size_t row)
{
	struct agg *a = model_agg(m);

	return a && row < a->runq.nth ? &a->runq.th[row] : NULL;
}

/* PID as a cell's text, "-" when not known (negative). */
static const char *pid_text(struct model *m, int64_t pid)
{
	snprintf(m->cellbuf, sizeof(m->cellbuf), pid >= 0 ? "%lld" : "-",
		 (long long)pid);
	return m->cellbuf;
}

/* The life a runqlat row is named by: its tid's at the window's end, as
 * `report runqlat` names it. */
static uint64_t runq_life(struct model *m, uint32_t tid)
{
	return names_life(&m->names, tid, model_agg(m)->to);
}

static void runq_get(struct model *m, size_t row, int col, struct cell *c)
{
	const struct fold_runqlat_thread *t = views_runq_thread(m, row);

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case RQ_TID: c->i = t->tid; break;
	case RQ_PID:
		c->s = pid_text(m, names_life_pid(&m->names,
						  runq_life(m, t->tid)));
		break;
	case RQ_COMM: c->s = model_thread_comm(m, runq_life(m, t->tid)); break;
	case RQ_WAITS: c->i = (int64_t)t->waits; break;
	case RQ_TOTAL: c->i = (int64_t)t->total_ns; break;
	case RQ_AVG:
		c->i = t->waits ? (int64_t)(t->total_ns / t->waits) : 0;
		break;
	case RQ_MAX: c->i = (int64_t)t->max_ns; break;
	}
}

static int runq_enter(struct model *m, size_t row)
{
	const struct fold_runqlat_thread *t = views_runq_thread(m, row);
	char label[64];

	if (!t)
		return 0;
	snprintf(label, sizeof(label), "ran instead of %s/%u",
		 model_thread_comm(m, runq_life(m, t->tid)), t->tid);
	return model_push(m, VIEW_INSTEAD, label, "", t->tid);
}

const struct view view_runq = {
	VIEW_RUNQ, "Run queue", runq_cols, 7, RQ_TOTAL, runq_count, runq_get,
	runq_enter, "RunQ"
};

/* ---- who ran instead ------------------------------------------------------ */

/* The thread states of a window (the Run queue frame's data), computed
 * in the background (bgstates.h). */
struct runq_states {
	uint64_t from, to;
	struct bgstates *bg;	/* NULL: it could not start */
};

static void states_free(void *p)
{
	struct runq_states *s = p;

	if (s)
		bgstates_free(s->bg);
	free(s);
}

/* The thread states from the trace's start (a wait begun before the
 * window is known) to the window's end, kept with frame F, waiting up to
 * WAIT_NS for them.  NULL while they are computed (*FAILED 0), or when
 * they cannot be (*FAILED 1, the reason in the status line). */
static const struct tstate *states_get(struct model *m, struct frame *f,
				       uint64_t wait_ns, int *failed)
{
	struct runq_states *s = f->data;
	const struct tstate *t;
	char err[256];

	*failed = 0;
	if (!s || s->from != m->win_from || s->to != m->win_to) {
		if (f->data_free)
			f->data_free(f->data);
		f->data_free = states_free;
		if (!(f->data = s = calloc(1, sizeof(*s)))) {
			*failed = 1;
			model_status(m, 1, "who ran instead: out of memory");
			return NULL;
		}
		s->from = m->win_from;
		s->to = m->win_to;
		s->bg = bgstates_start(m->st, m->span_from < m->win_from ?
				       m->span_from : m->win_from, m->win_to,
				       1, 0, err, sizeof(err));
		if (!s->bg) {
			*failed = 1;
			model_status(m, 1, "who ran instead: %s", err);
			return NULL;
		}
	}
	if (!s->bg) {
		*failed = 1;
		return NULL;
	}
	t = bgstates_get(s->bg, wait_ns, failed, err, sizeof(err));
	if (*failed)
		model_status(m, 1, "who ran instead: %s", err);
	return t;
}

struct instead_data {
	uint64_t from, to;	/* the window of the rows */
	int ready;		/* the rows are computed (or cannot be) */
	struct fold_instead in;
};

static void instead_free(void *p)
{
	struct instead_data *d = p;

	if (d)
		fold_instead_free(&d->in);
	free(d);
}

/* The rows of thread TID's lives in the window of T: `report why --tid
 * TID`'s ran_instead over the same window. */
static int instead_build(struct model *m, struct instead_data *d,
			 const struct tstate *t, uint32_t tid)
{
	const struct tstate_iv *v;
	size_t n;
	int rc;

	if ((rc = fold_instead_init(&d->in, t)) < 0)
		goto oom;
	v = tstate_thread(t, tid, &n);
	for (size_t i = 0, j; i < n; i = j) {
		uint64_t a, b;
		size_t first = (size_t)(&v[i] - t->iv);

		for (j = i; j < n && v[j].life == v[i].life; j++)
			;
		fold_instead_wall(t, m->win_from, m->win_to, first,
				  first + (j - i), &a, &b);
		if ((rc = fold_instead_add(&d->in, v[i].life, tid, a, b)) < 0)
			goto oom;
	}
	fold_instead_sort(&d->in);
	return 0;
oom:
	fold_instead_free(&d->in);
	model_status(m, 1, "who ran instead: out of memory");
	return rc;
}

/* The frame's rows for the current window, waiting up to WAIT_NS for the
 * thread states; NULL while they are computed. */
static struct instead_data *instead_get_rows(struct model *m,
					     uint64_t wait_ns)
{
	struct frame *f = model_frame(m);
	struct instead_data *d = f->data;
	const struct tstate *t;
	int failed;

	if (!d || d->from != m->win_from || d->to != m->win_to) {
		instead_free(d);
		if (!(f->data = d = calloc(1, sizeof(*d))))
			return NULL;
		f->data_free = instead_free;
		d->from = m->win_from;
		d->to = m->win_to;
	}
	if (d->ready)
		return d;
	/* the frame below is the Run queue's: the states are kept there */
	t = m->depth < 2 ? NULL : states_get(m, &m->stack[m->depth - 2],
					      wait_ns, &failed);
	if (!t && !failed && m->depth >= 2)
		return NULL;
	if (t)
		instead_build(m, d, t, (uint32_t)f->arg);
	d->ready = 1;
	return d;
}

/* The thread states of the instead rows' names: the Run queue frame's. */
static const struct tstate *instead_states(struct model *m)
{
	int failed;

	return states_get(m, &m->stack[m->depth - 2], 0, &failed);
}

/* Background work: the thread states, then the rows (the sorted rows
 * are rebuilt when they come). */
static int instead_work(struct model *m, uint64_t budget_ns)
{
	struct frame *f = model_frame(m);
	const struct instead_data *d = f->data;
	int had = d && d->ready && d->from == m->win_from &&
		  d->to == m->win_to;

	if (!instead_get_rows(m, budget_ns < 5000000 ? budget_ns : 5000000))
		return 1;
	if (!had)
		f->stale = 1;
	return 0;
}

enum { IC_TID, IC_CPU, IC_RAN, IC_PID, IC_COMM, IC_TIME, IC_TIMES };
static const struct column instead_cols[] = {
	[IC_TID] = { "TID", 7, CF_INT, 1 },
	[IC_CPU] = { "CPU", 4, CF_INT, 1 },
	[IC_RAN] = { "RAN_TID", 7, CF_INT, 1 },
	[IC_PID] = { "RAN_PID", 7, CF_TEXT, 0 },
	[IC_COMM] = { "RAN_COMM", 15, CF_TEXT, 1 },
	[IC_TIME] = { "TIME", 9, CF_DUR_STAT, 1 },
	[IC_TIMES] = { "TIMES", 6, CF_INT, 1 },
};

/* The rows there are; the frame's background work computes them. */
static size_t instead_count(struct model *m)
{
	struct instead_data *d = instead_get_rows(m, 0);

	model_frame(m)->work = instead_work;
	return d ? d->in.n : 0;
}

static void instead_get(struct model *m, size_t row, int col,
			struct cell *c)
{
	const struct fold_instead_row *x =
		&((struct instead_data *)model_frame(m)->data)->in.v[row];
	const struct tstate *t = instead_states(m);
	const char *comm;

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case IC_TID: c->i = NAMES_LIFE_TID(x->who); break;
	case IC_CPU: c->i = x->cpu; break;
	case IC_RAN: c->i = NAMES_LIFE_TID(x->life); break;
	case IC_PID:
		c->s = pid_text(m, names_life_pid(&t->names, x->life));
		break;
	case IC_COMM:
		comm = names_life_comm(&t->names, x->life);
		c->s = comm ? comm : "?";
		break;
	case IC_TIME: c->i = (int64_t)x->ns; break;
	case IC_TIMES: c->i = (int64_t)x->n; break;
	}
}

/* Enter: the events of the thread that ran. */
static int instead_enter(struct model *m, size_t row)
{
	struct instead_data *d = instead_get_rows(m, 0);
	char scope[64], label[64];
	uint32_t tid;

	if (!d || row >= d->in.n)
		return 0;
	tid = NAMES_LIFE_TID(d->in.v[row].life);
	snprintf(scope, sizeof(scope), "tid = %u", tid);
	snprintf(label, sizeof(label), "Events (tid %u)", tid);
	return model_push(m, VIEW_EVENTS, label, scope, 0);
}

const struct view view_instead = {
	VIEW_INSTEAD, "Ran instead", instead_cols, 7, IC_TIME, instead_count,
	instead_get, instead_enter, NULL
};

/* ---- Signals ---------------------------------------------------------------- */

enum { SG_TIME, SG_SIGNAL, SG_SENDER, SG_TARGET, SG_RESULT };
static const struct column sig_cols[] = {
	[SG_TIME] = { "TIME", 11, CF_TS, 1 },
	[SG_SIGNAL] = { "SIGNAL", 9, CF_TEXT, 1 },
	[SG_SENDER] = { "SENDER", 16, CF_TEXT, 1 },
	[SG_TARGET] = { "TARGET", 16, CF_TEXT, 1 },
	[SG_RESULT] = { "RESULT", 12, CF_TEXT, 1 },
};

static size_t sig_count(struct model *m)
{
	struct agg *a = model_agg(m);

	return a ? a->sigs.n : 0;
}

/* "comm[pid]" of a sender or target; the kernel for pid 0. */
static const char *task_text(struct model *m, const char *comm,
			     uint32_t pid)
{
	if (!pid)
		snprintf(m->cellbuf, sizeof(m->cellbuf), "the kernel");
	else
		snprintf(m->cellbuf, sizeof(m->cellbuf), "%s[%u]",
			 comm ? comm : model_proc_comm(m, pid), pid);
	return m->cellbuf;
}

static void sig_get(struct model *m, size_t row, int col, struct cell *c)
{
	const struct fold_signal *x = &model_agg(m)->sigs.v[row];
	const char *name;

	c->s = NULL;
	c->i = 0;
	switch (col) {
	case SG_TIME: c->i = (int64_t)x->ts; break;
	case SG_SIGNAL:
		if (!(name = evfmt_sys_signal_name(x->sig))) {
			snprintf(m->cellbuf, sizeof(m->cellbuf), "signal %d",
				 x->sig);
			name = m->cellbuf;
		}
		c->s = name;
		break;
	case SG_SENDER:
		c->s = x->oom ? "the OOM killer" :
		       task_text(m, x->sender_comm, x->sender_pid);
		break;
	case SG_TARGET:
		c->s = task_text(m, x->target_comm, x->target_pid);
		break;
	case SG_RESULT:
		if (x->oom)
			snprintf(m->cellbuf, sizeof(m->cellbuf),
				 "memcg %s", x->cgroup ? x->cgroup : "?");
		else if ((name = evfmt_signal_result(x->result)))
			snprintf(m->cellbuf, sizeof(m->cellbuf), "%s", name);
		else
			snprintf(m->cellbuf, sizeof(m->cellbuf), "result %d",
				 x->result);
		c->s = m->cellbuf;
		break;
	}
}

/* Enter: the target's events from the signal on. */
static int sig_enter(struct model *m, size_t row)
{
	const struct fold_signal *x = &model_agg(m)->sigs.v[row];
	char scope[64], label[64];

	snprintf(scope, sizeof(scope), "pid = %u", x->target_pid);
	snprintf(label, sizeof(label), "Events (pid %u)", x->target_pid);
	m->cursor = x->ts;
	return model_push(m, VIEW_EVENTS, label, scope, 0);
}

const struct view view_signals = {
	VIEW_SIGNALS, "Signals", sig_cols, 5, -1, sig_count, sig_get,
	sig_enter, "Sig"
};
