/*
 * synth.c - a deterministic synthetic kscope trace (API and model: synth.h).
 *
 *     struct synth *s = synth_new(&o);
 *     while (synth_next(s, &kind, &ev) > 0) store_writer_append(w, kind, ev);
 *
 * How it works.  A clock advances in bursty steps (a two-state Markov
 * chain: bursts of short gaps, lulls of long ones).  At each step a thread
 * is drawn Zipf-like by activity rank among those not blocked, and issues a
 * syscall drawn from its process's mix.  That syscall is returned at once;
 * what it causes later (the switch out and back in around a blocking call,
 * the wakeup, a migration, TCP state changes, send / recv bytes,
 * retransmits) goes into a min-heap of pending events keyed by (ts, seq).
 * Everything generated at step time t has ts >= t, so the heap can release
 * every event older than the syscall about to be returned: the output is in
 * global ts order.  Short-lived commands are forked at Poisson times by
 * shells, cron and the postmaster; they run a dynamic-loader script
 * (execve, the ld.so.preload ENOENT, ld.so.cache, libc...) then their own
 * mix, and exit; their parent waits in wait4 meanwhile.
 *
 * All strings (comms, paths, addresses) live in an arena freed by
 * synth_free, so returned structs may be kept.  Randomness comes from one
 * xoshiro256** stream seeded by splitmix64 from opts.seed; the kinds mask
 * only filters output, so the syscalls of a seed never depend on it.
 *
 * The parts (shared state in synth_int.h): synth_rng.h the random numbers,
 * synth_data.c the tables, synth_host.c the host at the start, synth_call.c
 * one syscall and its consequences; this file the clock, the heap, the
 * commands that come and go, and the API.
 */
#include "config.h"
#include "tests/synth_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* meta keys the recorder writes (docs/FORMAT.md) */
#define META_HOST "host"
#define META_KERNEL "kernel"
#define META_ARCH "arch"
#define META_CPUS "cpus"
#define META_CLOCK_OFFSET "clock_offset_ns" /* wall ns = ts + this */
#define META_START "start_ts"
#define META_END "end_ts"
#define META_RECORDER "recorder"
#define META_OPTIONS "options"

/* ---- the pending-event heap ------------------------------------------ */

static inline int pend_less(const struct synth *s, uint32_t a, uint32_t b)
{
	const struct pend *x = &s->pool[a], *y = &s->pool[b];

	return x->ts < y->ts || (x->ts == y->ts && x->seq < y->seq);
}

/* A zeroed pending event of KIND at TS, queued; NULL when out of memory. */
struct pend *synth_pend_push(struct synth *s, enum ev_kind kind, uint64_t ts)
{
	uint32_t i;

	if (s->free_pend != UINT32_MAX) {
		i = s->free_pend;
		s->free_pend = (uint32_t)s->pool[i].seq;
	} else {
		unsigned cap = s->pool_cap;
		struct pend *p = synth_grow(s->pool, &cap, s->npend + 1,
					    sizeof(*p));
		if (!p) {
			s->err = -ENOMEM;
			return NULL;
		}
		s->pool = p;
		unsigned hcap = s->pool_cap;
		uint32_t *h = synth_grow(s->heap, &hcap, cap, sizeof(*h));
		if (!h) {
			s->err = -ENOMEM;
			return NULL;
		}
		s->heap = h;
		s->pool_cap = cap;
		i = s->npend; /* pool grows only while every slot is in use */
	}
	struct pend *p = &s->pool[i];
	memset(p, 0, sizeof(*p));
	p->ts = ts;
	p->seq = s->seq++;
	p->kind = kind;
	p->u.sc.ts = ts; /* ts is the first member of every kind */

	unsigned k = s->npend++;
	s->heap[k] = i;
	while (k && pend_less(s, s->heap[k], s->heap[(k - 1) / 2])) {
		uint32_t t = s->heap[k];
		s->heap[k] = s->heap[(k - 1) / 2];
		s->heap[(k - 1) / 2] = t;
		k = (k - 1) / 2;
	}
	return p;
}

/* Move the earliest pending event to s->out and free its slot. */
static void pend_pop(struct synth *s)
{
	uint32_t i = s->heap[0];

	s->out = s->pool[i];
	s->pool[i].seq = s->free_pend;
	s->free_pend = i;
	s->heap[0] = s->heap[--s->npend];
	unsigned k = 0;
	for (;;) {
		unsigned l = 2 * k + 1, m = k;
		if (l < s->npend && pend_less(s, s->heap[l], s->heap[m]))
			m = l;
		if (l + 1 < s->npend && pend_less(s, s->heap[l + 1], s->heap[m]))
			m = l + 1;
		if (m == k)
			break;
		uint32_t t = s->heap[k];
		s->heap[k] = s->heap[m];
		s->heap[m] = t;
		k = m;
	}
}

/* Queue a copy of syscall E (counted against opts.syscalls). */
static void pend_syscall(struct synth *s, const struct ev_syscall *e)
{
	struct pend *p = synth_pend_push(s, EV_SYSCALL, e->ts);

	if (p) {
		p->u.sc = *e;
		s->made++;
	}
}
/* ---- processes that come and go ----------------------------------------- */

static void proc_spawn(struct synth *s, uint64_t t)
{
	struct rng *r = &s->r;
	const struct spawn_tmpl *sp =
		&synth_spawns[rng_below(r, SYNTH_NSPAWNS)];
	uint32_t parent = UINT32_MAX;

	/* the first free thread of a process made from the parent template */
	unsigned start = rng_below(r, s->nthreads);
	for (unsigned k = 0; k < s->nthreads; k++) {
		uint32_t i = (start + k) % s->nthreads;
		const struct sthread *th = &s->threads[i];
		if (!th->kernel && !th->transient &&
		    s->procs[th->proc].tmpl == sp->parent &&
		    th->tid == s->procs[th->proc].pid && th->busy_until <= t) {
			parent = i;
			break;
		}
	}
	if (parent == UINT32_MAX || s->made + 3 > s->o.syscalls)
		return;

	uint64_t life = (uint64_t)(sp->life_ms * MS *
				   exp(sp->life_sigma * rng_normal(r)));
	if (life < 500 * US)
		life = 500 * US;
	int fail = rng_chance(r, sp->fail_rate);

	struct sthread *pt = &s->threads[parent];
	struct sproc *pp = &s->procs[pt->proc];
	uint32_t ppi = pt->proc;
	uint32_t pid = synth_pid_take(s, 1);
	struct sproc *c = synth_proc_add(s);
	if (!c)
		return;
	pt = &s->threads[parent];
	pp = &s->procs[ppi];
	uint32_t ci = s->nprocs - 1;
	c->pid = pid;
	c->ppid = pp->pid;
	c->start_ts = t + 40 * US;
	c->comm = sp->exec ? sp->comm : pp->comm;
	c->exe = sp->exec ? sp->exe : pp->exe;
	c->cmdline = sp->argv;
	c->cgroup = pp->cgroup;
	c->container = pp->container;
	c->flavor = sp->flavor;
	c->nfds = 0;
	c->end_ts = c->start_ts + life;
	c->ended = 1;
	c->exit_code = fail ? sp->fail_code : 0;
	if (fail && sp->fail_code == 0)
		c->exit_signal = 9;

	struct sthread *ct = synth_thread_add(s, ci, pid, pp->comm);
	if (!ct)
		return;
	pt = &s->threads[parent];
	ct->transient = 1;
	ct->start_ts = c->start_ts;
	ct->busy_until = c->start_ts + 20 * US;
	ct->dies = c->end_ts;
	ct->cpu = rng_below(r, s->info.cpus);
	if (sp->exec) {
		ct->script = synth_loader_script;
		ct->nsteps = SYNTH_NLOADER;
		ct->step = 0;
		ct->need_exec = 1;
	}
	uint32_t *live = synth_grow(s->live, &s->live_cap, s->nlive + 1,
				    sizeof(*live));
	if (!live) {
		s->err = -ENOMEM;
		return;
	}
	s->live = live;
	s->live[s->nlive++] = s->nthreads - 1;

	/* parent: clone, then (shells) wait4 until the child exits */
	struct ev_syscall sc;
	synth_syscall_make(s, parent, (unsigned)synth_spec_index("clone"), t,
			   NULL, &sc);
	sc.arg[0] = 0x1200011; /* CLONE_CHILD_SETTID|CLEARTID|SIGCHLD */
	sc.ret = pid;
	uint64_t clone_end = t + sc.dur;
	pend_syscall(s, &sc);

	struct pend *f = synth_pend_push(s, EV_PROC, c->start_ts);
	if (!f)
		return;
	f->u.pr.cpu = pt->cpu;
	f->u.pr.kind = EV_PROC_FORK;
	f->u.pr.pid = pp->pid;
	f->u.pr.tid = pt->tid;
	f->u.pr.ppid = pp->ppid;
	f->u.pr.child_pid = pid;
	f->u.pr.comm = pt->comm;
	struct pend *w = synth_pend_push(s, EV_WAKEUP, c->start_ts + 3 * US);
	if (!w)
		return;
	w->u.wk.cpu = pt->cpu;
	w->u.wk.tid = pid;
	w->u.wk.waker_tid = pt->tid;
	w->u.wk.target_cpu = ct->cpu;
	w->u.wk.is_new = 1;
	w->u.wk.prio = 120;

	if (pp->tmpl == T_BASH || pp->tmpl == T_CRON) {
		uint64_t tw = clone_end + 5 * US;
		memset(&sc, 0, sizeof(sc));
		sc.ts = tw;
		sc.dur = c->end_ts + 30 * US - tw;
		sc.cpu = pt->cpu;
		sc.pid = pp->pid;
		sc.tid = pt->tid;
		sc.comm = pt->comm;
		sc.nr = s->nr[synth_spec_index("wait4")];
		sc.arg[0] = (uint64_t)-1;
		sc.arg[1] = pt->buf + 0x1c;
		sc.ret = pid;
		sc.fd = -1;
		pend_syscall(s, &sc);
		synth_sched_block(s, pt, tw, sc.dur, 1, pid);
		pt->busy_until = tw + sc.dur + 1000;
	} else {
		pt->busy_until = clone_end + 1000;
	}

	/* child: exit_group (unless killed), then the exit event */
	if (!c->exit_signal) {
		memset(&sc, 0, sizeof(sc));
		sc.ts = c->end_ts - 10 * US;
		sc.cpu = ct->cpu;
		sc.pid = pid;
		sc.tid = pid;
		sc.comm = c->comm;
		sc.nr = s->nr[synth_spec_index("exit_group")];
		sc.arg[0] = (uint64_t)c->exit_code;
		sc.fd = -1;
		pend_syscall(s, &sc);
	}
	struct pend *ex = synth_pend_push(s, EV_PROC, c->end_ts);
	if (!ex)
		return;
	ex->u.pr.cpu = ct->cpu;
	ex->u.pr.kind = EV_PROC_EXIT;
	ex->u.pr.pid = pid;
	ex->u.pr.tid = pid;
	ex->u.pr.ppid = pp->pid;
	ex->u.pr.comm = c->comm;
	ex->u.pr.exit_code = c->exit_code;
	ex->u.pr.exit_signal = c->exit_signal;
}

/* The child's execve: a syscall now and an exec event near its end. */
static void proc_exec(struct synth *s, uint32_t ti, uint64_t t,
		      struct ev_syscall *e)
{
	struct sthread *th = &s->threads[ti];
	struct sproc *p = &s->procs[th->proc];

	synth_syscall_make(s, ti, (unsigned)synth_spec_index("execve"), t,
			   NULL, e);
	e->path = p->exe;
	e->arg[0] = th->buf + 0x10;
	e->arg[1] = th->buf + 0x80;
	e->arg[2] = th->buf + 0x100;
	if (e->dur + 50 * US > th->dies - t)
		e->dur = (th->dies - t) / 2;
	th->busy_until = t + e->dur + 200;
	th->need_exec = 0;
	struct pend *x = synth_pend_push(s, EV_PROC, t + e->dur - e->dur / 8);
	if (!x)
		return;
	x->u.pr.cpu = th->cpu;
	x->u.pr.kind = EV_PROC_EXEC;
	x->u.pr.pid = p->pid;
	x->u.pr.tid = th->tid;
	x->u.pr.ppid = p->ppid;
	x->u.pr.comm = p->comm;
	x->u.pr.filename = p->exe;
	x->u.pr.argv = p->cmdline;
	th->comm = p->comm;
}

/* ---- the clock ---------------------------------------------------------- */

/* One step of the arrival process: advance the clock, maybe make the
 * next direct syscall (s->sc, s->have_sc). */
static void synth_step(struct synth *s)
{
	struct rng *r = &s->r;
	double mean = 1e9 / s->o.rate;

	/* bursts of ~200 calls at 2x the rate, lulls of ~50 at 1/3 */
	if (s->burst ? rng_chance(r, 1.0 / 200) : rng_chance(r, 1.0 / 50))
		s->burst = !s->burst;
	s->t += 1 + (uint64_t)rng_exp(r, s->burst ? 0.5 * mean : 3 * mean);

	while (s->next_spawn <= s->t) {
		proc_spawn(s, s->next_spawn);
		s->next_spawn += 1 + (uint64_t)rng_exp(r, SEC / 12.0);
	}
	if (s->made >= s->o.syscalls)
		return;

	uint32_t ti = synth_thread_pick(s, s->t);
	if (ti == UINT32_MAX)
		return;
	struct sthread *th = &s->threads[ti];
	struct sproc *p = &s->procs[th->proc];
	if (th->need_exec) {
		proc_exec(s, ti, s->t, &s->sc);
	} else if (th->pending_close >= 0) {
		synth_syscall_make(s, ti, (unsigned)synth_spec_index("close"),
				   s->t, NULL, &s->sc);
	} else if (th->script && th->step < th->nsteps) {
		const struct script_step *st = &th->script[th->step++];
		synth_syscall_make(s, ti, (unsigned)synth_spec_index(st->name),
				   s->t, st, &s->sc);
	} else {
		unsigned k = synth_cdf_pick(r, s->mix[p->flavor].cdf,
					    s->mix[p->flavor].n);
		synth_syscall_make(s, ti, s->mix[p->flavor].spec[k], s->t,
				   NULL, &s->sc);
	}
	s->made++;
	s->have_sc = 1;
}

/* ---- public API --------------------------------------------------------- */

struct synth *synth_new(const struct synth_opts *o)
{
	struct synth *s;

	if (!o || (o->plant == NULL && o->nplant)) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->o = *o;
	if (!s->o.kinds)
		s->o.kinds = EV_KIND_ALL;
	if (!s->o.procs)
		s->o.procs = 300;
	if (!s->o.ts_start)
		s->o.ts_start = 7362 * SEC + 123456789ULL;
	if (!(s->o.rate > 0))
		s->o.rate = 200000;
	rng_seed(&s->r, s->o.seed);
	s->info.cpus = s->o.cpus ? s->o.cpus : 2 + rng_below(&s->r, 7);
	s->free_pend = UINT32_MAX;
	s->free_conn = -1;
	s->next_sock = 0xffff888100000000ULL + ((uint64_t)rng_below(&s->r, 1 << 24) << 12);
	s->t = s->o.ts_start;
	s->next_spawn = s->t + (uint64_t)rng_exp(&s->r, SEC / 12.0);
	s->cur = calloc(s->info.cpus, sizeof(*s->cur));
	s->cur_comm = calloc(s->info.cpus, sizeof(*s->cur_comm));
	s->swapper = calloc(s->info.cpus, sizeof(*s->swapper));
	s->info.ts_first = UINT64_MAX;
	int ok = s->cur && s->cur_comm && s->swapper;
	for (unsigned c = 0; ok && c < s->info.cpus; c++)
		s->cur_comm[c] = s->swapper[c] =
			synth_intern(s, "swapper/%u", c);
	if (!ok || s->err || synth_mixes_build(s) < 0) {
		int e = ok && !s->err ? EINVAL : ENOMEM;
		synth_free(s);
		errno = e;
		return NULL;
	}
	synth_host_build(s);
	if (!s->err)
		synth_paths_build(s);
	if (s->err) {
		synth_free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

void synth_free(struct synth *s)
{
	if (!s)
		return;
	for (unsigned c = 0; c < PC_COUNT; c++) {
		free(s->paths[c].p);
		free(s->paths[c].noent);
	}
	free(s->procs);
	free(s->threads);
	free(s->hot);
	free(s->live);
	free(s->kthreads);
	free(s->conns);
	free(s->pool);
	free(s->heap);
	free(s->cur);
	free(s->cur_comm);
	free(s->swapper);
	synth_arena_free(s->arena);
	free(s);
}

/* Fields only known when an event leaves the heap: who was on the cpu. */
static void pend_fix(struct synth *s, struct pend *p)
{
	struct ev_switch *sw = &p->u.sw;
	uint32_t cpu = sw->cpu;

	if (p->fix == FIX_SWITCH_IN) {
		sw->prev_tid = s->cur[cpu];
		sw->prev_comm = s->cur_comm[cpu];
		sw->prev_state = 0; /* preempted, or idle */
		sw->prev_prio = 120;
	} else if (rng_chance(&s->r, 0.7) || !s->nkthreads) {
		sw->next_tid = 0; /* idle */
		sw->next_comm = s->swapper[cpu];
		sw->next_prio = 120;
	} else { /* a kernel thread with work to do */
		const struct sthread *k =
			&s->threads[s->kthreads[rng_below(&s->r, s->nkthreads)]];
		sw->next_tid = k->tid;
		sw->next_comm = k->comm;
		sw->next_prio = k->prio;
	}
	s->cur[cpu] = sw->next_tid;
	s->cur_comm[cpu] = sw->next_comm;
}

int synth_next(struct synth *s, enum ev_kind *kind, const void **ev)
{
	for (;;) {
		if (s->err)
			return s->err;
		while (!s->have_sc && s->made < s->o.syscalls)
			synth_step(s);
		if (!s->have_sc && !s->draining) {
			/* The end is the last direct syscall: queued ones
			 * beyond it (a command's exit_group) are dropped and
			 * made up for with direct ones. */
			uint64_t dropped = 0;
			for (unsigned i = 0; i < s->npend; i++) {
				struct pend *p = &s->pool[s->heap[i]];
				if (p->kind == EV_SYSCALL && p->ts > s->t &&
				    !p->dropped) {
					p->dropped = 1;
					dropped++;
				}
			}
			s->made -= dropped;
			if (dropped)
				continue;
			s->draining = 1;
			s->ts_end = s->t;
		}

		/* the earliest of: planted, pending, the next direct syscall */
		uint64_t t_sc = s->have_sc ? s->sc.ts : UINT64_MAX;
		uint64_t t_pend = s->npend ? s->pool[s->heap[0]].ts : UINT64_MAX;
		if (s->draining && t_pend > s->ts_end)
			t_pend = UINT64_MAX;
		if (s->plant_i < s->o.nplant) {
			const struct synth_plant *pl = &s->o.plant[s->plant_i];
			uint64_t tp = ev_ts(pl->ev);
			if (tp <= t_sc && tp <= t_pend) {
				s->plant_i++;
				*kind = pl->kind;
				*ev = pl->ev;
				goto out;
			}
		}
		if (t_sc == UINT64_MAX && t_pend == UINT64_MAX)
			return 0;
		if (t_pend < t_sc) {
			pend_pop(s);
			if (s->out.dropped)
				continue;
			if (s->out.fix != FIX_NONE)
				pend_fix(s, &s->out);
		} else {
			s->out.kind = EV_SYSCALL;
			s->out.u.sc = s->sc;
			s->have_sc = 0;
		}
		if (!(s->o.kinds & (1u << s->out.kind)))
			continue;
		*kind = s->out.kind;
		*ev = &s->out.u;
out:
		s->info.events[*kind]++;
		uint64_t ts = ev_ts(*ev);
		if (ts < s->info.ts_first)
			s->info.ts_first = ts;
		if (ts > s->info.ts_last)
			s->info.ts_last = ts;
		return 1;
	}
}

const struct synth_info *synth_info(const struct synth *s)
{
	return &s->info;
}

int synth_write_meta(struct synth *s, struct store_writer *w)
{
	char buf[256];
	int rc;

	/* wall-clock time of boot: 2026-11-02 07:13:20 UTC, plus the seed */
	uint64_t boot_wall = 1793603600ULL * SEC + (s->o.seed % 86400) * SEC;

#define PUT(k, ...)                                                   \
	do {                                                          \
		snprintf(buf, sizeof(buf), __VA_ARGS__);              \
		if ((rc = store_writer_meta(w, k, buf)) < 0)          \
			return rc;                                    \
	} while (0)
	PUT(META_HOST, "db-prod-%02u", (unsigned)(s->o.seed % 100));
	PUT(META_KERNEL, "6.1.0-26-amd64");
	PUT(META_ARCH, "x86_64");
	PUT(META_CPUS, "%u", s->info.cpus);
	PUT(META_CLOCK_OFFSET, "%llu", (unsigned long long)boot_wall);
	PUT(META_RECORDER, "kscope-synth %s", PACKAGE_VERSION);
	PUT(META_OPTIONS, "kscope-synth --seed %llu -n %llu --procs %u "
	    "--rate %.0f",
	    (unsigned long long)s->o.seed,
	    (unsigned long long)s->o.syscalls, s->o.procs, s->o.rate);
	char list[64] = "";
	size_t n = 0;
	for (unsigned c = 0; ev_class_name(c); c++) {
		if (!(s->o.kinds & ev_class_kinds(c)))
			continue;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      n ? "," : "", ev_class_name(c));
		char key[32];
		snprintf(key, sizeof(key), "lost_%s", ev_class_name(c));
		PUT(key, "0");
	}
	PUT("classes", "%s", list);
	if (s->info.ts_first != UINT64_MAX) {
		PUT(META_START, "%llu", (unsigned long long)s->info.ts_first);
		PUT(META_END, "%llu", (unsigned long long)s->info.ts_last);
	}
#undef PUT
	return 0;
}

int synth_write_tables(struct synth *s, struct store_writer *w)
{
	int rc;

	s->info.processes = 0;
	s->info.threads = 0;
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct sproc *p = &s->procs[i];
		/* commands not yet started when the stream ended */
		if (p->start_ts > s->info.ts_last && p->start_ts > s->o.ts_start)
			continue;
		struct store_process sp = {
			.pid = p->pid, .ppid = p->ppid, .start_ts = p->start_ts,
			.comm = p->comm, .exe = p->exe, .cmdline = p->cmdline,
			.cgroup = p->cgroup, .container = p->container,
		};
		if ((rc = store_writer_process(w, &sp)) < 0)
			return rc;
		if (p->ended && p->end_ts <= s->info.ts_last &&
		    (rc = store_writer_process_exit(w, p->pid, p->end_ts,
						    p->exit_code,
						    p->exit_signal)) < 0)
			return rc;
		s->info.processes++;
	}
	for (unsigned i = 0; i < s->nthreads; i++) {
		const struct sthread *t = &s->threads[i];
		const struct sproc *p = &s->procs[t->proc];
		if (p->start_ts > s->info.ts_last && p->start_ts > s->o.ts_start)
			continue;
		if ((rc = store_writer_thread(w, t->tid, p->pid, t->comm,
					      t->start_ts)) < 0)
			return rc;
		s->info.threads++;
	}
	return 0;
}

int synth_write(const char *path, const struct synth_opts *o)
{
	char err[STORE_ERRLEN];
	struct store_writer_opts wo = { .force = 1 };
	struct synth *s;
	struct store_writer *w;
	enum ev_kind kind;
	const void *ev;
	int rc;

	err[0] = 0;
	if (!(s = synth_new(o))) {
		rc = -errno;
		snprintf(err, sizeof(err), "cannot generate: %s",
			 strerror(errno));
		goto done;
	}
	if (!(w = store_writer_open(path, o->writer ? o->writer : &wo, err))) {
		rc = -EIO;
		synth_free(s);
		goto done;
	}
	while ((rc = synth_next(s, &kind, &ev)) > 0)
		if ((rc = store_writer_append(w, kind, ev)) < 0)
			break;
	if (rc == 0)
		rc = synth_write_meta(s, w);
	if (rc == 0)
		rc = synth_write_tables(s, w);
	if (rc < 0 && !err[0])
		snprintf(err, sizeof(err), "%s", store_writer_errmsg(w));
	int crc = store_writer_close(w, rc < 0 ? NULL : err);
	if (rc == 0)
		rc = crc;
	if (o->info)
		*o->info = s->info;
	synth_free(s);
done:
	if (rc < 0 && o && o->errbuf)
		snprintf(o->errbuf, STORE_ERRLEN, "%s", err);
	return rc;
}

int synth_switch_put(struct store_writer *w, const struct synth_switch *s,
		     uint64_t t0, uint64_t unit,
		     const char *(*comm)(uint32_t tid, uint64_t at))
{
	struct ev_switch e = {
		.ts = t0 + s->at * unit, .cpu = s->cpu, .prev_tid = s->prev,
		.prev_state = s->state, .prev_prio = 120, .next_tid = s->next,
		.next_prio = 120, .prev_comm = comm(s->prev, s->at),
		.next_comm = comm(s->next, s->at),
	};

	return store_writer_append(w, EV_SWITCH, &e);
}

int synth_finish(struct store_writer *w, int rc, const char *options,
		 uint64_t start_ts, uint64_t end_ts)
{
	char err[STORE_ERRLEN], buf[64];

	if (!rc)
		rc = store_writer_meta(w, "options", options);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)start_ts);
	if (!rc)
		rc = store_writer_meta(w, "start_ts", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)end_ts);
	if (!rc)
		rc = store_writer_meta(w, "end_ts", buf);
	if (rc)
		fprintf(stderr, "writer: %s\n", store_writer_errmsg(w));
	if (store_writer_close(w, err) < 0 && !rc) {
		fprintf(stderr, "%s\n", err);
		rc = -1;
	}
	return rc ? -1 : 0;
}
