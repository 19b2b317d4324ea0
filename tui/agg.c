/*
 * agg.c - incremental window aggregates (see agg.h for the method).
 *
 * Accumulators on the fold driver (analyze/fold/): the counts the
 * reports show too (Syscalls, Errors, Files, the tasks' counts, the
 * Overview's events and lost) are folded by analyze/fold/'s sysc, errs,
 * files, tasks and ovw; here syscalls and net events make the rows of
 * the Processes and Threads views, connections and the timeline;
 * sched_switch rows are buffered for the slice, put in (ts, scan) order
 * and run through the switch state machine, whose state carries over to
 * the next slice.
 */
#include "config.h"
#include "tui/agg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t agg_now_ns(void)
{
	return fold_now_ns();
}

unsigned agg_bucket(const struct agg *a, uint64_t ts)
{
	if (ts <= a->from)
		return 0;
	if (ts >= a->to)
		return AGG_BUCKETS - 1;
	unsigned __int128 span = (unsigned __int128)(a->to - a->from) + 1;
	return (unsigned)((unsigned __int128)(ts - a->from) * AGG_BUCKETS / span);
}

int agg_bucket_done(const struct agg *a, unsigned b)
{
	unsigned __int128 span = (unsigned __int128)(a->to - a->from) + 1;
	uint64_t end = a->from + (uint64_t)(span * (b + 1) / AGG_BUCKETS);

	return agg_done(a) || end <= fold_read_to(a->fold);
}

double agg_fraction(const struct agg *a)
{
	return fold_fraction(a->fold);
}

double agg_scale(const struct agg *a)
{
	double f = fold_fraction(a->fold);

	return f > 0 ? 1 / f : 0;
}

int agg_done(const struct agg *a)
{
	return fold_done(a->fold);
}

const char *agg_errmsg(const struct agg *a)
{
	return a->errmsg;
}

/* Grow *ARR (of *CAP elements of SIZE) to hold N + 1. */
static int reserve(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	while (c <= n)
		c *= 2;
	void *p = realloc(*arr, c * size);
	if (!p)
		return -ENOMEM;
	memset((char *)p + *cap * size, 0, (c - *cap) * size);
	*arr = p;
	*cap = c;
	return 0;
}

static struct agg_task *task_get(struct agg *a, int thread, uint32_t id,
				 uint32_t pid)
{
	struct imap *m = thread ? &a->map_thread : &a->map_proc;
	struct agg_task **arr = thread ? &a->threads : &a->procs;
	size_t *n = thread ? &a->nthreads : &a->nprocs;
	size_t *cap = thread ? &a->cap_threads : &a->cap_procs;
	long i = imap_get(m, id);

	if (i >= 0)
		return &(*arr)[i];
	if (reserve((void **)arr, cap, *n, sizeof(**arr)) < 0 ||
	    imap_put(m, id, (uint32_t)*n) < 0)
		return NULL;
	struct agg_task *t = &(*arr)[(*n)++];
	t->id = id;
	t->pid = pid;
	return t;
}

static uint32_t tid_pid(const struct agg *a, uint32_t tid)
{
	long p = imap_get(&a->map_tidpid, tid);
	return p >= 0 ? (uint32_t)p : tid;
}

/* Add the busy interval [t0, t1) of CPU to the timeline. */
static void busy_add(struct agg *a, unsigned cpu, uint64_t t0, uint64_t t1)
{
	if (cpu >= AGG_MAXCPU || t1 <= t0)
		return;
	unsigned __int128 span = (unsigned __int128)(a->to - a->from) + 1;
	for (unsigned b = agg_bucket(a, t0); b < AGG_BUCKETS && t0 < t1; b++) {
		uint64_t end = a->from + (uint64_t)(span * (b + 1) / AGG_BUCKETS);
		uint64_t e = t1 < end ? t1 : end;
		if (e > t0)
			a->tl_busy[cpu][b] += e - t0;
		t0 = e;
	}
}

/* Syscalls: the rows of the Processes and Threads views, and the
 * timeline; their figures are the accumulators'. */
static int sys_batch(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct agg *a = arg;
	const int64_t *ts = b->col[0], *pid = b->col[a->f_pid];
	const int64_t *tid = b->col[a->f_tid], *ret = b->col[a->f_ret];

	for (uint32_t i = 0; i < b->n; i++) {
		if (keep && !keep[i])
			continue;
		unsigned bk = agg_bucket(a, (uint64_t)ts[i]);

		if (!task_get(a, 0, (uint32_t)pid[i], (uint32_t)pid[i]) ||
		    !task_get(a, 1, (uint32_t)tid[i], (uint32_t)pid[i]))
			return -ENOMEM;
		a->tl_events[bk]++;
		if (report_failed(ret[i]))
			a->tl_errors[bk]++;
	}
	return 0;
}

/* Only what the trace knows is counted (analyze/traced.h, as the reports
 * do): a thread's run when it was traced over it and the trace put it on
 * that CPU, up to the end of its tracing, less the CPU's holes; tasks a
 * `-- CMD` or `-p` trace sees only in switches with a traced one get no
 * time and no row. */
static int fold_switch(struct agg *a, const struct agg_sw *e)
{
	uint64_t ts = e->ts, until;
	uint32_t cpu = e->cpu, prev = e->prev, next = e->next;

	a->tl_events[agg_bucket(a, ts)]++;
	if (cpu >= AGG_MAXCPU)
		return 0;
	if (cpu + 1 > a->ncpu)
		a->ncpu = cpu + 1;
	uint64_t since = a->cpu_last[cpu];
	int64_t was = a->cpu_task[cpu];	/* -1: since the window start */
	if (since < a->tr.sw_first)
		since = a->tr.sw_first;	/* nothing recorded before */
	/* The task put here is not the one switched out: it ran until its
	 * tracing ended or a hole began, if that was before this switch. */
	if (a->tr.some && was > 0 && was != prev &&
	    traced_at(&a->tr, (uint32_t)was, since, &until)) {
		uint64_t h = traced_hole_start(&a->tr, cpu, since, ts);
		long i = imap_get(&a->map_thread, (uint64_t)was);
		if (h < until)
			until = h;
		if (i >= 0 && until < ts && until > since) {
			struct agg_task *t = &a->threads[i];
			struct agg_task *p = task_get(a, 0, t->pid, t->pid);
			if (!p)
				return -ENOMEM;
			t = &a->threads[i];
			t->cpu_ns += until - since;
			p->cpu_ns += until - since;
			busy_add(a, cpu, since, until);
		}
	}
	if (prev && traced_at(&a->tr, prev, since, &until)) {
		struct agg_task *t = task_get(a, 1, prev, tid_pid(a, prev));
		struct agg_task *p = t ? task_get(a, 0, t->pid, t->pid) : NULL;
		uint64_t end = ts < until ? ts : until;
		int hole = 0;
		if (!p)
			return -ENOMEM;
		/* a switch-in lost: when it began here is unknown (with
		 * every task traced, only the recorder's own threads) */
		if ((!a->tr.some || was < 0 || was == prev) && end > since) {
			uint64_t ns = traced_known(&a->tr, cpu, since, end,
						   &hole);
			t->cpu_ns += ns;
			p->cpu_ns += ns;
			if (!hole)
				busy_add(a, cpu, since, end);
		}
		t->slice_seen = 1;
		t->on_cpu = 0;
		t->out_ts = ts;
	}
	if (next && traced_at(&a->tr, next, ts, NULL)) {
		struct agg_task *t = task_get(a, 1, next, tid_pid(a, next));
		struct agg_task *p = t ? task_get(a, 0, t->pid, t->pid) : NULL;
		int hole = 0;
		if (!p)
			return -ENOMEM;
		/* Off CPU since its switch-out, or since the window began. */
		uint64_t out = t->slice_seen && !t->on_cpu ? t->out_ts : a->from;
		if (!t->slice_seen || !t->on_cpu) {
			uint64_t ns = traced_known(&a->tr, UINT32_MAX, out, ts,
						   &hole);
			t->off_ns += ns;
			p->off_ns += ns;
		}
		t->slice_seen = 1;
		t->on_cpu = 1;
	}
	a->cpu_last[cpu] = ts;
	a->cpu_task[cpu] = next;
	return 0;
}

static int net_batch(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct agg *a = arg;
	const int64_t *tsv = b->col[0], *pidv = b->col[a->n_pid];
	const int64_t *tidv = b->col[a->n_tid], *kindv = b->col[a->n_kind];
	const int64_t *sockv = b->col[a->n_sock], *bytesv = b->col[a->n_bytes];
	const int64_t *sportv = b->col[a->n_sport], *dportv = b->col[a->n_dport];
	const int64_t *statev = b->col[a->n_state];

	for (uint32_t r = 0; r < b->n; r++) {
		if (keep && !keep[r])
			continue;
		uint64_t ts = (uint64_t)tsv[r], sock = (uint64_t)sockv[r];
		uint32_t pid = (uint32_t)pidv[r], tid = (uint32_t)tidv[r];
		int64_t kind = kindv[r], bytes = bytesv[r];
		long i;

		a->tl_events[agg_bucket(a, ts)]++;
		/* the rows of the tasks that moved bytes (tasks.h) */
		if (bytes > 0 && (kind == EV_NET_SEND || kind == EV_NET_RECV) &&
		    (!task_get(a, 0, pid, pid) || !task_get(a, 1, tid, pid)))
			return -ENOMEM;
		if (!sock)
			continue;
		i = imap_get(&a->map_conn, sock);
		if (i < 0) {
			if (reserve((void **)&a->conns, &a->cap_conns,
				    a->nconns, sizeof(*a->conns)) < 0 ||
			    imap_put(&a->map_conn, sock,
				     (uint32_t)a->nconns) < 0)
				return -ENOMEM;
			i = (long)a->nconns++;
			a->conns[i].sock = sock;
			a->conns[i].first_ts = ts;
		}
		struct agg_conn *c = &a->conns[i];
		if (ts < c->first_ts)
			c->first_ts = ts;
		if (ts >= c->last_ts) {
			c->last_ts = ts;
			if (kind == EV_NET_STATE)
				c->state = statev[r] > 0 ?
					   (uint32_t)statev[r] : 0;
		}
		if (pid && !c->pid)
			c->pid = pid;
		if (sportv[r])
			c->sport = (uint32_t)sportv[r];
		if (dportv[r])
			c->dport = (uint32_t)dportv[r];
		c->events++;
		if (kind == EV_NET_SEND && bytes > 0)
			c->tx += (uint64_t)bytes;
		if (kind == EV_NET_RECV && bytes > 0)
			c->rx += (uint64_t)bytes;
		if (kind == EV_NET_RETRANSMIT)
			c->retrans++;
		if (kind == EV_NET_RESET_SENT || kind == EV_NET_RESET_RECV)
			c->resets++;
	}
	return 0;
}

/* Wakeups, migrations and process events: the timeline only. */
static int count_batch(void *arg, const struct store_batch *b,
		       const uint8_t *keep)
{
	struct agg *a = arg;

	for (uint32_t i = 0; i < b->n; i++)
		if (!keep || keep[i])
			a->tl_events[agg_bucket(a, (uint64_t)b->col[0][i])]++;
	return 0;
}

/* Switches are buffered for the slice: batches come in chunk order and
 * chunks may overlap, the state machine wants time order. */
static int sw_batch(void *arg, const struct store_batch *b,
		    const uint8_t *keep)
{
	struct agg *a = arg;

	if (reserve((void **)&a->sw, &a->cap_sw, a->nsw + b->n - 1,
		    sizeof(*a->sw)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++) {
		if (keep && !keep[i])
			continue;
		a->sw[a->nsw] = (struct agg_sw){
			.ts = (uint64_t)b->col[0][i],
			.cpu = (uint32_t)b->col[a->s_cpu][i],
			.prev = (uint32_t)b->col[a->s_prev][i],
			.next = (uint32_t)b->col[a->s_next][i],
			.seq = (uint32_t)a->nsw };
		a->nsw++;
	}
	return 0;
}

static int sw_cmp(const void *x, const void *y)
{
	const struct agg_sw *p = x, *q = y;

	if (p->ts != q->ts)
		return p->ts < q->ts ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* The end of a slice: run its switches in order; after the last slice,
 * running tasks ran to the window's end and switched-out ones stayed off
 * until it (as far as the trace knows: not past the last recorded event
 * nor the end of their tracing). */
static int sw_slice(void *arg, uint64_t lo, uint64_t hi)
{
	struct agg *a = arg;
	uint64_t until;
	int hole = 0, rc;

	(void)lo;
	qsort(a->sw, a->nsw, sizeof(*a->sw), sw_cmp);
	for (size_t i = 0; i < a->nsw; i++)
		if ((rc = fold_switch(a, &a->sw[i])) < 0)
			return rc;
	a->nsw = 0;
	if (hi <= a->to)
		return 0;
	if (hi > a->tr.last + 1)
		hi = a->tr.last + 1;
	for (unsigned c = 0; c < a->ncpu; c++) {
		int64_t tid = a->cpu_task[c];
		if (tid <= 0)
			continue;
		long i = imap_get(&a->map_thread, (uint64_t)tid);
		if (i < 0 || !traced_at(&a->tr, (uint32_t)tid, a->cpu_last[c],
					&until))
			continue;
		struct agg_task *t = &a->threads[i];
		struct agg_task *p = (struct agg_task *)agg_proc_find(a, t->pid);
		uint64_t end = hi < until ? hi : until;
		if (end <= a->cpu_last[c])
			continue;
		hole = 0;
		uint64_t ns = traced_known(&a->tr, c, a->cpu_last[c], end, &hole);
		t->cpu_ns += ns;
		if (p)
			p->cpu_ns += ns;
		if (!hole)
			busy_add(a, c, a->cpu_last[c], end);
	}
	for (size_t i = 0; i < a->nthreads; i++) {
		struct agg_task *t = &a->threads[i];
		if (t->slice_seen && !t->on_cpu && hi > t->out_ts) {
			traced_at(&a->tr, t->id, t->out_ts, &until);
			uint64_t end = hi < until ? hi : until;
			uint64_t ns = end > t->out_ts ?
				traced_known(&a->tr, UINT32_MAX, t->out_ts,
					     end, &hole) : 0;
			t->off_ns += ns;
			struct agg_task *p = (struct agg_task *)agg_proc_find(
				a, t->pid);
			if (p)
				p->off_ns += ns;
		}
	}
	return 0;
}

int agg_step(struct agg *a, uint64_t budget_ns)
{
	int rc = fold_step(a->fold, budget_ns);

	a->steps++;
	if (rc < 0)
		snprintf(a->errmsg, sizeof(a->errmsg), "%s",
			 fold_errmsg(a->fold));
	return rc;
}

int agg_run(struct agg *a)
{
	int rc;

	while ((rc = agg_step(a, 1000000000ull)) > 0)
		;
	return rc;
}

const struct agg_task *agg_proc_find(const struct agg *a, uint32_t pid)
{
	long i = imap_get(&a->map_proc, pid);
	return i >= 0 ? &a->procs[i] : NULL;
}

const struct fold_task *agg_task_counts(const struct agg *a,
					const struct agg_task *t, int thread)
{
	static const struct fold_task none;
	const struct fold_task *c = fold_tasks_find(thread ? &a->tasks.threads :
						    &a->tasks.procs, t->id);

	return c ? c : &none;
}

static int fail(struct agg *a, int rc, const char *what)
{
	snprintf(a->errmsg, sizeof(a->errmsg), "%s: %s", what,
		 sqlite3_errmsg(store_db(a->st)));
	return rc;
}

static int load_small(struct agg *a)
{
	sqlite3 *db = store_db(a->st);
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, "SELECT tid, pid FROM threads", -1, &s,
			       NULL) != SQLITE_OK)
		return fail(a, -EIO, "threads");
	while (sqlite3_step(s) == SQLITE_ROW)
		if (imap_put(&a->map_tidpid, (uint64_t)sqlite3_column_int64(s, 0),
			     (uint32_t)sqlite3_column_int64(s, 1)) < 0) {
			sqlite3_finalize(s);
			return -ENOMEM;
		}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "SELECT ts, sum(count) FROM lost WHERE ts"
			       " BETWEEN ?1 AND ?2 GROUP BY ts", -1, &s,
			       NULL) != SQLITE_OK)
		return fail(a, -EIO, "lost");
	sqlite3_bind_int64(s, 1, (int64_t)(a->from - a->from % 1000000000ull));
	sqlite3_bind_int64(s, 2, (int64_t)a->to);
	while (sqlite3_step(s) == SQLITE_ROW) {
		uint64_t ts = (uint64_t)sqlite3_column_int64(s, 0);
		uint64_t n = (uint64_t)sqlite3_column_int64(s, 1);
		a->tl_lost[agg_bucket(a, ts)] += n;
	}
	sqlite3_finalize(s);
	return 0;
}

/* Field indexes, looked up once. */
static int fields_find(struct agg *a)
{
	const struct ev_desc *sc = ev_desc(EV_SYSCALL), *sw = ev_desc(EV_SWITCH);
	const struct ev_desc *ne = ev_desc(EV_NET);

	a->f_pid = ev_field_index(sc, "pid");
	a->f_tid = ev_field_index(sc, "tid");
	a->f_ret = ev_field_index(sc, "ret");
	a->s_cpu = ev_field_index(sw, "cpu");
	a->s_prev = ev_field_index(sw, "prev_tid");
	a->s_next = ev_field_index(sw, "next_tid");
	a->n_pid = ev_field_index(ne, "pid");
	a->n_tid = ev_field_index(ne, "tid");
	a->n_kind = ev_field_index(ne, "kind");
	a->n_sock = ev_field_index(ne, "sock");
	a->n_bytes = ev_field_index(ne, "bytes");
	a->n_sport = ev_field_index(ne, "sport");
	a->n_dport = ev_field_index(ne, "dport");
	a->n_state = ev_field_index(ne, "new_state");
	return a->f_pid < 0 || a->f_tid < 0 || a->f_ret < 0 || a->s_cpu < 0 ||
	       a->s_prev < 0 || a->s_next < 0 || a->n_pid < 0 ||
	       a->n_tid < 0 || a->n_kind < 0 || a->n_sock < 0 ||
	       a->n_bytes < 0 || a->n_sport < 0 || a->n_dport < 0 ||
	       a->n_state < 0 ? -EINVAL : 0;
}

#define M(i) (1ull << (i))

static int accs_add(struct agg *a)
{
	struct fold *d = a->fold;

	for (int k = 0; k < EV_KIND_COUNT; k++)
		if (fold_add(d, k, FOLD_OVW_FIELDS(k), fold_ovw_fn, NULL,
			     &a->ovw) < 0)
			return -ENOMEM;
	return fold_add(d, EV_SYSCALL, FOLD_SYSC_FIELDS, fold_sysc_fn, NULL,
			&a->sysc) < 0 ||
	       fold_add(d, EV_SYSCALL, FOLD_ERRS_FIELDS, fold_errs_fn, NULL,
			&a->errs) < 0 ||
	       fold_add(d, EV_SYSCALL, FOLD_FILES_FIELDS, fold_files_fn, NULL,
			&a->files) < 0 ||
	       fold_add(d, EV_SYSCALL, FOLD_TASKS_THREADS_FIELDS, fold_tasks_fn,
			NULL, &a->tasks) < 0 ||
	       fold_add(d, EV_NET, FOLD_TASKS_THREADS_NET_FIELDS,
			fold_tasks_fn, NULL, &a->tasks) < 0 ||
	       fold_add(d, EV_SYSCALL, M(a->f_pid) | M(a->f_tid) |
			M(a->f_ret), sys_batch, NULL, a) < 0 ||
	       fold_add(d, EV_SWITCH, M(a->s_cpu) | M(a->s_prev) |
			M(a->s_next), sw_batch, sw_slice, a) < 0 ||
	       fold_add(d, EV_WAKEUP, 0, count_batch, NULL, a) < 0 ||
	       fold_add(d, EV_MIGRATE, 0, count_batch, NULL, a) < 0 ||
	       fold_add(d, EV_PROC, 0, count_batch, NULL, a) < 0 ||
	       fold_add(d, EV_NET, M(a->n_pid) | M(a->n_tid) | M(a->n_kind) |
			M(a->n_sock) | M(a->n_bytes) | M(a->n_sport) |
			M(a->n_dport) | M(a->n_state), net_batch, NULL,
			a) < 0 ? -ENOMEM : 0;
}

struct agg *agg_new(struct store *st, uint64_t from, uint64_t to,
		    const char *filter, char *err)
{
	struct agg *a = calloc(1, sizeof(*a));
	int rc;

	if (!a) {
		snprintf(err, 256, "out of memory");
		return NULL;
	}
	a->st = st;
	a->from = from;
	a->to = to < from ? from : to;
	for (unsigned c = 0; c < AGG_MAXCPU; c++) {
		a->cpu_last[c] = a->from;
		a->cpu_task[c] = -1;
	}
	if (filter && *filter &&
	    !(a->filter = filter_parse(filter, err, 256))) {
		agg_free(a);
		return NULL;
	}
	if (fields_find(a) < 0) {
		snprintf(err, 256, "the event tables lack a column this build "
			 "needs");
		agg_free(a);
		return NULL;
	}
	if (load_small(a) < 0) {
		snprintf(err, 256, "%s", a->errmsg[0] ? a->errmsg :
			 "out of memory");
		agg_free(a);
		return NULL;
	}
	rc = traced_load(st, &a->tr);
	if (rc < 0) {
		snprintf(err, 256, "traced tasks: %s", rc == -ENOMEM ?
			 "out of memory" : rc == -EIO ?
			 sqlite3_errmsg(store_db(st)) : store_errmsg(st));
		agg_free(a);
		return NULL;
	}
	if (fold_sysc_init(&a->sysc, 0) < 0 || fold_errs_init(&a->errs) < 0 ||
	    fold_files_init(&a->files, st) < 0 ||
	    fold_tasks_init(&a->tasks, FOLD_TASKS_THREADS) < 0 ||
	    fold_ovw_init(&a->ovw) < 0) {
		snprintf(err, 256, "out of memory");
		goto fail;
	}
	if (fold_ovw_lost(&a->ovw, st, a->from, a->to) < 0) {
		snprintf(err, 256, "lost: %s", sqlite3_errmsg(store_db(st)));
		goto fail;
	}
	if (!(a->fold = fold_new(st, a->from, a->to, a->filter, err)))
		goto fail;
	if (accs_add(a) < 0) {
		snprintf(err, 256, "out of memory");
		goto fail;
	}
	return a;
fail:
	agg_free(a);
	return NULL;
}

void agg_free(struct agg *a)
{
	if (!a)
		return;
	fold_free(a->fold);
	filter_free(a->filter);
	fold_sysc_free(&a->sysc);
	fold_errs_free(&a->errs);
	fold_files_free(&a->files);
	fold_tasks_free(&a->tasks);
	fold_ovw_free(&a->ovw);
	free(a->procs);
	free(a->threads);
	free(a->conns);
	free(a->sw);
	imap_free(&a->map_proc);
	imap_free(&a->map_thread);
	imap_free(&a->map_conn);
	imap_free(&a->map_tidpid);
	traced_free(&a->tr);
	free(a);
}
