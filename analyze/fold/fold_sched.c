/*
 * fold_sched.c - the scheduler state machine (see fold_sched.h).
 */
#include "config.h"
#include "analyze/fold/fold_sched.h"
#include "analyze/names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAXCPU 1024
/* EXIT_DEAD, EXIT_ZOMBIE, TASK_DEAD: the switch-out of an exiting task */
#define TASK_GONE (0x10 | 0x20 | 0x80)

void fold_sched_init(struct fold_sched *s, const struct traced *tr,
		    uint64_t from, uint64_t to, fold_busy_fn *busy,
		    void *busy_arg)
{
	memset(s, 0, sizeof(*s));
	s->tr = tr;
	s->from = from;
	s->to = to;
	s->busy = busy;
	s->busy_arg = busy_arg;
	/* switches are known only from the first recorded one to the last
	 * recorded event */
	s->kfrom = from;
	s->kto = to;
	if (tr->sw_first > from) {
		s->kfrom = tr->sw_first;
		s->edge_from = 1;
	}
	if (tr->last < to) {
		s->kto = tr->last;
		s->edge_to = 1;
	}
}

void fold_sched_free(struct fold_sched *s)
{
	free(s->th);
	free(s->open);
	free(s->periods);
	free(s->cur);
	free(s->since);
	free(s->cur_keep);
	free(s->sw);
	hmap_free(&s->thix);
	hmap_free(&s->others_cpu);
	hmap_free(&s->others_off);
}

const struct fold_sched_thread *fold_sched_find(const struct fold_sched *s,
						uint64_t life)
{
	uint32_t ix;

	return hmap_get(&s->thix, life, &ix) ? &s->th[ix] : NULL;
}

int fold_sched_settled(const struct fold_sched *s, uint64_t t)
{
	for (uint32_t c = 0; c < s->ncpu; c++)
		if (s->cur[c] < 0 || (s->cur[c] > 0 && s->since[c] <= t))
			return 0;
	for (size_t i = 0; i < s->nth; i++)
		if (s->open[i].open && s->open[i].out <= t)
			return 0;
	return 1;
}

/* The life of TID at TS. */
static uint64_t life_of(const struct fold_sched *s, uint32_t tid, uint64_t ts)
{
	return s->names ? names_life(s->names, tid, ts) : tid;
}

/* The figures of LIFE, a life of TID. */
static struct fold_sched_thread *th_get(struct fold_sched *s, uint32_t tid,
					uint64_t life)
{
	uint32_t ix;

	if (hmap_get(&s->thix, life, &ix))
		return &s->th[ix];
	if (report_grow(&s->th, &s->capth, s->nth + 1, sizeof(*s->th)) < 0 ||
	    report_grow(&s->open, &s->capopen, s->nth + 1,
			sizeof(*s->open)) < 0 ||
	    hmap_put(&s->thix, life, (uint32_t)s->nth) < 0)
		return NULL;
	memset(&s->th[s->nth], 0, sizeof(s->th[0]));
	memset(&s->open[s->nth], 0, sizeof(s->open[0]));
	s->th[s->nth].tid = tid;
	s->th[s->nth].life = life;
	return &s->th[s->nth++];
}

/* A thread (its life at TS) the CPU part speaks of. */
static struct fold_sched_thread *cpu_th(struct fold_sched *s, uint32_t tid,
					uint64_t ts)
{
	struct fold_sched_thread *t = th_get(s, tid, life_of(s, tid, ts));

	if (t)
		t->cpu_seen = 1;
	return t;
}

/* Room for CPU C in the per-CPU arrays. */
static int cpus_grow(struct fold_sched *s, uint32_t c)
{
	uint32_t n = s->ncpu;

	if (c < n)
		return 0;
	int32_t *cur = realloc(s->cur, (c + 1) * sizeof(*cur));
	if (cur)
		s->cur = cur;
	uint64_t *since = realloc(s->since, (c + 1) * sizeof(*since));
	if (since)
		s->since = since;
	uint8_t *keep = realloc(s->cur_keep, (c + 1) * sizeof(*keep));
	if (keep)
		s->cur_keep = keep;
	if (!cur || !since || !keep)
		return -ENOMEM;
	for (uint32_t k = n; k <= c; k++) {
		s->cur[k] = -1;	/* no switch seen on k yet */
		s->since[k] = 0;
		s->cur_keep[k] = 0;
	}
	s->ncpu = c + 1;
	return 0;
}

/* Hand interval IV to the IV hook, if any. */
static int iv_put(struct fold_sched *s, const struct fold_iv *iv)
{
	return s->iv ? s->iv(s->iv_arg, iv) : 0;
}

/* CPU C ran the traced thread T over [A, B): add what the trace knows of
 * it (B clipped to the end of T's tracing, the CPU's holes left out).
 * EDGES: FOLD_IV_START when A is not the start of the run, FOLD_IV_END
 * when B is not its end. */
static int cpu_ran(struct fold_sched *s, struct fold_sched_thread *t,
		   uint32_t c, uint64_t a, uint64_t b, uint64_t until,
		   int keep, unsigned edges)
{
	int hole = 0;

	if (until < b) {	/* its process exited: not traced since */
		b = until;
		t->cpu_partial = 1;
		edges |= FOLD_IV_END;
	}
	if (b <= a)
		return 0;
	if (!keep)
		return 0;
	t->cpu_ns += traced_known(s->tr, c, a, b, &hole);
	if (hole)
		t->cpu_partial = 1;
	else if (s->busy)
		s->busy(s->busy_arg, c, a, b);
	if (hole) {	/* known up to the hole only */
		uint64_t h = traced_hole_start(s->tr, c, a, b);

		if (h <= a)
			return 0;
		b = h;
		edges |= FOLD_IV_END;
	}
	return iv_put(s, &(struct fold_iv){ .a = a, .b = b, .life = t->life,
			   .tid = t->tid, .cpu = c, .kind = FOLD_IV_RUN,
			   .edges = edges });
}

static int cpu_switch(struct fold_sched *s, const struct fold_sched_sw *e)
{
	const struct traced *tr = s->tr;
	struct fold_sched_thread *t;
	uint64_t start, until;
	int first, rc;

	if (e->cpu >= MAXCPU)
		return 0;
	if (cpus_grow(s, e->cpu) < 0)
		return -ENOMEM;
	first = s->cur[e->cpu] < 0;
	start = first ? s->kfrom : s->since[e->cpu];
	/* the task the trace put on this CPU is not the one switched out:
	 * its switch-out was not recorded, because it was traced no longer
	 * (its process exited) or in a hole; it ran until then, and what
	 * came after is not known */
	if (tr->some && !first && s->cur[e->cpu] > 0 &&
	    s->cur[e->cpu] != (int32_t)e->prev &&
	    traced_at(tr, (uint32_t)s->cur[e->cpu], start, &until)) {
		uint64_t h = traced_hole_start(tr, e->cpu, start, e->ts);

		if (!(t = cpu_th(s, (uint32_t)s->cur[e->cpu], start)))
			return -ENOMEM;
		t->cpu_partial = 1;
		if (h < until)
			until = h;
		if (until < e->ts &&
		    (rc = cpu_ran(s, t, e->cpu, start, until, UINT64_MAX,
				  e->keep, FOLD_IV_END)) < 0)
			return rc;
	}
	if (e->prev == 0) {
		/* idle: nothing to charge */
	} else if (!traced_at(tr, e->prev, start, &until)) {
		/* a traced thread run again after its exit: that run is not
		 * known; others are not traced at all */
		if (traced_ever(tr, e->prev)) {
			if (!(t = cpu_th(s, e->prev, e->ts)))
				return -ENOMEM;
			t->cpu_partial = 1;
		} else if (hmap_put(&s->others_cpu, e->prev, 0) < 0) {
			return -ENOMEM;
		}
	} else if (!(t = cpu_th(s, e->prev, e->ts))) {
		return -ENOMEM;
	} else if (tr->some && !first && s->cur[e->cpu] != (int32_t)e->prev) {
		/* its switch-in was not recorded (lost): when it began to
		 * run is unknown */
		t->cpu_partial = 1;
	} else {
		if (first && s->edge_from)
			t->cpu_partial = 1;	/* it may have run before */
		if ((rc = cpu_ran(s, t, e->cpu, start, e->ts, until, e->keep,
				  first ? FOLD_IV_START : 0)) < 0)
			return rc;
	}
	if (e->next != 0 && traced_at(tr, e->next, e->ts, NULL)) {
		if (!(t = cpu_th(s, e->next, e->ts)))
			return -ENOMEM;
		t->switches_in += e->keep;
	} else if (e->next != 0 && !traced_ever(tr, e->next) &&
		   hmap_put(&s->others_cpu, e->next, 0) < 0) {
		return -ENOMEM;
	}
	s->since[e->cpu] = e->ts;
	s->cur[e->cpu] = (int32_t)e->next;
	s->cur_keep[e->cpu] = e->keep;
	return 0;
}

int fold_sched_state_class(int64_t st)
{
	if (st == 0)
		return FOLD_OFF_PREEMPTED;
	if (st & 2)
		return FOLD_OFF_BLOCKED;
	if (st & 1)
		return FOLD_OFF_SLEEPING;
	return FOLD_OFF_OTHER;
}

/* Thread T's open period ends at IN (UINT64_MAX: the window's end), cut
 * where the trace stops knowing: the recording's end, the end of the
 * thread's tracing (its process exited), a hole on any CPU (the switch
 * back in may be in it).  It counts when KEEP. */
static int off_close(struct fold_sched *s, struct fold_sched_thread *t,
		     uint64_t in, int keep)
{
	struct fold_open *o = &s->open[t - s->th];
	uint64_t until, h, d;
	int partial = 0, rc;
	unsigned edges = 0;

	o->open = 0;
	if (in == UINT64_MAX) {	/* still off at the end */
		in = s->kto;
		partial = s->edge_to;
		edges = FOLD_IV_END;
	}
	traced_at(s->tr, t->tid, o->out, &until);
	if (until < in) {
		in = until > o->out ? until : o->out;
		partial = 1;
	}
	h = traced_hole_start(s->tr, UINT32_MAX, o->out, in);
	if (h != UINT64_MAX) {
		in = h;
		partial = 1;
	}
	if (!keep)
		return 0;
	if ((rc = iv_put(s, &(struct fold_iv){ .a = o->out, .b = in,
			   .life = t->life, .tid = t->tid, .cpu = o->cpu,
			   .stack_id = o->stack_id, .kind = FOLD_IV_OFF,
			   .cls = o->cls,
			   .edges = partial ? FOLD_IV_END : edges })) < 0)
		return rc;
	d = in - o->out;
	t->off_ns += d;
	t->off_cls[o->cls] += d;
	t->switches_out++;
	t->off_partial |= partial;
	if (!s->keep_periods)
		return 0;
	if (report_grow(&s->periods, &s->capperiods, s->nperiods + 1,
			sizeof(*s->periods)) < 0)
		return -ENOMEM;
	s->periods[s->nperiods++] = (struct fold_off_period){
		.out = o->out, .in = in, .tid = t->tid, .life = t->life,
		.nr = -1, .cls = o->cls, .partial = partial };
	return 0;
}

/* A switch of LIFE: the periods its tid's earlier lives left open are
 * dropped (a life's end is no wait, nor the next one's start). */
static void off_drop_before(struct fold_sched *s, uint64_t life)
{
	uint32_t ix;

	for (uint64_t k = 0; k < life >> 32; k++)
		if (hmap_get(&s->thix, k << 32 | NAMES_LIFE_TID(life), &ix) &&
		    s->open[ix].open) {
			s->open[ix].open = 0;
			s->dropped++;
		}
}

static int off_switch(struct fold_sched *s, const struct fold_sched_sw *e)
{
	struct fold_sched_thread *t;
	uint64_t life;
	uint32_t ix;
	int rc;

	if (e->next != 0) {
		life = life_of(s, e->next, e->ts);
		off_drop_before(s, life);
		if (hmap_get(&s->thix, life, &ix) && s->open[ix].open) {
			if ((rc = off_close(s, &s->th[ix], e->ts,
					    e->keep)) < 0)
				return rc;
		} else if (s->iv && e->keep &&
			   traced_at(s->tr, e->next, e->ts, NULL) &&
			   (rc = iv_put(s, &(struct fold_iv){ .a = e->ts,
					.b = e->ts, .life = life,
					.tid = e->next, .cpu = e->cpu,
					.kind = FOLD_IV_IN })) < 0) {
			return rc;
		}
	}
	if (e->prev == 0)
		return 0;
	life = life_of(s, e->prev, e->ts);
	off_drop_before(s, life);
	if (s->off_ok && !s->off_ok(s->off_arg, life))
		return 0;
	/* an untraced task's switch-in is recorded only when the task
	 * before it is traced: its time off is not known */
	if (!traced_at(s->tr, e->prev, e->ts, NULL)) {
		if (!traced_ever(s->tr, e->prev) &&
		    hmap_put(&s->others_off, e->prev, 0) < 0)
			return -ENOMEM;
		return 0;
	}
	if (!(t = th_get(s, e->prev, life)))
		return -ENOMEM;
	struct fold_open *o = &s->open[t - s->th];
	/* a task's last switch: it exited, it is not waiting; an open
	 * period ended unseen (it ran since) */
	if (e->state & TASK_GONE) {
		if (o->open) {
			o->open = 0;
			s->dropped++;
		}
		s->exited++;
		return e->keep ? iv_put(s, &(struct fold_iv){ .a = e->ts,
					.b = e->ts, .life = life,
					.tid = e->prev, .cpu = e->cpu,
					.kind = FOLD_IV_DEAD }) : 0;
	}
	/* switched out again without a switch-in seen (lost events, or the
	 * window's edge): the open period's end is unknown, so it is
	 * dropped rather than stretched */
	if (o->open)
		s->dropped++;
	*o = (struct fold_open){ .out = e->ts, .cpu = e->cpu,
				 .stack_id = e->stack_id,
				 .cls = fold_sched_state_class(e->state),
				 .keep = e->keep, .open = 1 };
	return 0;
}

int fold_sched_batch(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct fold_sched *s = arg;
	const int64_t *ts = b->col[0], *cpu = b->col[EVI_SWITCH_CPU];
	const int64_t *prev = b->col[EVI_SWITCH_PREV_TID];
	const int64_t *next = b->col[EVI_SWITCH_NEXT_TID];
	const int64_t *state = b->col[EVI_SWITCH_PREV_STATE];
	const int64_t *stack = b->col[EVI_SWITCH_STACK_ID]; /* may be NULL */

	if (report_grow(&s->sw, &s->capsw, s->nsw + b->n, sizeof(*s->sw)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++)
		s->sw[s->nsw++] = (struct fold_sched_sw){
			.ts = (uint64_t)ts[i], .state = state[i],
			.cpu = (uint32_t)cpu[i], .prev = (uint32_t)prev[i],
			.next = (uint32_t)next[i], .seq = (uint32_t)s->nsw,
			.stack_id = stack ? (uint32_t)stack[i] : 0,
			.keep = keep ? keep[i] : 1 };
	return 0;
}

static int sw_cmp(const void *a, const void *b)
{
	const struct fold_sched_sw *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The window's end: running tasks ran to it, open periods end there. */
static int sched_end(struct fold_sched *s)
{
	uint64_t until;
	int rc;

	for (uint32_t c = 0; c < s->ncpu; c++) {
		struct fold_sched_thread *t;

		if (s->cur[c] <= 0 ||
		    !traced_at(s->tr, (uint32_t)s->cur[c], s->since[c], &until))
			continue;
		if (!(t = cpu_th(s, (uint32_t)s->cur[c], s->since[c])))
			return -ENOMEM;
		if (s->edge_to)
			t->cpu_partial = 1;	/* it may run on */
		if ((rc = cpu_ran(s, t, c, s->since[c], s->kto, until,
				  s->cur_keep[c], FOLD_IV_END)) < 0)
			return rc;
	}
	for (size_t i = 0; i < s->nth; i++)
		if (s->open[i].open &&
		    (rc = off_close(s, &s->th[i], UINT64_MAX,
				    s->open[i].keep)) < 0)
			return rc;
	s->done = 1;
	return 0;
}

int fold_sched_slice(void *arg, uint64_t lo, uint64_t hi)
{
	struct fold_sched *s = arg;
	int rc;

	(void)lo;
	report_sort(s->sw, s->nsw, sizeof(*s->sw), sw_cmp);
	for (size_t i = 0; i < s->nsw; i++)
		if ((!s->no_cpu && (rc = cpu_switch(s, &s->sw[i])) < 0) ||
		    (!s->no_off && (rc = off_switch(s, &s->sw[i])) < 0))
			return rc;
	s->switches += s->nsw;
	s->nsw = 0;
	return hi > s->to ? sched_end(s) : 0;
}
