/*
 * timeline.c - the Timeline view's data (see timeline.h): the engine's
 * intervals, kept per thread and per CPU, cut into cells.
 */
#include "config.h"
#include "tui/timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char tl_state_chars[TL_NSTATES] = {
	[TL_NONE] = ' ', [TL_RUN] = '#', [TL_SYS] = 's', [TL_RUNNABLE] = '=',
	[TL_SLEEP] = '.', [TL_BLOCK] = 'D', [TL_DEAD] = 'x',
};

const char *const tl_state_names[TL_NSTATES] = {
	"unknown", "running", "syscall", "runnable", "sleeping", "blocked",
	"dead",
};

struct timeline *timeline_new(struct store *st, uint64_t from, uint64_t to,
			      char *err)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (!tl) {
		snprintf(err, TIMELINE_ERRLEN, "out of memory");
		return NULL;
	}
	tl->from = from;
	tl->to = to;
	tl->partial = 1;
	tl->read_to = from;
	pthread_mutex_init(&tl->lock, NULL);
	pthread_cond_init(&tl->cond, NULL);
	if (!(tl->ts = tstate_new(st, from, to, err))) {
		timeline_free(tl);
		return NULL;
	}
	tl->ts->no_stacks = 1;
	if (tstate_start(tl->ts) < 0) {
		snprintf(err, TIMELINE_ERRLEN, "%s", tstate_errmsg(tl->ts));
		timeline_free(tl);
		return NULL;
	}
	return tl;
}

/* The arrays of TL (not the engine, not the lock). */
static void arrays_free(struct timeline *tl)
{
	for (size_t i = 0; i < tl->nth; i++)
		free(tl->th[i].iv);
	free(tl->th);
	for (unsigned c = 0; c < tl->ncpu; c++)
		free(tl->cpu[c].run);
	free(tl->cpu);
	hmap_free(&tl->tidix);
	tl->th = NULL;
	tl->cpu = NULL;
	tl->nth = tl->capth = tl->ncpu = 0;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	if (tl->working) {
		/* the join cannot stop: its thread frees all when done */
		pthread_mutex_lock(&tl->lock);
		if (!tl->worked) {
			tl->abandoned = 1;
			pthread_detach(tl->worker);
			pthread_mutex_unlock(&tl->lock);
			return;
		}
		pthread_mutex_unlock(&tl->lock);
		pthread_join(tl->worker, NULL);
		tl->working = 0;
	}
	if (tl->next) {
		arrays_free(tl->next);
		free(tl->next);
	}
	tstate_free(tl->ts);
	traced_free(&tl->tr);
	arrays_free(tl);
	free(tl->order);
	pthread_mutex_destroy(&tl->lock);
	pthread_cond_destroy(&tl->cond);
	free(tl);
}

const char *timeline_errmsg(const struct timeline *tl)
{
	return tl->errmsg;
}

long timeline_find(const struct timeline *tl, uint32_t tid)
{
	return hmap_index(&tl->tidix, tid);
}

/* ---- filling ----------------------------------------------------------- */

static int on_cpu(enum tl_state s)
{
	return s == TL_RUN || s == TL_SYS;
}

/* The thread of TID in TL (made on first sight, named by LIFE through
 * NAMES), or NULL. */
static struct tl_thread *thread_of(struct timeline *tl,
				   const struct names *names, uint32_t tid,
				   uint64_t life)
{
	long ix = hmap_index(&tl->tidix, tid);
	struct tl_thread *t;
	const char *comm;

	if (ix >= 0)
		return &tl->th[ix];
	if (report_grow(&tl->th, &tl->capth, tl->nth + 1, sizeof(*tl->th)) < 0 ||
	    hmap_put(&tl->tidix, tid, (uint32_t)tl->nth) < 0)
		return NULL;
	t = &tl->th[tl->nth++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->pid = names_life_pid(names, life);
	comm = names_life_comm(names, life);
	snprintf(t->comm, sizeof(t->comm), "%s", comm ? comm : "");
	return t;
}

/* Thread T's interval V, in ts order (they come nearly in order: an
 * insertion from the end), the times on a CPU before each kept. */
static int thread_add(struct tl_thread *t, const struct tl_iv *v)
{
	size_t k;

	if (report_grow(&t->iv, &t->cap, t->n + 1, sizeof(*t->iv)) < 0)
		return -ENOMEM;
	for (k = t->n; k > 0 && t->iv[k - 1].ts > v->ts; k--)
		;
	memmove(t->iv + k + 1, t->iv + k, (t->n - k) * sizeof(*t->iv));
	t->iv[k] = *v;
	t->n++;
	for (; k < t->n; k++) {
		const struct tl_iv *p = k ? &t->iv[k - 1] : NULL;

		t->iv[k].on_before = !p ? 0 : p->on_before +
				     (on_cpu(p->state) ? p->end - p->ts : 0);
	}
	return 0;
}

/* Run R on CPU: in ts order (an insertion from the end) when INORDER,
 * else at the end (the caller sorts). */
static int cpu_add(struct timeline *tl, uint32_t cpu, const struct tl_run *r,
		   int inorder)
{
	struct tl_cpu *c;
	size_t k;

	if (cpu >= 4096)
		return 0;
	if (cpu >= tl->ncpu) {
		void *p = realloc(tl->cpu, (cpu + 1) * sizeof(*tl->cpu));

		if (!p)
			return -ENOMEM;
		tl->cpu = p;
		memset(tl->cpu + tl->ncpu, 0,
		       (cpu + 1 - tl->ncpu) * sizeof(*tl->cpu));
		tl->ncpu = cpu + 1;
	}
	c = &tl->cpu[cpu];
	if (report_grow(&c->run, &c->cap, c->n + 1, sizeof(*c->run)) < 0)
		return -ENOMEM;
	for (k = c->n; inorder && k > 0 && c->run[k - 1].ts > r->ts; k--)
		;
	memmove(c->run + k + 1, c->run + k, (c->n - k) * sizeof(*c->run));
	c->run[k] = *r;
	c->n++;
	return 0;
}

static int add(struct timeline *tl, const struct names *names, uint32_t tid,
	       uint64_t life, uint64_t a, uint64_t b, uint32_t cpu,
	       enum tl_state s, int inorder)
{
	struct tl_thread *t = thread_of(tl, names, tid, life);
	struct tl_iv v = { .ts = a, .end = b, .cpu = cpu, .state = (uint8_t)s };

	if (!t || thread_add(t, &v) < 0)
		return -ENOMEM;
	if (!on_cpu(s) || b <= a)
		return 0;
	return cpu_add(tl, cpu, &(struct tl_run){ a, b, tid }, inorder);
}

/* The fold's intervals closed since the last call (a first picture). */
static int take_raw(struct timeline *tl)
{
	size_t n;
	const struct fold_iv *r = tstate_raw(tl->ts, &n, &tl->read_to);

	for (; tl->nraw_seen < n; tl->nraw_seen++) {
		const struct fold_iv *v = &r[tl->nraw_seen];
		enum tl_state s;

		switch (v->kind) {
		case FOLD_IV_RUN: s = TL_RUN; break;
		case FOLD_IV_DEAD: s = TL_DEAD; break;
		case FOLD_IV_OFF:
			s = v->cls == FOLD_OFF_PREEMPTED ? TL_RUNNABLE :
			    v->cls == FOLD_OFF_BLOCKED ? TL_BLOCK : TL_SLEEP;
			break;
		default:
			continue;
		}
		if (add(tl, &tl->ts->names, v->tid, v->life, v->a, v->b,
			v->cpu, s, 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

static const enum tl_state from_tstate[TSTATE_NSTATES] = {
	[TSTATE_RUNNING] = TL_RUN, [TSTATE_RUNNABLE] = TL_RUNNABLE,
	[TSTATE_SLEEPING] = TL_SLEEP, [TSTATE_BLOCKED] = TL_BLOCK,
	[TSTATE_DEAD] = TL_DEAD,
};

static int run_cmp(const void *a, const void *b)
{
	const struct tl_run *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The worker: the engine's join, then its intervals into tl->next. */
static void *join_work(void *arg)
{
	struct timeline *tl = arg;
	const struct tstate *t = tl->ts;
	int rc = tstate_step(tl->ts, 0), abandoned;

	if (rc < 0)
		snprintf(tl->errmsg, sizeof(tl->errmsg), "thread states: %s",
			 tstate_errmsg(tl->ts));
	for (size_t i = 0; rc >= 0 && i < t->n; i++) {
		const struct tstate_iv *v = &t->iv[i];

		if (add(tl->next, &t->names, v->tid, v->life, v->ts,
			v->ts + v->dur, v->cpu, from_tstate[v->state],
			0) < 0) {
			snprintf(tl->errmsg, sizeof(tl->errmsg),
				 "out of memory");
			rc = -ENOMEM;
		}
	}
	/* the engine's intervals come by thread: each CPU's, sorted */
	for (unsigned c = 0; rc >= 0 && c < tl->next->ncpu; c++)
		report_sort(tl->next->cpu[c].run, tl->next->cpu[c].n,
			    sizeof(*tl->next->cpu[c].run), run_cmp);
	pthread_mutex_lock(&tl->lock);
	tl->wrc = rc < 0 ? rc : 0;
	tl->worked = 1;
	abandoned = tl->abandoned;
	pthread_cond_signal(&tl->cond);
	pthread_mutex_unlock(&tl->lock);
	if (abandoned) {
		tl->working = 0;
		timeline_free(tl);
	}
	return NULL;
}

/* Start the join in a thread, into a timeline that knows the threads
 * seen so far at the same indexes.  0 or -errno. */
static int join_start(struct timeline *tl)
{
	struct timeline *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	tl->next = n;
	for (size_t i = 0; i < tl->nth; i++) {
		struct tl_thread *t;

		if (report_grow(&n->th, &n->capth, n->nth + 1,
				sizeof(*n->th)) < 0 ||
		    hmap_put(&n->tidix, tl->th[i].tid, (uint32_t)i) < 0)
			return -ENOMEM;
		t = &n->th[n->nth++];
		*t = tl->th[i];
		t->iv = NULL;
		t->n = t->cap = 0;
	}
	tl->worked = 0;
	if (pthread_create(&tl->worker, NULL, join_work, tl)) {
		join_work(tl);	/* no thread: here */
		return 0;
	}
	tl->working = 1;
	return 0;
}

/* Wait at most BUDGET for the join; 1 while it runs, 0 when its result
 * is in place, -errno. */
static int join_wait(struct timeline *tl, uint64_t budget)
{
	struct timespec until;
	int rc;

	pthread_mutex_lock(&tl->lock);
	if (!tl->worked && budget) {
		clock_gettime(CLOCK_REALTIME, &until);
		if (budget > 1000000000ull)
			budget = 1000000000ull;
		until.tv_nsec += (long)budget;
		until.tv_sec += until.tv_nsec / 1000000000;
		until.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&tl->cond, &tl->lock, &until);
	}
	rc = tl->worked ? tl->wrc : 1;
	pthread_mutex_unlock(&tl->lock);
	if (rc > 0)
		return 1;
	if (tl->working)
		pthread_join(tl->worker, NULL);
	tl->working = 0;
	if (rc < 0)
		return rc;
	arrays_free(tl);
	tl->th = tl->next->th;
	tl->nth = tl->next->nth;
	tl->capth = tl->next->capth;
	tl->cpu = tl->next->cpu;
	tl->ncpu = tl->next->ncpu;
	tl->tidix = tl->next->tidix;
	free(tl->next);
	tl->next = NULL;
	tl->joined = 1;
	return 0;
}

/* Mark the runs inside a call (the engine's intervals with a syscall),
 * a slice at a time: 1 more, 0 done. */
static int sys_mark(struct timeline *tl)
{
	const struct tstate *t = tl->ts;
	size_t end = t->n - tl->sys_at > 50000 ? tl->sys_at + 50000 : t->n;

	for (; tl->sys_at < end; tl->sys_at++) {
		const struct tstate_iv *v = &t->iv[tl->sys_at], *first;
		long ix;
		size_t n, k;

		if (v->state != TSTATE_RUNNING || v->nr < 0 ||
		    (ix = timeline_find(tl, v->tid)) < 0 ||
		    !(first = tstate_thread(t, v->tid, &n)))
			continue;
		k = (size_t)(v - first);
		if (k < tl->th[ix].n && tl->th[ix].iv[k].ts == v->ts)
			tl->th[ix].iv[k].state = TL_SYS;
	}
	return tl->sys_at < t->n;
}

int timeline_step(struct timeline *tl, uint64_t budget_ns)
{
	int rc;

	if (!tl->ts)
		return 0;
	if (tl->next) {
		if ((rc = join_wait(tl, budget_ns)) != 0)
			goto out;
		tl->fraction = tstate_fraction(tl->ts);
		return 1;
	}
	if (tstate_folded(tl->ts)) {
		if (join_start(tl) < 0) {
			arrays_free(tl->next);
			free(tl->next);
			tl->next = NULL;
			snprintf(tl->errmsg, sizeof(tl->errmsg),
				 "out of memory");
			return -ENOMEM;
		}
		return 1;
	}
	if (!tstate_joined(tl->ts) || tl->sys_at == 0) {
		rc = tstate_step(tl->ts, budget_ns);
		if (rc < 0)
			snprintf(tl->errmsg, sizeof(tl->errmsg),
				 "thread states: %s", tstate_errmsg(tl->ts));
		else if (!tstate_joined(tl->ts) && take_raw(tl) < 0)
			rc = -ENOMEM;
		tl->fraction = tstate_fraction(tl->ts);
		if (rc != 0)
			goto out;
		if (!tl->ts->n)
			goto done;
	}
	if ((rc = sys_mark(tl)) > 0)
		return 1;
done:	/* keep the tracing facts, drop the engine */
	tl->tr = tl->ts->tr;
	memset(&tl->ts->tr, 0, sizeof(tl->ts->tr));
	tstate_free(tl->ts);
	tl->ts = NULL;
	tl->partial = 0;
	tl->read_to = tl->to;
	tl->fraction = 1;
	return 0;
out:
	if (rc == -ENOMEM)
		snprintf(tl->errmsg, sizeof(tl->errmsg), "out of memory");
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

const struct tl_iv *timeline_ivs(struct timeline *tl, uint32_t ix,
				 size_t *n)
{
	struct tl_thread *t = &tl->th[ix];

	*n = t->n;
	return t->iv;
}

/* The first interval of V[0..N) that ends after TS (or a dead point at
 * or after it). */
static size_t first_after(const struct tl_iv *v, size_t n, uint64_t ts)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (v[m].end > ts || (v[m].end == v[m].ts && v[m].ts >= ts))
			hi = m;
		else
			lo = m + 1;
	}
	return lo;
}

static const struct traced *tl_tr(const struct timeline *tl)
{
	return tl->ts ? &tl->ts->tr : &tl->tr;
}

int timeline_lost(const struct timeline *tl, uint64_t a, uint64_t b)
{
	const struct traced *tr = tl_tr(tl);

	for (size_t i = 0; i < tr->nholes; i++)
		if (tr->holes[i].from < b && tr->holes[i].to > a)
			return 1;
	return 0;
}

/* Cell C of N over [WF, WT]: [*A, *B). */
static void cell_span(uint64_t wf, uint64_t wt, int n, int c, uint64_t *a,
		      uint64_t *b)
{
	unsigned __int128 span = (unsigned __int128)(wt - wf) + 1;

	*a = wf + (uint64_t)(span * (unsigned)c / (unsigned)n);
	*b = wf + (uint64_t)(span * (unsigned)(c + 1) / (unsigned)n);
}

/* The cell of TS (inside [WF, WT]) of N. */
static int cell_of(uint64_t wf, uint64_t wt, int n, uint64_t ts)
{
	unsigned __int128 span = (unsigned __int128)(wt - wf) + 1;
	int c = (int)((unsigned __int128)(ts - wf) * (unsigned)n / span);

	return c < n ? c : n - 1;
}

void timeline_cells(struct timeline *tl, uint32_t ix, uint64_t wf,
		    uint64_t wt, struct tl_cell *cells, int n)
{
	struct tl_thread *t = &tl->th[ix];
	uint64_t (*sum)[TL_NSTATES] = calloc((size_t)n, sizeof(*sum));
	uint64_t *runbest = calloc((size_t)n, sizeof(*runbest));
	uint8_t *dead = calloc((size_t)n, 1);

	memset(cells, 0, (size_t)n * sizeof(*cells));
	if (!sum || !runbest || !dead)
		goto out;
	for (size_t k = first_after(t->iv, t->n, wf);
	     k < t->n && t->iv[k].ts <= wt; k++) {
		const struct tl_iv *v = &t->iv[k];
		uint64_t a = v->ts < wf ? wf : v->ts;
		uint64_t z = v->end > wt ? wt + 1 : v->end;

		if (v->state == TL_DEAD) {
			dead[cell_of(wf, wt, n, a)] = 1;
			continue;
		}
		for (int c = cell_of(wf, wt, n, a); c < n; c++) {
			uint64_t ca, cb, x, y;

			cell_span(wf, wt, n, c, &ca, &cb);
			if (ca >= z)
				break;
			x = a > ca ? a : ca;
			y = z < cb ? z : cb;
			if (y <= x)
				continue;
			sum[c][v->state] += y - x;
			if ((v->state == TL_RUN || v->state == TL_SYS) &&
			    y - x > runbest[c]) {
				runbest[c] = y - x;
				cells[c].cpu = v->cpu;
			}
		}
	}
	for (int c = 0; c < n; c++) {
		uint64_t ca, cb, known = 0, best = 0;
		uint64_t on = sum[c][TL_RUN] + sum[c][TL_SYS];

		cell_span(wf, wt, n, c, &ca, &cb);
		for (int s = TL_RUN; s < TL_NSTATES; s++)
			known += sum[c][s];
		cells[c].state = TL_NONE;
		best = cb - ca > known ? cb - ca - known : 0;
		if (on > best) {
			best = on;
			cells[c].state = sum[c][TL_SYS] > sum[c][TL_RUN] ?
					 TL_SYS : TL_RUN;
		}
		for (int s = TL_RUNNABLE; s < TL_DEAD; s++)
			if (sum[c][s] > best) {
				best = sum[c][s];
				cells[c].state = (uint8_t)s;
			}
		if (cells[c].state == TL_NONE && dead[c])
			cells[c].state = TL_DEAD;
		cells[c].lost = (uint8_t)timeline_lost(tl, ca, cb);
	}
out:
	free(sum);
	free(runbest);
	free(dead);
}

void timeline_cpu_cells(struct timeline *tl, unsigned cpu, uint64_t wf,
			uint64_t wt, struct tl_cpucell *cells, int n)
{
	const struct traced *tr = tl_tr(tl);
	struct tl_cpu *p = cpu < tl->ncpu ? &tl->cpu[cpu] : NULL;
	uint64_t known_to = tl->partial ? tl->read_to : tr->last;
	size_t k = 0;

	memset(cells, 0, (size_t)n * sizeof(*cells));
	for (size_t lo = 0, hi = p ? p->n : 0; lo < hi;) {
		size_t m = lo + (hi - lo) / 2;

		if (p->run[m].end > wf)
			hi = m;
		else
			lo = m + 1;
		k = lo;
	}
	for (int c = 0; c < n; c++) {
		uint32_t tid[8];
		uint64_t ns[8], busy = 0, ca, cb;
		int nt = 0, best = -1;

		cell_span(wf, wt, n, c, &ca, &cb);
		/* runs that touch the cell; the next cell starts again at
		 * the first that goes on past it */
		for (size_t j = k; p && j < p->n && p->run[j].ts < cb; j++) {
			const struct tl_run *r = &p->run[j];
			uint64_t x = r->ts > ca ? r->ts : ca;
			uint64_t y = r->end < cb ? r->end : cb;
			int i;

			if (r->end <= ca)
				k = j + 1;
			if (y <= x)
				continue;
			busy += y - x;
			for (i = 0; i < nt && tid[i] != r->tid; i++)
				;
			if (i == nt && nt < 8) {
				tid[nt] = r->tid;
				ns[nt++] = 0;
			}
			if (i < nt)
				ns[i] += y - x;
		}
		for (int i = 0; i < nt; i++)
			if (best < 0 || ns[i] > ns[best])
				best = i;
		cells[c].lost = (uint8_t)timeline_lost(tl, ca, cb);
		if (best >= 0 && ns[best] >= cb - ca - busy) {
			cells[c].kind = TLC_TASK;
			cells[c].tid = tid[best];
		} else if (!tr->some && tr->sw_first && ca >= tr->sw_first &&
			   cb <= known_to + 1 && !cells[c].lost) {
			cells[c].kind = TLC_IDLE;
		}
	}
}

const struct tl_iv *timeline_iv_at(struct timeline *tl, uint32_t ix,
				   uint64_t ts)
{
	struct tl_thread *t = &tl->th[ix];
	size_t k = first_after(t->iv, t->n, ts);

	for (; k < t->n && t->iv[k].ts <= ts; k++)
		if (t->iv[k].end > ts)
			return &t->iv[k];
	return NULL;
}

/* Thread T's state just before and at boundary P of interval K. */
static int changes_at(const struct tl_thread *t, size_t k, uint64_t p)
{
	enum tl_state before = TL_NONE, after = TL_NONE;
	const struct tl_iv *v = t->iv;

	if (p == v[k].ts) {
		after = v[k].state;
		for (size_t j = k; j-- > 0;)
			if (v[j].end > v[j].ts) {
				if (v[j].end == p)
					before = v[j].state;
				break;
			}
	} else {
		before = v[k].state;
		for (size_t j = k + 1; j < t->n; j++)
			if (v[j].end > v[j].ts) {
				if (v[j].ts == p)
					after = v[j].state;
				break;
			}
	}
	return before != after;
}

int timeline_change(struct timeline *tl, uint32_t ix, uint64_t ts, int dir,
		    uint64_t *at)
{
	struct tl_thread *t = &tl->th[ix];
	size_t k = first_after(t->iv, t->n, ts);

	if (dir > 0) {
		for (; k < t->n; k++) {
			const struct tl_iv *v = &t->iv[k];

			if (v->end == v->ts)
				continue;
			if (v->ts > ts && changes_at(t, k, v->ts)) {
				*at = v->ts;
				return 1;
			}
			if (v->end > ts && changes_at(t, k, v->end)) {
				*at = v->end;
				return 1;
			}
		}
		return 0;
	}
	for (k = k < t->n ? k + 1 : t->n; k-- > 0;) {
		const struct tl_iv *v = &t->iv[k];

		if (v->end == v->ts)
			continue;
		if (v->end < ts && changes_at(t, k, v->end)) {
			*at = v->end;
			return 1;
		}
		if (v->ts < ts && changes_at(t, k, v->ts)) {
			*at = v->ts;
			return 1;
		}
	}
	return 0;
}

/* Thread T's time on a CPU before X. */
static uint64_t on_until(const struct tl_thread *t, uint64_t x)
{
	size_t k = first_after(t->iv, t->n, x);
	const struct tl_iv *v = k < t->n ? &t->iv[k] : NULL;
	const struct tl_iv *last = t->n ? &t->iv[t->n - 1] : NULL;

	if (!v)
		return !last ? 0 : last->on_before + (on_cpu(last->state) ?
						      last->end - last->ts : 0);
	return v->on_before + (on_cpu(v->state) && v->ts < x ? x - v->ts : 0);
}

/* ---- strip order ------------------------------------------------------- */

struct order_key {
	uint64_t proc_ns, on_ns;
	int64_t pid;
	uint32_t ix, tid;
};

/* The process of K as a key (a thread of no known process: its own). */
static uint64_t pkey(const struct order_key *k)
{
	return k->pid >= 0 ? (uint64_t)k->pid : (1ull << 40) | k->tid;
}

static int order_cmp(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;

	if (x->proc_ns != y->proc_ns)
		return x->proc_ns > y->proc_ns ? -1 : 1;
	if (pkey(x) != pkey(y))
		return pkey(x) < pkey(y) ? -1 : 1;
	if (x->on_ns != y->on_ns)
		return x->on_ns > y->on_ns ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

size_t timeline_order(struct timeline *tl, uint64_t wf, uint64_t wt,
		      const uint32_t **order)
{
	struct order_key *k = calloc(tl->nth ? tl->nth : 1, sizeof(*k));
	struct hmap proc = { 0 };
	size_t n = 0;

	*order = tl->order;
	tl->norder = 0;
	if (!k || report_grow(&tl->order, &tl->caporder, tl->nth + 1,
			      sizeof(*tl->order)) < 0) {
		free(k);
		return 0;
	}
	for (uint32_t ix = 0; ix < tl->nth; ix++) {
		struct tl_thread *t = &tl->th[ix];
		size_t f = first_after(t->iv, t->n, wf);
		uint64_t on = on_until(t, wt < UINT64_MAX ? wt + 1 : wt) -
			      on_until(t, wf);
		int seen = f < t->n && t->iv[f].ts <= wt;

		t->on_ns = on;
		if (!seen || !t->tid)
			continue;
		k[n++] = (struct order_key){ 0, on, t->pid, ix, t->tid };
	}
	/* a process's time: the sum of its threads' */
	{
		uint64_t *sum = calloc(n ? n : 1, sizeof(*sum));
		uint32_t v;

		for (size_t i = 0; sum && i < n; i++) {
			uint64_t key = pkey(&k[i]);

			if (!hmap_get(&proc, key, &v)) {
				v = (uint32_t)i;
				if (hmap_put(&proc, key, v) < 0)
					break;
			}
			sum[v] += k[i].on_ns;
		}
		for (size_t i = 0; sum && i < n; i++)
			if (hmap_get(&proc, pkey(&k[i]), &v))
				k[i].proc_ns = sum[v];
		free(sum);
	}
	hmap_free(&proc);
	report_sort(k, n, sizeof(*k), order_cmp);
	for (size_t i = 0; i < n; i++)
		tl->order[i] = k[i].ix;
	free(k);
	tl->norder = n;
	*order = tl->order;
	return n;
}
