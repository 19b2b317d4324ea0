/*
 * why.c - the why pane's lines and its path of hops (see why.h).
 *
 * A job (struct why_job) finds the window the pane needs, fold after
 * fold in a worker (bgstates.h), job_next deciding from each fold what
 * the next one is; hop_build turns the wait into lines once the last is
 * there, and the engine is freed then, so that a hop holds only its text
 * and where following goes.
 */
#include "config.h"
#include "tui/why.h"
#include "analyze/fold/tstate.h"
#include "analyze/sql/sqlfn.h"
#include "tui/bgstates.h"
#include "tui/model.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHY_SPAN0 (64 * 1000000ull)	/* the first window: either side */
#define WHY_LOOKBACK 1000000000ull	/* for a wait of a running thread */
#define NEED_BEFORE 1u	/* a wait begun before the window */
#define NEED_AFTER 2u	/* one not ended in it */
#define NEED_RUN 4u	/* a thread without a wait since the window's start */

/* ---- which wait, and whether the window knows enough of it ------------ */

static int waiting(const struct tstate_iv *v)
{
	return v->state == TSTATE_SLEEPING || v->state == TSTATE_BLOCKED;
}

/* The wait the pane explains for TID at TS (why.h), or NULL. */
static const struct tstate_iv *wait_pick(const struct tstate *t,
					 uint32_t tid, uint64_t ts)
{
	size_t n;
	const struct tstate_iv *first = tstate_thread(t, tid, &n);
	const struct tstate_iv *v = tstate_last(t, tid, ts);

	for (; v; v = v > first ? v - 1 : NULL)
		if (waiting(v))
			return v;
	return NULL;
}

/* How T's window cuts what the pane on TID at TS shows (NEED_*): the
 * wait, and for a task waker, its run at the wakeup and the runnable
 * time before it back to its own wait (tstate_wait_before's walk). */
static unsigned window_need(const struct tstate *t, uint32_t tid,
			    uint64_t ts)
{
	const struct tstate_iv *v, *x, *first;
	unsigned need = 0;
	size_t n;

	/* none: the window may begin after the last one */
	if (!(v = wait_pick(t, tid, ts)))
		return NEED_RUN;
	if (v->partial & TSTATE_START)
		need |= NEED_BEFORE;
	if (v->partial & TSTATE_END)
		need |= NEED_AFTER;
	if (!v->wake_ts || v->waker_ctx > EV_WAKER_TASK || !v->waker_tid)
		return need;
	if (!(x = tstate_at(t, v->waker_tid, v->wake_ts)))
		return need | NEED_RUN;
	if (x->state != TSTATE_RUNNING)
		return need;
	first = tstate_thread(t, v->waker_tid, &n);
	while (x > first) {
		x--;
		if (waiting(x))
			return need | (x->partial & TSTATE_START ?
				       NEED_BEFORE : 0);
		if (x->state != TSTATE_RUNNABLE)
			return need;
	}
	return need | NEED_RUN;
}

/* Whether TID began a system call in [A, B]. */
static int call_in(struct model *m, uint32_t tid, uint64_t a, uint64_t b)
{
	sqlite3_stmt *s;
	int found = 0;

	if (sqlite3_prepare_v2(store_db(m->st), "SELECT 1 FROM syscalls "
			       "WHERE ts >= ?1 AND ts <= ?2 AND tid = ?3 "
			       "LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, (int64_t)a);
	sqlite3_bind_int64(s, 2, (int64_t)b);
	sqlite3_bind_int64(s, 3, tid);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

/* Whether the calls of the waits the pane shows are known with the calls
 * begun from FROM on: a wait in a call has it; one without is in none
 * when its thread began a call between FROM and the wait (a thread's
 * calls do not overlap: an earlier one ended before that call began). */
static int calls_known(struct model *m, const struct tstate *t,
		       uint32_t tid, uint64_t ts, uint64_t from)
{
	const struct tstate_iv *v = wait_pick(t, tid, ts), *next = NULL;

	if (v)
		tstate_path_next(t, v, &next);
	return (!v || v->nr >= 0 || call_in(m, v->tid, from, v->ts)) &&
	       (!next || next->nr >= 0 || call_in(m, next->tid, from,
						  next->ts));
}

/* ---- lines ---------------------------------------------------------- */

static __attribute__((format(printf, 4, 5)))
int line_add(struct why_hop *h, enum why_kind kind, const char *label,
	     const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 32;
		void *p = realloc(h->lines, cap * sizeof(*h->lines));

		if (!p)
			return -ENOMEM;
		h->lines = p;
		h->cap = cap;
	}
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(s = malloc((size_t)len + 1)))
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	h->lines[h->n++] = (struct why_line){ kind, label, s };
	return 0;
}

static void hop_free(struct why_hop *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->lines[i].text);
	free(h->lines);
	memset(h, 0, sizeof(*h));
}

/* Text pieces of the lines, each in a buffer of its own. */
struct why_fmt {
	struct model *m;
	const struct tstate *t;
	uint64_t since;	/* engine_fit's */
	char ts[3][32], dur[3][32], sys[64];
};

static const char *rel(struct why_fmt *f, int i, uint64_t ts)
{
	model_fmt_reltime(f->m, ts, f->ts[i], sizeof(f->ts[i]));
	return f->ts[i];
}

static const char *dur(struct why_fmt *f, int i, uint64_t ns)
{
	sqlfn_fmt_dur(f->dur[i], sizeof(f->dur[i]), (int64_t)ns);
	return f->dur[i];
}


/* "comm/tid", "tid" when the name is not known. */
static void who(char *buf, size_t len, const char *comm, uint32_t tid)
{
	if (comm)
		snprintf(buf, len, "%s/%" PRIu32, comm, tid);
	else
		snprintf(buf, len, "%" PRIu32, tid);
}

/* "thread   worker  tid 4001  pid 4001", the names NM's */
static int thread_line(struct why_hop *h, const char *label,
		       const struct names *nm, uint32_t tid, uint64_t ts,
		       const char *rest)
{
	uint64_t life = names_life(nm, tid, ts);
	const char *comm = names_life_comm(nm, life);
	int64_t pid = names_life_pid(nm, life);
	char p[32] = "";

	if (pid >= 0)
		snprintf(p, sizeof(p), "  pid %" PRId64, pid);
	return line_add(h, WHY_FIELD, label, "%s%stid %" PRIu32 "%s%s",
			comm ? comm : "", comm ? "  " : "", tid, p, rest);
}

/* What V's thread did at TS (an interval other than the wait). */
static int at_line(struct why_fmt *f, struct why_hop *h,
		   const struct tstate_iv *v, uint64_t ts, int wait)
{
	char then[96];

	if (wait)
		snprintf(then, sizeof(then), "; the last wait before it:");
	else if (f->since)
		snprintf(then, sizeof(then), "; no wait of it since %s (the "
			 "pane looks back 1 s)", rel(f, 2, f->since));
	else
		snprintf(then, sizeof(then), "; no wait of it before this is "
			 "in the trace");

	if (!v || (ts >= v->ts + v->dur && ts != v->ts))
		return line_add(h, WHY_FIELD, "at", "%s: not known (no "
				"scheduler event of it covers this time)%s",
				rel(f, 0, ts), then);
	if (v->state == TSTATE_DEAD)
		return line_add(h, WHY_FIELD, "at", "%s: exited at %s%s",
				rel(f, 0, ts), rel(f, 1, v->ts), then);
	return line_add(h, WHY_FIELD, "at", "%s: %s on cpu%" PRIu32
			" since %s%s%s", rel(f, 0, ts),
			v->state == TSTATE_RUNNING ? "running" :
			"waiting for a CPU", v->cpu, rel(f, 1, v->ts),
			v->partial & TSTATE_START ? " (or earlier)" : "",
			then);
}

static const char *sysname(struct why_fmt *f, int32_t nr)
{
	return nr >= 0 ? model_syscall_name(f->m, nr, f->sys,
					    sizeof(f->sys)) : NULL;
}

/* "sleeping 50.00 ms from +0.010000 in clock_nanosleep on FD (blocked
 * in hrtimer_nanosleep)": the waker's own wait X. */
static int before_line(struct why_fmt *f, struct why_hop *h,
		       const struct tstate_iv *x)
{
	const struct tstate *t = f->t;
	const char *sys = sysname(f, x->nr);
	const char *fdn = tstate_str(t, x->fd_name);
	const char *in = tstate_str(t, x->blocked_in);

	return line_add(h, WHY_FIELD, "its wait", "%s %s%s from %s%s%s%s%s"
			"%s%s%s", tstate_names[x->state],
			x->partial ? "at least " : "", dur(f, 0, x->dur),
			rel(f, 0, x->ts), sys ? " in " : "", sys ? sys : "",
			fdn ? " on " : "", fdn ? fdn : "",
			in ? " (blocked in " : "", in ? in : "",
			in ? ")" : "");
}

/* The stack of V, innermost frame first. */
static int stack_lines(struct why_fmt *f, struct why_hop *h,
		       const struct tstate_iv *v)
{
	const char *in = tstate_str(f->t, v->blocked_in);
	const unsigned char *frames = NULL;
	sqlite3_stmt *s;
	int rc = 0;

	if (!v->stack_id)
		return 0;
	if (sqlite3_prepare_v2(store_db(f->m->st), "SELECT frames FROM "
			       "stacks WHERE stack_id = ?1", -1, &s,
			       NULL) != SQLITE_OK)
		return line_add(h, WHY_NOTE, "stack", "cannot be read: %s",
				sqlite3_errmsg(store_db(f->m->st)));
	sqlite3_bind_int64(s, 1, v->stack_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		frames = sqlite3_column_text(s, 0);
	if (!frames) {
		rc = line_add(h, WHY_NOTE, "stack", "stack %" PRIu32 " is not "
			      "in the trace's stacks", v->stack_id);
		goto out;
	}
	rc = line_add(h, WHY_NOTE, "stack", "innermost frame first");
	for (const char *e = (const char *)frames + strlen((const char *)frames);
	     rc == 0 && e > (const char *)frames;) {
		const char *b = e;
		enum why_kind k = WHY_FRAME;
		size_t len;

		while (b > (const char *)frames && b[-1] != ';')
			b--;
		len = (size_t)(e - b);
		if (in && strlen(in) == len && !memcmp(in, b, len))
			k = WHY_FRAME_AT;
		else if (tstate_frame_plumbing(b, len))
			k = WHY_FRAME_PLUMB;
		if (len)
			rc = line_add(h, k, "", "%.*s", (int)len, b);
		e = b > (const char *)frames ? b - 1 : b;
	}
out:
	sqlite3_finalize(s);
	return rc;
}

/* The waker of V and what it was doing: its lines, and where following
 * goes (h->next_*, h->end). */
static int waker_lines(struct why_fmt *f, struct why_hop *h,
		       const struct tstate_iv *v)
{
	const struct tstate *t = f->t;
	const struct tstate_iv *next, *x, *r;
	const char *irq = tstate_str(t, v->waker_irq), *end;
	char name[48];
	int rc;

	end = tstate_path_next(t, v, &next);
	if (end && f->since && !strcmp(end, "a running task"))
		snprintf(h->end, sizeof(h->end), "%s (no wait of it since %s:"
			 " the pane looks back 1 s)", end, rel(f, 2, f->since));
	else if (end)
		snprintf(h->end, sizeof(h->end), "%s", end);
	if (!v->wake_ts)
		return line_add(h, WHY_FIELD, "woken by", "no wakeup seen%s",
				v->partial & TSTATE_END ? ": still waiting "
				"where the trace stops seeing the thread" :
				"");
	if (v->waker_ctx > EV_WAKER_TASK) {
		rc = line_add(h, WHY_FIELD, "woken by", "%s %s at %s",
			      tstate_ctx_name(v->waker_ctx),
			      irq ? irq : "(irq not known)",
			      rel(f, 0, v->wake_ts));
	} else if (v->waker_tid) {
		snprintf(name, sizeof(name), "  at %s", rel(f, 0, v->wake_ts));
		rc = thread_line(h, "woken by", &t->names, v->waker_tid,
				 v->wake_ts, name);
	} else {
		rc = line_add(h, WHY_FIELD, "woken by", "not known, at %s",
			      rel(f, 0, v->wake_ts));
	}
	/* then waiting for a CPU, up to the switch-in */
	r = v + 1;
	if (rc == 0 && tstate_last(t, v->tid, v->wake_ts) == r &&
	    r->state == TSTATE_RUNNABLE && r->ts == v->wake_ts)
		rc = line_add(h, WHY_FIELD, "then", "waited %s%s for cpu%"
			      PRIu32 "%s%s", r->partial & TSTATE_END ?
			      "at least " : "", dur(f, 0, r->dur), r->cpu,
			      r->partial & TSTATE_END ? "" : ", ran at ",
			      r->partial & TSTATE_END ? "" :
			      rel(f, 1, r->ts + r->dur));
	if (rc || v->waker_ctx > EV_WAKER_TASK || !v->waker_tid)
		goto end;
	if (v->waker_ctx == EV_WAKER_UNKNOWN)
		rc = line_add(h, WHY_NOTE, "", "(this trace does not record "
			      "what raised a wakeup: the task named may "
			      "be one an interrupt interrupted)");
	/* the waker at the wakeup, and its own wait before it */
	x = tstate_at(t, v->waker_tid, v->wake_ts);
	if (rc == 0 && x)
		rc = line_add(h, WHY_FIELD, "waker", "%s since %s%s (%s "
			      "before the wakeup)", x->state == TSTATE_RUNNING ?
			      "running" : tstate_names[x->state],
			      rel(f, 0, x->ts), x->partial & TSTATE_START ?
			      " or earlier" : "", dur(f, 0, v->wake_ts -
						      x->ts));
	if (rc == 0 && next)
		rc = before_line(f, h, next);
	if (rc == 0 && next) {
		who(name, sizeof(name), tstate_tid_comm(t, v->waker_tid,
							v->wake_ts),
		    v->waker_tid);
		h->next_tid = v->waker_tid;
		h->next_ts = next->ts;
		return line_add(h, WHY_NOTE, "path", "w or Right: follow it "
				"to %s's wait", name);
	}
end:
	return rc ? rc : line_add(h, WHY_NOTE, "path", "the critical path "
				  "ends here: %s", h->end);
}

/* The lines of the pane on TID at TS, from engine T. */
static int hop_build(struct model *m, struct why_hop *h,
		     const struct tstate *t, uint32_t tid, uint64_t ts,
		     uint64_t since)
{
	struct why_fmt f = { .m = m, .t = t, .since = since };
	const struct tstate_iv *at = tstate_last(t, tid, ts), *v;
	const char *sys, *fdn, *in;
	int rc;

	h->tid = tid;
	h->at = ts;
	who(h->name, sizeof(h->name), tstate_tid_comm(t, tid, ts), tid);
	v = wait_pick(t, tid, ts);
	if ((rc = thread_line(h, "thread", &t->names, tid, ts, "")) < 0)
		return rc;
	/* TS is not in the wait: what the thread did then */
	if ((at != v || (ts >= v->ts + v->dur && ts != v->ts)) &&
	    (rc = at_line(&f, h, at, ts, v != NULL)) < 0)
		return rc;
	if (!v)
		return 0;
	h->found = 1;
	h->state = v->state;
	h->wait_ts = v->ts;
	h->wait_dur = v->dur;
	sys = sysname(&f, v->nr);
	fdn = tstate_str(t, v->fd_name);
	in = tstate_str(t, v->blocked_in);
	if ((rc = line_add(h, WHY_FIELD, "state", "%s",
			   v->state == TSTATE_BLOCKED ?
			   "blocked (D, uninterruptible)" : "sleeping")) < 0 ||
	    (rc = line_add(h, WHY_FIELD, "start", "%s%s", rel(&f, 0, v->ts),
			   v->partial & TSTATE_START ? " (partial: it began "
			   "before what the trace shows)" : "")) < 0 ||
	    (rc = line_add(h, WHY_FIELD, "duration", "%s%s%s",
			   v->partial ? "at least " : "", dur(&f, 0, v->dur),
			   v->partial & TSTATE_END ? " (partial: it went on "
			   "after what the trace shows)" : "")) < 0 ||
	    (sys && (rc = line_add(h, WHY_FIELD, "syscall", "%s", sys)) < 0) ||
	    (fdn && (rc = line_add(h, WHY_FIELD, "fd", "%s", fdn)) < 0) ||
	    (in && (rc = line_add(h, WHY_FIELD, "blocked in", "%s", in)) < 0) ||
	    (rc = waker_lines(&f, h, v)) < 0)
		return rc;
	return stack_lines(&f, h, v);
}

/* ---- the folds, in the background ----------------------------------- */

enum job_stage {
	JOB_LONGEST,	/* the wait to explain: the longest in [from, to] */
	JOB_WIDEN,	/* the window the pane needs (why.h), widening */
	JOB_CALLS,	/* the window found: with the calls begun in it */
	JOB_ALLCALLS,	/* ... with the calls from the trace's start */
};

/* The folds of the hop shown while it is computing. */
struct why_job {
	struct bgstates *bg;	/* the fold under way; NULL: none */
	enum job_stage stage;
	uint32_t tid;
	uint64_t ts;		/* the time asked about */
	uint64_t a, b;		/* the fold's window */
	int bare;		/* ... states only */
	uint64_t since;		/* where the look-back stopped; 0: none */
	/* JOB_LONGEST: where the wait overlaps; when there is none, the
	 * pane goes on at ts with the note NONE, or closes (NONE NULL) */
	uint64_t from, to;
	const char *none;
	int noted;		/* the status line holds a note of the job */
	int follows;		/* follows asked for meanwhile */
	/* folds stopped and not yet over (an in-memory step of the
	 * engine finishes first): freed once they are, so that a key
	 * never waits for them */
	struct bgstates **dead;
	size_t ndead, capdead;
};

/* A fold of [A, B] of M's trace in a worker: BARE, states only; else
 * with the calls begun from SYS_FROM on.  NULL (status set) when it
 * cannot start. */
static struct bgstates *fold_start(struct model *m, uint64_t a, uint64_t b,
				   int bare, uint64_t sys_from)
{
	char err[TSTATE_ERRLEN];
	struct bgstates *bg = bgstates_start(m->st, a, b, bare, sys_from, err,
					     sizeof(err));

	if (!bg)
		model_status(m, 1, "why: %s", err);
	return bg;
}

/* J's next fold, in place of the one before.  0 or -EIO (status). */
static int job_fold(struct model *m, struct why_job *j, uint64_t a,
		    uint64_t b, int bare, uint64_t sys_from)
{
	bgstates_free(j->bg);
	j->a = a;
	j->b = b;
	j->bare = bare;
	j->bg = fold_start(m, a, b, bare, sys_from);
	return j->bg ? 0 : -EIO;
}

/* The first window of the pane on J's thread at its time: 64 ms either
 * side of it, within the trace. */
static void fit_window(struct model *m, struct why_job *j, uint64_t *a,
		       uint64_t *b)
{
	*a = m->span_from;
	*b = m->span_to;
	if (j->ts - *a > WHY_SPAN0)
		*a = j->ts - WHY_SPAN0;
	if (*b - j->ts > WHY_SPAN0)
		*b = j->ts + WHY_SPAN0;
}

/* TID's longest wait overlapping [FROM, TO] in T: its ts in *TS.  0, or
 * -ENOENT when it has none. */
static int longest_wait(const struct tstate *t, uint32_t tid, uint64_t from,
			uint64_t to, uint64_t *ts)
{
	const struct tstate_iv *v, *best = NULL;
	size_t n;

	v = tstate_thread(t, tid, &n);
	for (size_t k = 0; k < n; k++)
		if (waiting(&v[k]) && v[k].ts < to &&
		    v[k].ts + v[k].dur > from &&
		    (!best || v[k].dur > best->dur))
			best = &v[k];
	if (best)
		*ts = best->ts;
	return best ? 0 : -ENOENT;
}

/* T, J's fold of the window found, with the calls begun in it: the one
 * the hop is built from (1) when the calls of its waits are known so,
 * else the fold with the calls from the trace's start is begun (0). */
static int job_calls(struct model *m, struct why_job *j,
		     const struct tstate *t)
{
	if (j->a == m->span_from || calls_known(m, t, j->tid, j->ts, j->a))
		return 1;
	j->stage = JOB_ALLCALLS;
	return job_fold(m, j, j->a, j->b, 0, 0);
}

/* The fold T of job J is there: start the next one (0), or T is the one
 * the hop is built from (1).  -ENOENT when there is nothing to show,
 * -errno; the status says why. */
static int job_next(struct model *m, struct why_job *j,
		    const struct tstate *t)
{
	uint64_t a = j->a, b = j->b, ts = j->ts;
	unsigned need;

	switch (j->stage) {
	case JOB_LONGEST:
		if (longest_wait(t, j->tid, j->from, j->to, &j->ts) < 0) {
			if (!j->none) {
				model_status(m, 0, "why: tid %" PRIu32 " did "
					     "not sleep or block in this "
					     "window", j->tid);
				return -ENOENT;
			}
			model_status(m, 0, "%s", j->none);
			j->noted = 1;
		}
		fit_window(m, j, &a, &b);
		j->stage = JOB_WIDEN;
		return job_fold(m, j, a, b, 0, a);
	case JOB_WIDEN:
		need = window_need(t, j->tid, ts);
		if (a == m->span_from)
			need &= ~(NEED_BEFORE | NEED_RUN);
		if (b == m->span_to)
			need &= ~NEED_AFTER;
		if ((need & NEED_RUN) && ts - a >= WHY_LOOKBACK) {
			need &= ~NEED_RUN;
			j->since = a;
		}
		if (need & (NEED_BEFORE | NEED_RUN))
			a = ts - a > (ts - m->span_from) / 2 ? m->span_from :
			    ts - 2 * (ts - a);
		if (need & NEED_AFTER)
			b = b - ts > (m->span_to - ts) / 2 ? m->span_to :
			    ts + 2 * (b - ts);
		if (need)	/* widening: the states only */
			return job_fold(m, j, a, b, 1, a);
		if (j->bare) {
			j->stage = JOB_CALLS;
			return job_fold(m, j, a, b, 0, a);
		}
		return job_calls(m, j, t);	/* the first window did */
	case JOB_CALLS:
		return job_calls(m, j, t);
	case JOB_ALLCALLS:
		break;
	}
	return 1;
}

/* ---- the path ------------------------------------------------------- */

static struct why *why_get(struct model *m)
{
	if (!m->why && (m->why = calloc(1, sizeof(*m->why))) &&
	    !(m->why->job = calloc(1, sizeof(*m->why->job)))) {
		free(m->why);
		m->why = NULL;
	}
	if (!m->why)
		model_status(m, 1, "why: out of memory");
	return m->why;
}

/* Stop the job's fold, without waiting for it (j->dead); the follows
 * asked for are forgotten. */
static void job_stop(struct why_job *j)
{
	if (j->bg && j->ndead == j->capdead) {
		size_t cap = j->capdead ? 2 * j->capdead : 4;
		void *p = realloc(j->dead, cap * sizeof(*j->dead));

		if (p) {
			j->dead = p;
			j->capdead = cap;
		}
	}
	if (j->bg && j->ndead < j->capdead) {
		bgstates_cancel(j->bg);
		j->dead[j->ndead++] = j->bg;
	} else {
		bgstates_free(j->bg);	/* out of memory: waits */
	}
	j->bg = NULL;
	j->follows = 0;
}

/* J anew, on TID at TS from STAGE, its fold not begun; the stopped
 * folds kept. */
static void job_reset(struct why_job *j, enum job_stage stage, uint32_t tid,
		      uint64_t ts)
{
	struct why_job k = { .stage = stage, .tid = tid, .ts = ts,
			     .dead = j->dead, .ndead = j->ndead,
			     .capdead = j->capdead };

	*j = k;
}

/* Free the stopped folds that are over, waiting up to WAIT_NS for the
 * first.  1 while some are not. */
static int job_reap(struct why_job *j, uint64_t wait_ns)
{
	size_t k = 0;

	for (size_t i = 0; i < j->ndead; i++) {
		char msg[8];
		int failed;

		if (bgstates_get(j->dead[i], i ? 0 : wait_ns, &failed, msg,
				 sizeof(msg)) || failed)
			bgstates_free(j->dead[i]);
		else
			j->dead[k++] = j->dead[i];
	}
	j->ndead = k;
	return k > 0;
}

/* Push a hop on TID at TS that is computing, its folds begun with BG
 * (J's stage and window set): the thread and "computing...", the names
 * the model's until the lines come. */
static int hop_push(struct model *m, struct why *w, struct bgstates *bg,
		    uint32_t tid, uint64_t ts)
{
	struct why_hop *h = &w->hop[w->n];
	uint64_t life = names_life(&m->names, tid, ts);

	memset(h, 0, sizeof(*h));
	h->tid = tid;
	h->at = ts;
	h->computing = 1;
	who(h->name, sizeof(h->name), names_life_comm(&m->names, life), tid);
	if (thread_line(h, "thread", &m->names, tid, ts, "") < 0 ||
	    line_add(h, WHY_NOTE, "", "computing...") < 0) {
		hop_free(h);
		bgstates_free(bg);
		model_status(m, 1, "why: out of memory");
		return -ENOMEM;
	}
	w->job->bg = bg;
	w->n++;
	return 0;
}

/* A new path on TID at TS whose first fold is of [A, B] (BARE, SYS_FROM:
 * fold_start's) at STAGE; the pane as it was when it cannot start. */
static int path_new(struct model *m, uint32_t tid, uint64_t ts,
		    enum job_stage stage, uint64_t a, uint64_t b, int bare,
		    uint64_t sys_from)
{
	struct why *w = why_get(m);
	struct bgstates *bg;
	struct why_job *j;

	if (!w)
		return -ENOMEM;
	if (!(bg = fold_start(m, a, b, bare, sys_from)))
		return -EIO;
	j = w->job;
	job_stop(j);
	while (w->n > 0)
		hop_free(&w->hop[--w->n]);
	job_reset(j, stage, tid, ts);
	j->a = a;
	j->b = b;
	j->bare = bare;
	return hop_push(m, w, bg, tid, ts);
}

/* Within the trace. */
static uint64_t span_clamp(const struct model *m, uint64_t ts)
{
	return ts < m->span_from ? m->span_from :
	       ts > m->span_to ? m->span_to : ts;
}

int model_why_open(struct model *m, uint32_t tid, uint64_t ts)
{
	struct why_job j = { .ts = span_clamp(m, ts) };
	uint64_t a, b;

	fit_window(m, &j, &a, &b);
	return path_new(m, tid, j.ts, JOB_WIDEN, a, b, 0, a);
}

/* The lines of the top hop from its job's last fold T. */
static int hop_done(struct model *m, struct why *w, const struct tstate *t)
{
	struct why_job *j = w->job;
	struct why_hop h = { 0 };
	int rc = hop_build(m, &h, t, j->tid, j->ts, j->since);

	if (rc < 0) {
		hop_free(&h);
		model_status(m, 1, "why: out of memory");
		return rc;
	}
	hop_free(&w->hop[w->n - 1]);
	w->hop[w->n - 1] = h;
	if (!h.found && !j->noted)
		model_status(m, 0, "why: no wait of %s found before this "
			     "time", h.name);
	return 0;
}

int model_why_work(struct model *m, uint64_t wait_ns)
{
	struct why *w = m->why;
	struct why_job *j = w ? w->job : NULL;
	const struct tstate *t;
	char msg[STORE_ERRLEN];
	int failed, rc;

	if (!j)
		return 0;
	if (!j->bg)
		return job_reap(j, wait_ns);
	job_reap(j, 0);
	t = bgstates_get(j->bg, wait_ns, &failed, msg, sizeof(msg));
	if (!t && !failed)
		return 1;
	if (failed) {
		model_status(m, 1, "why: %s", msg);
		rc = -EIO;
	} else if ((rc = job_next(m, j, t)) == 0) {
		return 1;
	} else if (rc > 0) {
		rc = hop_done(m, w, t);
	}
	bgstates_free(j->bg);
	j->bg = NULL;
	if (rc < 0) {	/* nothing to show: the hop goes */
		j->follows = 0;
		hop_free(&w->hop[--w->n]);
		return j->ndead > 0;
	}
	if (j->follows > 0) {
		int more = j->follows - 1;

		j->follows = 0;
		if (model_why_follow(m) == 0)
			j->follows = more;
	}
	return j->bg || j->ndead;
}

int model_why_follow(struct model *m)
{
	struct why *w = m->why;
	const struct why_hop *h = model_why(m);
	struct why_job *j;
	struct bgstates *bg;
	uint64_t a, b;

	if (!h)
		return -ENOENT;
	j = w->job;
	if (h->computing) {
		j->follows++;
		return 0;
	}
	if (!h->next_tid) {
		model_status(m, 0, "the critical path ends here: %s",
			     h->end[0] ? h->end : "no wait to explain");
		return -ENOENT;
	}
	if (w->n == WHY_MAX_HOPS) {
		model_status(m, 1, "why: %d hops are as far as the pane "
			     "follows", WHY_MAX_HOPS);
		return -E2BIG;
	}
	job_reset(j, JOB_WIDEN, h->next_tid, span_clamp(m, h->next_ts));
	fit_window(m, j, &a, &b);
	j->a = a;
	j->b = b;
	if (!(bg = fold_start(m, a, b, 0, a)))
		return -EIO;
	return hop_push(m, w, bg, j->tid, j->ts);
}

int model_why_back(struct model *m)
{
	struct why *w = m->why;

	if (!w || !w->n)
		return 0;
	job_stop(w->job);
	hop_free(&w->hop[--w->n]);
	return w->n > 0;
}

void model_why_close(struct model *m)
{
	while (model_why_back(m))
		;
	if (m->why) {
		struct why_job *j = m->why->job;

		for (size_t i = 0; i < j->ndead; i++)
			bgstates_free(j->dead[i]);
		free(j->dead);
		free(j);
	}
	free(m->why);
	m->why = NULL;
}

void model_why_scroll(struct model *m, long delta)
{
	struct why_hop *h;

	if (!m->why || !m->why->n)
		return;
	h = &m->why->hop[m->why->n - 1];
	if (delta < 0 && (size_t)-delta > h->top)
		h->top = 0;
	else
		h->top += (size_t)delta;
	if (h->top >= h->n)
		h->top = h->n ? h->n - 1 : 0;
}

const struct why_hop *model_why(const struct model *m)
{
	return m->why && m->why->n ? &m->why->hop[m->why->n - 1] : NULL;
}

/* ---- from the views ------------------------------------------------- */

/* The thread of an Events line: after the "[cpu] " column the acting
 * comm/tid, or the woken one after "wakeup "; 0 when none (an
 * interrupt, the idle task).  A comm may hold '/' itself: the tid is
 * the digits after the last '/' of the name, before a space. */
static uint32_t event_tid(const char *text, int wakeup)
{
	const char *p = strstr(text, "] ");

	if (p && wakeup)
		p = strstr(p, " wakeup ");
	if (!p)
		return 0;
	for (p = strchr(p, '/'); p; p = strchr(p + 1, '/')) {
		char *e;
		unsigned long v = strtoul(p + 1, &e, 10);

		if (e > p + 1 && (*e == ' ' || !*e))
			return v <= UINT32_MAX ? (uint32_t)v : 0;
	}
	return 0;
}

/* A new path on TID's longest wait overlapping [FROM, TO], found in a
 * fold of [A, B]; when it has none, at TS with the note NONE, or none
 * (NONE NULL).  0 or -errno (status). */
static int longest_open(struct model *m, uint32_t tid, uint64_t a,
			uint64_t b, uint64_t from, uint64_t to, uint64_t ts,
			const char *none)
{
	struct why_job *j;
	int rc;

	if ((rc = path_new(m, tid, from, JOB_LONGEST, a, b, 1, 0)) < 0)
		return rc;
	j = m->why->job;
	j->from = from;
	j->to = to;
	j->ts = span_clamp(m, ts);
	j->none = none;
	return 0;
}

/* The duration of TID's syscall at TS (0: none or not known). */
static uint64_t call_dur(struct model *m, uint32_t tid, uint64_t ts)
{
	sqlite3_stmt *s;
	int64_t d = 0;

	if (sqlite3_prepare_v2(store_db(m->st), "SELECT max(dur) FROM "
			       "syscalls WHERE ts = ?1 AND tid = ?2", -1, &s,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, (int64_t)ts);
	sqlite3_bind_int64(s, 2, tid);
	if (sqlite3_step(s) == SQLITE_ROW)
		d = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return d > 0 ? (uint64_t)d : 0;
}

/* The pane on an Events row: a syscall's longest wait inside the call,
 * else the thread at the event's ts. */
static int event_open(struct model *m, const struct evrow *r)
{
	uint32_t tid = event_tid(r->text, r->kind == EV_WAKEUP);
	uint64_t d = r->kind == EV_SYSCALL ? call_dur(m, tid, r->ts) : 0;

	if (!tid) {
		model_status(m, 0, "why: this event names no thread");
		return -ENOENT;
	}
	if (!d)
		return model_why_open(m, tid, r->ts);
	return longest_open(m, tid, r->ts, r->ts + d, r->ts, r->ts + d,
			    r->ts, "why: the call did not sleep or block (it "
			    "ran, or waited for a CPU): the thread's wait "
			    "before it");
}

int model_why_selected(struct model *m)
{
	struct frame *f = model_frame(m);
	const struct view *v = model_view(m);
	struct cell c;

	if (f->view == VIEW_EVENTS)
		return f->ev && f->ev->sel < f->ev->n ?
		       event_open(m, &f->ev->rows[f->ev->sel]) : -ENOENT;
	if (f->view != VIEW_THREADS || !model_rows(m))
		return -ENOENT;
	if (model_row_src(m, f->sel) == 0) {	/* "(all threads)" */
		model_status(m, 0, "why: select a thread");
		return -ENOENT;
	}
	v->get(m, model_row_src(m, f->sel), 0, &c);
	return longest_open(m, (uint32_t)c.i, m->span_from, m->win_to,
			    m->win_from, m->win_to, m->win_from, NULL);
}
