/*
 * report_why.c - `kscope report FILE why (--tid T | --pid P | --comm C)`:
 * where a thread's time went in the window, and what its longest waits
 * waited on.
 *
 *     kscope report t.kscope why --tid 4001 --from +1s --to +2s
 *
 * Computed from the thread states of the window (analyze/fold/tstate.h,
 * the engine of SQL thread_state), for each thread --tid, --pid or
 * --comm selects (a life of a reused tid counts apart); without them,
 * for the thread that spent the most time not running (runnable,
 * sleeping or blocked) in the window:
 *
 *   wall time: from the window's start (or the thread's start, when it
 *     began in the window) to the window's end (or its death, or the end
 *     of the recording).  The states are computed from the trace's start,
 *     so that a wait begun before the window is known in it; every
 *     interval is clipped to the wall time, and the figures below add up
 *     to it exactly, "not known" being what no interval covers (before
 *     the trace first sees the thread, lost events).
 *   breakdown: running; waiting for a CPU (runnable); sleeping and
 *     blocked, each by cause = (syscall, fd_name, blocked_in); largest
 *     first, with the share of the wall time.
 *   ran_instead: while the thread waited for a CPU, which threads ran on
 *     the CPU it waited on (the one it left when preempted, the wakeup's
 *     target CPU when woken), with the time they overlap its wait.
 *   critical_path: for its longest sleeps and blocks (--top), hop by hop:
 *     what woke the waiting thread; when a task, what that task was
 *     itself waiting on before it ran the wakeup (its last sleep or block
 *     before the run during which it woke the thread, stepping back over
 *     runnable time), and so on, until an interrupt (a timer when the
 *     interrupt is "hrtimer", TIMER or HRTIMER), a task that was running
 *     all along (no wait of it in the window before the wakeup), a wait
 *     whose waker is not known, or WHY_DEPTH hops.
 */
#include "config.h"
#include "analyze/fold/instead.h"
#include "analyze/fold/tstate.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define WHY_DEPTH 5

enum { PART_RUNNING, PART_RUNNABLE, PART_WAIT, PART_UNKNOWN };

static const char *const part_names[] = {
	"running", "waiting for a CPU", NULL, "not known"
};

struct part {		/* one row of the breakdown */
	uint64_t life;
	int kind;	/* PART_* */
	int state;	/* PART_WAIT: sleeping or blocked */
	int32_t nr;
	uint32_t fd_name, blocked_in;
	uint64_t ns, n;
};

struct who {		/* a selected thread (life) */
	uint64_t life;
	uint32_t tid;
	uint64_t a, b;	/* its wall time [a, b) */
	uint64_t ns[TSTATE_NSTATES], known;
	int partial;
};

struct why {
	struct report *r;
	struct tstate *t;
	int any;		/* no --tid, --pid, --comm: only life pick */
	uint64_t pick;
	struct who *who;
	size_t nwho, capwho;
	struct part *parts;
	size_t nparts, capparts;
	int ctx_unknown;	/* a hop's waker has no waker_ctx */
};

static int who_ok(struct why *w, const struct tstate_iv *v)
{
	const struct report_opts *o = w->r->o;
	const char *comm;

	if (w->any)
		return v->life == w->pick;
	if (o->tid >= 0 && v->tid != (uint64_t)o->tid)
		return 0;
	if (o->pid >= 0 && tstate_pid(w->t, v) != o->pid)
		return 0;
	comm = tstate_comm(w->t, v);
	return !o->comm || (comm && !strcmp(comm, o->comm));
}

/* [a, b) of V clipped to [A, B). */
static uint64_t clip(const struct tstate_iv *v, uint64_t a, uint64_t b)
{
	uint64_t lo = v->ts > a ? v->ts : a;
	uint64_t hi = v->ts + v->dur < b ? v->ts + v->dur : b;

	return hi > lo ? hi - lo : 0;
}

static int part_add(struct why *w, const struct part *p)
{
	for (size_t i = w->nparts; i-- > 0;) {
		struct part *q = &w->parts[i];

		if (q->life != p->life)
			break;
		if (q->kind == p->kind && q->state == p->state &&
		    q->nr == p->nr && q->fd_name == p->fd_name &&
		    q->blocked_in == p->blocked_in) {
			q->ns += p->ns;
			q->n += p->n;
			return 0;
		}
	}
	if (report_grow(&w->parts, &w->capparts, w->nparts + 1,
			sizeof(*w->parts)) < 0)
		return -ENOMEM;
	w->parts[w->nparts++] = *p;
	return 0;
}

/* The selected lives, their wall time and breakdown. */
static int why_split(struct why *w)
{
	const struct tstate *t = w->t;
	struct report *r = w->r;

	for (size_t i = 0; i < t->n;) {
		const struct tstate_iv *v = &t->iv[i];
		size_t j = i;
		struct who u = { .life = v->life, .tid = v->tid };

		while (j < t->n && t->iv[j].tid == v->tid &&
		       t->iv[j].life == v->life)
			j++;
		if (!who_ok(w, v)) {
			i = j;
			continue;
		}
		/* the folds end windows at r->to */
		fold_instead_wall(t, r->from, r->to, i, j, &u.a, &u.b);
		for (size_t k = i; k < j; k++) {
			const struct tstate_iv *x = &t->iv[k];
			uint64_t d = clip(x, u.a, u.b);
			struct part p = { .life = u.life, .nr = -1, .n = 1,
					  .ns = d };

			if (!d)
				continue;
			u.ns[x->state] += d;
			u.known += d;
			u.partial |= x->partial != 0;
			if (x->state == TSTATE_RUNNING) {
				p.kind = PART_RUNNING;
			} else if (x->state == TSTATE_RUNNABLE) {
				p.kind = PART_RUNNABLE;
			} else {
				p.kind = PART_WAIT;
				p.state = x->state;
				p.nr = x->nr;
				p.fd_name = x->fd_name;
				p.blocked_in = x->blocked_in;
			}
			if (part_add(w, &p) < 0)
				return -ENOMEM;
		}
		if (u.b - u.a > u.known &&
		    part_add(w, &(struct part){ .life = u.life,
				 .kind = PART_UNKNOWN, .nr = -1, .n = 0,
				 .ns = u.b - u.a - u.known }) < 0)
			return -ENOMEM;
		if (report_grow(&w->who, &w->capwho, w->nwho + 1,
				sizeof(*w->who)) < 0)
			return -ENOMEM;
		w->who[w->nwho++] = u;
		i = j;
	}
	return 0;
}

static int part_cmp(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	if (x->life != y->life)
		return x->life < y->life ? -1 : 1;
	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static double share(uint64_t ns, uint64_t wall)
{
	return wall ? (double)(int64_t)(10000.0 * (double)ns / (double)wall +
					0.5) / 100 : 0;
}

static const struct who *who_of(const struct why *w, uint64_t life)
{
	for (size_t i = 0; i < w->nwho; i++)
		if (w->who[i].life == life)
			return &w->who[i];
	return NULL;
}

static struct output_cell sysname(struct report *r, int32_t nr)
{
	return nr >= 0 ? report_sysname(r, nr) : OUTPUT_NULL;
}

static int print_split(struct why *w)
{
	static const char *const tcols[] = {
		"tid", "pid", "comm", "wall_ns", "running_ns", "runnable_ns",
		"sleeping_ns", "blocked_ns", "unknown_ns", "partial"
	};
	static const char *const pcols[] = {
		"tid", "what", "syscall", "fd_name", "blocked_in", "time_ns",
		"share_pct", "count"
	};
	struct report *r = w->r;
	const struct tstate *t = w->t;
	int rc;

	rc = report_table_begin(r, "threads", "Wall time of the thread", 10,
				tcols);
	for (size_t i = 0; rc == 0 && i < w->nwho; i++) {
		const struct who *u = &w->who[i];
		int64_t pid = names_life_pid(&t->names, u->life);

		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(u->tid),
			pid >= 0 ? OUTPUT_INT(pid) : OUTPUT_NULL,
			report_text(names_life_comm(&t->names, u->life)),
			report_dur(r, (int64_t)(u->b - u->a)),
			report_dur(r, (int64_t)u->ns[TSTATE_RUNNING]),
			report_dur(r, (int64_t)u->ns[TSTATE_RUNNABLE]),
			report_dur(r, (int64_t)u->ns[TSTATE_SLEEPING]),
			report_dur(r, (int64_t)u->ns[TSTATE_BLOCKED]),
			report_dur(r, (int64_t)(u->b - u->a - u->known)),
			OUTPUT_INT(u->partial) });
	}
	rc = report_table_close(r, rc);
	report_sort(w->parts, w->nparts, sizeof(*w->parts), part_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "breakdown", "Where the wall time "
					"went, largest first", 8, pcols);
	for (size_t i = 0; rc == 0 && i < w->nparts; i++) {
		const struct part *p = &w->parts[i];
		const struct who *u = who_of(w, p->life);

		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(NAMES_LIFE_TID(p->life)),
			OUTPUT_TEXT(p->kind == PART_WAIT ?
				    tstate_names[p->state] :
				    part_names[p->kind]),
			sysname(r, p->nr),
			report_text_cut(r, tstate_str(t, p->fd_name)),
			report_text(tstate_str(t, p->blocked_in)),
			report_dur(r, (int64_t)p->ns),
			OUTPUT_REAL(share(p->ns, u->b - u->a)),
			OUTPUT_INT((int64_t)p->n) });
	}
	return report_table_close(r, rc);
}

/* ---- who ran instead ------------------------------------------------ */

static int print_instead(struct why *w)
{
	static const char *const cols[] = {
		"tid", "cpu", "ran_tid", "ran_pid", "ran_comm", "time_ns",
		"times"
	};
	struct report *r = w->r;
	const struct tstate *t = w->t;
	struct fold_instead in;
	int rc = fold_instead_init(&in, t);

	for (size_t i = 0; rc == 0 && i < w->nwho; i++)
		rc = fold_instead_add(&in, w->who[i].life, w->who[i].tid,
				      w->who[i].a, w->who[i].b);
	if (rc < 0) {
		rc = report_fail(r, -ENOMEM, "out of memory");
		goto out;
	}
	fold_instead_sort(&in);
	rc = report_table_begin(r, "ran_instead", "Who ran on the CPU while "
				"it waited for one", 7, cols);
	for (size_t i = 0, shown = 0; rc == 0 && i < in.n; i++) {
		const struct fold_instead_row *x = &in.v[i];
		int64_t pid = names_life_pid(&t->names, x->life);

		shown = i && in.v[i - 1].who == x->who ? shown + 1 : 0;
		if (shown >= r->top)
			continue;
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(NAMES_LIFE_TID(x->who)),
			OUTPUT_INT(x->cpu),
			OUTPUT_INT(NAMES_LIFE_TID(x->life)),
			pid >= 0 ? OUTPUT_INT(pid) : OUTPUT_NULL,
			report_text(names_life_comm(&t->names, x->life)),
			report_dur(r, (int64_t)x->ns),
			OUTPUT_INT((int64_t)x->n) });
	}
	rc = report_table_close(r, rc);
out:
	fold_instead_free(&in);
	return rc;
}

/* ---- the critical path ---------------------------------------------- */

static int wait_cmp(const void *a, const void *b)
{
	const struct tstate_iv *x = *(const struct tstate_iv *const *)a;
	const struct tstate_iv *y = *(const struct tstate_iv *const *)b;

	if (x->dur != y->dur)
		return x->dur < y->dur ? 1 : -1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The rows of the chain of wait V (the WAIT-th longest). */
static int chain_print(struct why *w, const struct tstate_iv *v, int wait)
{
	struct report *r = w->r;
	const struct tstate *t = w->t;
	int rc = 0;

	for (int hop = 0; rc == 0 && v; hop++) {
		const char *irq = tstate_str(t, v->waker_irq);
		struct output_cell woke = OUTPUT_NULL;
		const struct tstate_iv *next;
		const char *end = tstate_path_next(t, v, &next);
		int64_t pid = tstate_pid(t, v);

		if (v->wake_ts && v->waker_ctx > EV_WAKER_TASK) {
			woke = report_textf(r, "%s %s",
					    tstate_ctx_name(v->waker_ctx),
					    irq ? irq : "(unknown)");
		} else if (v->wake_ts && v->waker_tid) {
			const char *c = tstate_tid_comm(t, v->waker_tid,
							v->wake_ts);

			w->ctx_unknown |= v->waker_ctx == EV_WAKER_UNKNOWN;
			woke = report_textf(r, "%s/%" PRIu32,
					    c ? c : "?", v->waker_tid);
			if (next && hop + 1 >= WHY_DEPTH)
				end = "the depth limit", next = NULL;
		}
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(wait), OUTPUT_INT(hop),
			report_ts(r, (int64_t)v->ts),
			OUTPUT_INT(v->tid),
			pid >= 0 ? OUTPUT_INT(pid) : OUTPUT_NULL,
			report_text(tstate_comm(t, v)),
			OUTPUT_TEXT(tstate_names[v->state]),
			report_dur(r, (int64_t)v->dur),
			sysname(r, v->nr),
			report_text_cut(r, tstate_str(t, v->fd_name)),
			report_text(tstate_str(t, v->blocked_in)),
			woke, report_text(end) });
		v = next;
	}
	return rc;
}

static int print_path(struct why *w)
{
	static const char *const cols[] = {
		"wait", "hop", "ts", "tid", "pid", "comm", "state", "wait_ns",
		"syscall", "fd_name", "blocked_in", "woken_by", "ends_at"
	};
	struct report *r = w->r;
	const struct tstate *t = w->t;
	const struct tstate_iv **waits = NULL;
	size_t nw = 0, capw = 0;
	int rc;

	for (size_t i = 0; i < w->nwho; i++) {
		size_t n;
		const struct tstate_iv *v = tstate_thread(t, w->who[i].tid,
							  &n);

		for (size_t k = 0; k < n; k++) {
			if (v[k].life != w->who[i].life ||
			    (v[k].state != TSTATE_SLEEPING &&
			     v[k].state != TSTATE_BLOCKED) ||
			    !clip(&v[k], w->who[i].a, w->who[i].b))
				continue;
			if (report_grow(&waits, &capw, nw + 1,
					sizeof(*waits)) < 0) {
				free(waits);
				return report_fail(r, -ENOMEM,
						   "out of memory");
			}
			waits[nw++] = &v[k];
		}
	}
	report_sort(waits, nw, sizeof(*waits), wait_cmp);
	rc = report_table_begin(r, "critical_path", "The longest waits: who "
				"woke the thread, and what the waker waited "
				"on", 13, cols);
	for (size_t i = 0; rc == 0 && i < nw && i < r->top; i++)
		rc = chain_print(w, waits[i], (int)i + 1);
	free(waits);
	return report_table_close(r, rc);
}

/* The life with the most time runnable, sleeping or blocked (ties: the
 * first). */
static uint64_t waited_most(const struct tstate *t)
{
	uint64_t best = 0, most = 0, sum = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct tstate_iv *v = &t->iv[i];

		if (i && (t->iv[i - 1].tid != v->tid ||
			  t->iv[i - 1].life != v->life))
			sum = 0;
		if (v->state != TSTATE_RUNNING && v->state != TSTATE_DEAD)
			sum += v->dur;
		if (sum > most) {
			most = sum;
			best = v->life;
		}
	}
	return best;
}

int report_why_run(struct report *r)
{
	struct why w = { .r = r };
	char err[TSTATE_ERRLEN], file[512];
	int rc;

	/* from the trace's start: a wait begun before the window is then
	 * known in it, and so is what a waker did before it */
	if (!(w.t = tstate_new(r->st, r->span_from < r->from ? r->span_from :
			       r->from, r->to, err)))
		return report_fail(r, -EIO, "%s", err);
	if ((rc = tstate_run(w.t)) < 0) {
		rc = report_fail(r, rc, "%s", tstate_errmsg(w.t));
		goto out;
	}
	w.any = r->o->tid < 0 && r->o->pid < 0 && !r->o->comm;
	if (w.any)
		w.pick = waited_most(w.t);
	if ((rc = why_split(&w)) < 0) {
		rc = report_fail(r, rc, "out of memory");
		goto out;
	}
	if ((rc = print_split(&w)) < 0 || (rc = print_instead(&w)) < 0 ||
	    (rc = print_path(&w)) < 0)
		goto out;
	if (!w.nwho)
		rc = report_note(r, "no thread of the trace matches in this "
				 "window: its switches may not be recorded "
				 "(-e sched)");
	else if (w.any)
		rc = report_note(r, "no --tid, --pid or --comm: this is the "
				 "thread that spent the most time not running "
				 "in the window");
	if (rc == 0 && w.ctx_unknown)
		rc = report_note(r, "this trace does not record what raised a "
				 "wakeup (waker_ctx): a waker named here may be "
				 "the task an interrupt happened to interrupt");
	if (rc == 0 && w.nwho)
		rc = report_note(r, "the intervals these figures add up: "
				 "kscope query %s \"SELECT * FROM thread_state "
				 "WHERE tid = %" PRIu32 "\"",
				 report_file_word(r, file, sizeof(file)),
				 w.who[0].tid);
out:
	free(w.parts);
	free(w.who);
	tstate_free(w.t);
	return rc;
}
