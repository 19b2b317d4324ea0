/*
 * agg.c - incremental window aggregates (see agg.h for the method).
 *
 * Accumulators on the fold driver (analyze/fold/), the ones the reports
 * print from: sysc, errs, files, tasks and ovw (Syscalls, Errors, Files,
 * the tasks' counts, the Overview's events and lost), fold_sched, whose
 * CPU and off-CPU times are copied into the thread and process rows after
 * each step and whose busy intervals fill the timeline's CPU rows (a
 * thread row per life of its tid, names_life, as in the reports), the
 * connection fold report net prints from (fold/conn.h), run queue
 * latency (fold/runqlat.h, report runqlat's), the signals sent
 * (fold/signals.h) and the calls still running at the end (fold/hangs.h,
 * report summary's).  Here
 * syscalls and net events make the rows of the Processes and Threads
 * views and the timeline, and the switches' comms name the tasks the
 * threads and processes tables lack (names.h, when the caller gives
 * a.names).
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

/* The process PID, or the thread of key LIFE (names_life: a tid and its
 * life) in process PID. */
static struct agg_task *task_get(struct agg *a, int thread, uint64_t life,
				 uint32_t pid)
{
	struct hmap *m = thread ? &a->map_thread : &a->map_proc;
	struct agg_task **arr = thread ? &a->threads : &a->procs;
	size_t *n = thread ? &a->nthreads : &a->nprocs;
	size_t *cap = thread ? &a->cap_threads : &a->cap_procs;
	long i = hmap_index(m, life);

	if (i >= 0)
		return &(*arr)[i];
	if (reserve((void **)arr, cap, *n, sizeof(**arr)) < 0 ||
	    hmap_put(m, life, (uint32_t)*n) < 0)
		return NULL;
	struct agg_task *t = &(*arr)[(*n)++];
	t->id = NAMES_LIFE_TID(life);
	t->life = life;
	t->pid = pid;
	return t;
}

/* The life of thread TID at TS (names.h). */
static uint64_t tid_life(const struct agg *a, uint32_t tid, uint64_t ts)
{
	return names_life(a->names, tid, ts);
}

/* The process of a thread's LIFE as report cpu and report offcpu find
 * it: that threads row's (names.h), else the tid itself. */
static uint32_t life_pid(const struct agg *a, uint64_t life)
{
	int64_t p = names_life_pid(a->names, life);

	return p >= 0 ? (uint32_t)p : NAMES_LIFE_TID(life);
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
	const int64_t *ts = b->col[0], *pid = b->col[EVI_SYSCALL_PID];
	const int64_t *tid = b->col[EVI_SYSCALL_TID];
	const int64_t *ret = b->col[EVI_SYSCALL_RET];

	for (uint32_t i = 0; i < b->n; i++) {
		if (keep && !keep[i])
			continue;
		unsigned bk = agg_bucket(a, (uint64_t)ts[i]);

		if (!task_get(a, 0, (uint32_t)pid[i], (uint32_t)pid[i]) ||
		    !task_get(a, 1, tid_life(a, (uint32_t)tid[i],
					     (uint64_t)ts[i]),
			      (uint32_t)pid[i]))
			return -ENOMEM;
		a->tl_events[bk]++;
		if (report_failed(ret[i]))
			a->tl_errors[bk]++;
	}
	return 0;
}

static int net_batch(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct agg *a = arg;
	const int64_t *tsv = b->col[0], *pidv = b->col[EVI_NET_PID];
	const int64_t *tidv = b->col[EVI_NET_TID], *kindv = b->col[EVI_NET_KIND];
	const int64_t *bytesv = b->col[EVI_NET_BYTES];

	for (uint32_t r = 0; r < b->n; r++) {
		if (keep && !keep[r])
			continue;
		uint64_t ts = (uint64_t)tsv[r];
		uint32_t pid = (uint32_t)pidv[r], tid = (uint32_t)tidv[r];
		int64_t kind = kindv[r], bytes = bytesv[r];

		a->tl_events[agg_bucket(a, ts)]++;
		/* the rows of the tasks that moved bytes (tasks.h) */
		if (bytes > 0 && (kind == EV_NET_SEND || kind == EV_NET_RECV) &&
		    (!task_get(a, 0, pid, pid) ||
		     !task_get(a, 1, tid_life(a, tid, ts), pid)))
			return -ENOMEM;
	}
	return 0;
}

static int conn_batch(void *arg, const struct store_batch *b,
		      const uint8_t *keep)
{
	struct agg *a = arg;

	return fold_conn_batch(&a->conn, b, keep);
}

/* The slice's connections are folded: list the ones that are not
 * listening sockets. */
static int conn_slice(void *arg, uint64_t lo, uint64_t hi)
{
	struct agg *a = arg;
	void *p;
	int rc;

	(void)lo;
	(void)hi;
	if ((rc = fold_conn_slice(&a->conn)) < 0)
		return rc;
	if (!(p = realloc(a->conns, (a->conn.n + 1) * sizeof(*a->conns))))
		return -ENOMEM;
	a->conns = p;
	a->nconns = 0;
	for (size_t i = 0; i < a->conn.n; i++)
		if (!a->conn.v[i].listener)
			a->conns[a->nconns++] = (uint32_t)i;
	return 0;
}

/* Note the comm of TID from field FIELD of switch row I, the first time
 * TID is seen (names.h: names for the tasks the tables lack). */
static int sw_name(struct agg *a, const struct store_batch *b, uint32_t i,
		   uint32_t tid, unsigned field)
{
	const char *comm;
	int rc;

	if (!tid || names_noted(a->names, tid))
		return 0;
	if ((rc = store_batch_str(b, field, i, &comm)) < 0)
		return rc;
	return names_note(a->names, tid, comm);
}

/* The switches' comms, whatever the filter: names are the trace's. */
static int names_batch(void *arg, const struct store_batch *b,
		       const uint8_t *keep)
{
	struct agg *a = arg;
	const int64_t *prev = b->col[EVI_SWITCH_PREV_TID];
	const int64_t *next = b->col[EVI_SWITCH_NEXT_TID];
	int rc;

	(void)keep;
	for (uint32_t i = 0; a->names && i < b->n; i++)
		if ((rc = sw_name(a, b, i, (uint32_t)prev[i],
				  EVI_SWITCH_PREV_COMM)) < 0 ||
		    (rc = sw_name(a, b, i, (uint32_t)next[i],
				  EVI_SWITCH_NEXT_COMM)) < 0)
			return rc;
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

/* Switches: where each CPU's switches start (known from there on). */
static int cpu_batch(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct agg *a = arg;
	const int64_t *ts = b->col[0], *cpu = b->col[EVI_SWITCH_CPU];

	(void)keep; /* what is known, whatever the filter keeps */
	for (uint32_t i = 0; i < b->n; i++) {
		uint64_t c = (uint64_t)cpu[i], t = (uint64_t)ts[i];
		if (c < AGG_MAXCPU && (!a->cpu_first[c] || t < a->cpu_first[c]))
			a->cpu_first[c] = t;
	}
	return 0;
}

enum agg_cpu_state agg_cpu_state(const struct agg *a, unsigned cpu,
				 unsigned b0, unsigned b1)
{
	unsigned __int128 span = (unsigned __int128)(a->to - a->from) + 1;
	uint64_t t0 = a->from + (uint64_t)(span * b0 / AGG_BUCKETS);
	uint64_t t1 = a->from + (uint64_t)(span * b1 / AGG_BUCKETS);
	int partial = 0;

	if (cpu >= AGG_MAXCPU)
		return AGG_CPU_UNKNOWN;
	for (unsigned b = b0; b < b1 && b < AGG_BUCKETS; b++)
		if (a->tl_busy[cpu][b])
			return AGG_CPU_BUSY;
	for (unsigned b = b0; b < b1 && b < AGG_BUCKETS; b++)
		if (!agg_bucket_done(a, b))
			return AGG_CPU_UNKNOWN;
	if (!a->cpu_first[cpu] || t1 <= a->cpu_first[cpu] || a->tr.some ||
	    !a->tr.sw_first || t1 <= a->tr.sw_first || t0 > a->tr.last ||
	    !traced_known(&a->tr, cpu, t0, t1, &partial))
		return AGG_CPU_UNKNOWN;
	return AGG_CPU_IDLE;
}

static void busy_cb(void *arg, uint32_t cpu, uint64_t t0, uint64_t t1)
{
	busy_add(arg, cpu, t0, t1);
}

/* CPU and off-CPU time per thread and process from the scheduler
 * accumulator (the figures of report cpu and report offcpu).  A thread's
 * process is its threads row's (life_pid), as in the reports, even when
 * its calls came first and gave it theirs: a thread the trace has no row
 * for is a process of its own there, and so it is here. */
static int sched_sync(struct agg *a)
{
	const struct fold_sched *fs = &a->sched;

	for (size_t i = 0; i < a->nprocs; i++)
		a->procs[i].cpu_ns = a->procs[i].off_ns = 0;
	for (size_t i = 0; i < fs->nth; i++) {
		const struct fold_sched_thread *f = &fs->th[i];
		if (!f->cpu_seen && !f->switches_out)
			continue;
		uint32_t pid = life_pid(a, f->life);
		struct agg_task *t = task_get(a, 1, f->life, pid);
		if (!t)
			return -ENOMEM;
		t->pid = pid;
		t->cpu_ns = f->cpu_ns;
		t->off_ns = f->off_ns;
		struct agg_task *p = task_get(a, 0, t->pid, t->pid);
		if (!p)
			return -ENOMEM;
		p->cpu_ns += f->cpu_ns;
		p->off_ns += f->off_ns;
	}
	a->ncpu = fs->ncpu < AGG_MAXCPU ? fs->ncpu : AGG_MAXCPU;
	return 0;
}

static int fail(struct agg *a, int rc, const char *what);

/* The names the fold uses: the caller's (model.c gives the TUI's, loaded
 * once per trace), else the agg's own, loaded at the first step. */
static int names_ready(struct agg *a)
{
	int rc;

	if (!a->names) {
		if ((rc = names_load(&a->own_names, a->st)) < 0)
			return rc == -EIO ? fail(a, rc, "threads") : rc;
		a->names = &a->own_names;
	}
	a->sched.names = a->names;
	a->runq.names = a->names;
	return 0;
}

int agg_step(struct agg *a, uint64_t budget_ns)
{
	int rc = a->steps ? 0 : names_ready(a);

	if (rc < 0) {
		if (!a->errmsg[0])
			snprintf(a->errmsg, sizeof(a->errmsg), "out of memory");
		return rc;
	}
	rc = fold_step(a->fold, budget_ns);

	a->steps++;
	if (rc < 0)
		snprintf(a->errmsg, sizeof(a->errmsg), "%s",
			 fold_errmsg(a->fold));
	else if (sched_sync(a) < 0)
		rc = -ENOMEM;
	if (rc == -ENOMEM && !a->errmsg[0])
		snprintf(a->errmsg, sizeof(a->errmsg), "out of memory");
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
	long i = hmap_index(&a->map_proc, pid);
	return i >= 0 ? &a->procs[i] : NULL;
}

const struct fold_task *agg_task_counts(const struct agg *a,
					const struct agg_task *t, int thread)
{
	static const struct fold_task none;
	const struct fold_task *c = !a ? NULL :
		fold_tasks_find(thread ? &a->tasks.threads : &a->tasks.procs,
				t->id);

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

static int hangs_batch(void *arg, const struct store_batch *b,
		       const uint8_t *keep)
{
	return fold_hangs_batch(arg, b, keep);
}

/* Run queue latency, signals, calls still running. */
static int accs_add_more(struct agg *a)
{
	struct fold *d = a->fold;

	return fold_add(d, EV_WAKEUP, FOLD_RUNQLAT_WAKE_FIELDS,
			fold_runqlat_wake, NULL, &a->runq) < 0 ||
	       fold_add(d, EV_SWITCH, FOLD_RUNQLAT_SWITCH_FIELDS,
			fold_runqlat_switch, fold_runqlat_slice,
			&a->runq) < 0 ||
	       fold_add(d, EV_SIGNAL, FOLD_SIGNALS_FIELDS, fold_signals_batch,
			fold_signals_slice, &a->sigs) < 0 ||
	       fold_add(d, EV_SYSCALL, FOLD_HANGS_FIELDS, hangs_batch, NULL,
			&a->hangs) < 0 ? -ENOMEM : 0;
}

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
	       fold_add(d, EV_SYSCALL, EVM(EVI_SYSCALL_PID) |
			EVM(EVI_SYSCALL_TID) | EVM(EVI_SYSCALL_RET), sys_batch,
			NULL, a) < 0 ||
	       fold_add(d, EV_SWITCH, FOLD_SCHED_FIELDS,
			fold_sched_batch, fold_sched_slice, &a->sched) < 0 ||
	       fold_add(d, EV_SWITCH, 0, count_batch, NULL, a) < 0 ||
	       fold_add(d, EV_SWITCH, EVM(EVI_SWITCH_CPU), cpu_batch, NULL,
			a) < 0 ||
	       fold_add(d, EV_SWITCH, EVM(EVI_SWITCH_PREV_TID) |
			EVM(EVI_SWITCH_NEXT_TID), names_batch, NULL, a) < 0 ||
	       fold_add(d, EV_WAKEUP, 0, count_batch, NULL, a) < 0 ||
	       fold_add(d, EV_MIGRATE, 0, count_batch, NULL, a) < 0 ||
	       fold_add(d, EV_PROC, 0, count_batch, NULL, a) < 0 ||
	       fold_add(d, EV_NET, EVM(EVI_NET_PID) | EVM(EVI_NET_TID) |
			EVM(EVI_NET_KIND) | EVM(EVI_NET_BYTES), net_batch, NULL,
			a) < 0 ||
	       fold_add(d, EV_NET, FOLD_CONN_FIELDS, conn_batch, conn_slice,
			a) < 0 ||
	       accs_add_more(a) < 0 ? -ENOMEM : 0;
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
	if (fold_conn_init(&a->conn) < 0) {
		snprintf(err, 256, "out of memory");
		agg_free(a);
		return NULL;
	}
	if (filter && *filter &&
	    !(a->filter = filter_parse(filter, err, 256))) {
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
	fold_sched_init(&a->sched, &a->tr, a->from, a->to, busy_cb, a);
	fold_runqlat_init(&a->runq, &a->tr, NULL, a->to);
	if (fold_sysc_init(&a->sysc, 0) < 0 || fold_errs_init(&a->errs) < 0 ||
	    fold_files_init(&a->files, st) < 0 ||
	    fold_tasks_init(&a->tasks, FOLD_TASKS_THREADS) < 0 ||
	    fold_ovw_init(&a->ovw) < 0 || fold_signals_init(&a->sigs) < 0 ||
	    fold_hangs_init(&a->hangs, AGG_HANGS) < 0) {
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
	fold_runqlat_free(&a->runq);
	fold_signals_free(&a->sigs);
	fold_hangs_free(&a->hangs);
	free(a->procs);
	free(a->threads);
	free(a->conns);
	fold_conn_free(&a->conn);
	fold_sched_free(&a->sched);
	hmap_free(&a->map_proc);
	hmap_free(&a->map_thread);
	names_free(&a->own_names);
	traced_free(&a->tr);
	free(a);
}
