/*
 * report_sched.c - the scheduler reports: `cpu`, `runqlat`, `offcpu`.
 *
 *     kscope report t.kscope cpu          on-CPU time per process and
 *                                         thread; utilization per CPU
 *     kscope report t.kscope runqlat      run queue latency histogram
 *     kscope report t.kscope offcpu       off-CPU time by state and by the
 *                                         syscall the thread was in
 *
 * All three replay sched_switch (and sched_wakeup) in ts order.  cpu and
 * offcpu fold the window with the state machine the TUI uses too
 * (analyze/fold/fold_sched.h), so both show the same figures; runqlat
 * reads the window's switches with store_scan into one array (ts, cpu,
 * prev_tid, prev_state, next_tid), sorted when chunks overlapped.  A
 * thread's name is taken from the threads table, else from the comm the
 * switch events carry.  cpu and offcpu keep a reused tid's figures per
 * life (names_life: one per threads row), a row each with its own
 * process and name; runqlat per tid, named by its life at the window's
 * end.
 *
 * Only what the trace knows is computed (analyze/traced.h): a run of a
 * thread on a CPU counts when the thread was traced over it, so that both
 * its switch-in and its switch-out were recorded; in a `-- CMD` or `-p`
 * trace the untraced tasks the switches show get no time at all, only
 * one "other tasks (not traced)" row (cpu) or a note.  Time in a hole of
 * lost sched events, after a thread's process exited (when the recorder
 * stopped tracing it there), before the first recorded switch or after
 * the last recorded event is not known either: what is left is counted
 * and the row says "partial".
 *
 * cpu: per CPU, the thread switched in last runs until the next switch on
 * that CPU (the first switch of a CPU in the window closes a period that
 * began at the window's start, or at the trace's first switch; the last
 * one runs to the window's end, or to the trace's last event).  When only
 * some tasks are traced and the thread switched out is not the one the
 * trace put on that CPU, a switch was not recorded: the one put there ran
 * until its tracing ended or a hole began (when that was before this
 * switch), the one switched out since an unknown time; neither is known
 * further.  (With every task traced that happens only to the recorder's
 * own threads, whose switches between themselves are not recorded: the
 * one switched out gets the time, the process's total is right.)  tid 0 is the idle
 * task: its time is the CPU's idle time.  Utilization is busy time (of
 * the traced tasks, when only some are) over ten equal slices of the
 * window.
 *
 * runqlat: from a wakeup of a tid that is not running, or its switch-out
 * still runnable (preempted), to the next switch with next_tid = tid
 * (analyze/fold/runqlat.h: a wakeup while it runs starts nothing); log2
 * histogram in microseconds as BCC's runqlat prints it.  A wait that
 * overlaps a hole is left out.  The threads that waited longest are
 * ranked by their total wait (a thread starved by many waits before one
 * that waited once, longer).
 *
 * offcpu: from a switch with prev_tid = tid to the next switch with
 * next_tid = tid (or the window's end), cut at a hole on any CPU (the
 * switch-in may be lost there), classed by prev_state: 0 is
 * preempted (still runnable), bit 2 (TASK_UNINTERRUPTIBLE) blocked, bit 1
 * (TASK_INTERRUPTIBLE) sleeping, anything else other; a switch-out with
 * TASK_DEAD, EXIT_ZOMBIE or EXIT_DEAD is a thread's last and opens no
 * period.  A sleep or block splits, with the thread-state engine of the
 * same window (analyze/fold/tstate.h), into waiting (to the first wakeup
 * in it) and runnable after that wakeup (to the switch-in).  The syscall the
 * thread was in is the one of that tid whose [ts, ts + dur] covers the
 * switch-out (a call still running at the end covers everything after its
 * start); syscalls are scanned from the trace's start so that a call
 * begun before the window is found.
 */
#include "config.h"
#include "analyze/names.h"
#include "analyze/output/plural.h"
#include "analyze/report/report_int.h"
#include "analyze/fold/fold_sched.h"
#include "analyze/fold/runqlat.h"
#include "analyze/fold/tstate.h"
#include "analyze/output/progress.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/traced.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SLICES 10
#define MAXCPU 1024

struct sched {
	struct report *r;
	struct names names;	/* the tables, and the switch events' comms */
	struct traced tr;	/* who is traced, the holes (traced.h) */
};

/* The names the switches carry, as a fold accumulator. */
static int comm_each(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct sched *s = arg;
	int rc;

	(void)keep;
	if ((rc = names_note_switches(&s->names, b)) == -ENOMEM)
		return report_fail(s->r, rc, "out of memory");
	return rc < 0 ? report_store_fail(s->r, rc) : 0;
}

/* The names of the tasks, who is traced. */
static int sched_setup(struct report *r, struct sched *s)
{
	int rc;

	s->r = r;
	if ((rc = names_load(&s->names, r->st)) < 0)
		return rc == -EIO ? report_sql_fail(r, "threads") :
		       report_fail(r, rc, "out of memory");
	if ((rc = traced_load(r->st, &s->tr)) < 0)
		return rc == -EIO ? report_sql_fail(r, "traced tasks") :
		       rc == -ENOMEM ? report_fail(r, rc, "out of memory") :
		       report_store_fail(r, rc);
	return 0;
}

/* --progress: the switches read so far. */
struct sched_progress {
	struct progress *pg;
	uint64_t done;
};

static int progress_each(void *arg, const struct store_batch *b,
			 const uint8_t *keep)
{
	struct sched_progress *p = arg;

	(void)keep;
	p->done += b->n;
	progress_update(p->pg, p->done, p->done);
	return 0;
}

/* Fold the window through the accumulators ADD registers on the fold
 * (ADD(d, ARG): 0 or -ENOMEM), and the switches' names into S (set up
 * by sched_setup). */
static int sched_fold(struct report *r, struct sched *s,
		      int (*add)(struct fold *d, void *arg), void *arg)
{
	struct sched_progress pr = { NULL, 0 };
	struct store_kind_stats ks;
	char err[FOLD_ERRLEN];
	struct fold *d;
	int rc = 0;

	if (!(d = fold_new(r->st, r->from, r->to, NULL, err)))
		return report_fail(r, -EIO, "%s", err);
	if (r->o->progress && store_kind_stats(r->st, EV_SWITCH, &ks) == 0) {
		snprintf(r->progress_what, sizeof(r->progress_what),
			 "report %s, reading sched_switch", r->d->name);
		pr.pg = progress_new(r->progress_what, 0, ks.events, -1);
	}
	if (add(d, arg) < 0 ||
	    fold_add(d, EV_SWITCH,
		     EVM(EVI_SWITCH_PREV_TID) | EVM(EVI_SWITCH_NEXT_TID),
		     comm_each, NULL, s) < 0 ||
	    (pr.pg && fold_add(d, EV_SWITCH, 0, progress_each, NULL,
			       &pr) < 0))
		rc = report_fail(r, -ENOMEM, "out of memory");
	else if ((rc = fold_run(d)) < 0 && !r->err[0])
		rc = report_fail(r, rc, "%s", fold_errmsg(d));
	progress_free(pr.pg);
	fold_free(d);
	return rc;
}

/* The scheduler machine FS (ARG) on the fold. */
static int add_sched(struct fold *d, void *arg)
{
	return fold_add(d, EV_SWITCH, FOLD_SCHED_FIELDS, fold_sched_batch,
			fold_sched_slice, arg);
}

static void sched_free(struct sched *s)
{
	names_free(&s->names);
	traced_free(&s->tr);
}

/* Process and name of a thread's life (names_life): threads table, else
 * the switch events' comm (pid -1: unknown). */
static void sched_who(struct sched *s, uint64_t life, int64_t *pid,
		      const char **comm)
{
	*pid = names_life_pid(&s->names, life);
	*comm = names_life_comm(&s->names, life);
}

static int sched_life_ok(struct sched *s, uint64_t life)
{
	const struct report *r = s->r;
	const char *comm;
	int64_t pid;

	if (r->o->pid < 0 && !r->o->comm)
		return 1;
	sched_who(s, life, &pid, &comm);
	if (r->o->pid >= 0 && pid != r->o->pid)
		return 0;
	return !r->o->comm || (comm && !strcmp(comm, r->o->comm));
}

static struct output_cell pid_cell(int64_t pid)
{
	return pid >= 0 ? OUTPUT_INT(pid) : OUTPUT_NULL;
}

/* Per-thread (per life of a thread) accumulator, indexed through a
 * map. */
struct tacc {
	uint32_t tid;
	uint64_t life;		/* the map's key: names_life, a tid, a pid */
	int64_t pid;
	uint64_t a, b, c, d, e, n; /* meaning depends on the report */
	uint64_t max, max_ts;
	uint64_t any_life;	/* per process: one of its threads */
	int partial;		/* the trace does not see all of its time */
};

struct taccs {
	struct tacc *v;
	size_t n, cap;
	struct hmap ix;
};

static struct tacc *tacc_get(struct taccs *t, uint64_t life)
{
	uint32_t ix;

	if (hmap_get(&t->ix, life, &ix))
		return &t->v[ix];
	if (report_grow(&t->v, &t->cap, t->n + 1, sizeof(*t->v)) < 0 ||
	    hmap_put(&t->ix, life, (uint32_t)t->n) < 0)
		return NULL;
	memset(&t->v[t->n], 0, sizeof(t->v[0]));
	t->v[t->n].tid = NAMES_LIFE_TID(life);
	t->v[t->n].life = life;
	return &t->v[t->n++];
}

/* Ties: by tid, then life. */
static int tacc_tie(const struct tacc *a, const struct tacc *b)
{
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	return a->life < b->life ? -1 : a->life > b->life;
}

static void taccs_free(struct taccs *t)
{
	free(t->v);
	hmap_free(&t->ix);
}

static int tacc_by_a(const void *x, const void *y)
{
	const struct tacc *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? 1 : -1;
	return tacc_tie(a, b);
}

/* ---- cpu ------------------------------------------------------------ */

/* NS as a percentage of WINDOW ns, to 0.01. */
static double pct(uint64_t ns, double window)
{
	return window > 0 ? (double)(int64_t)(10000.0 * (double)ns / window +
					      0.5) / 100 : 0;
}

static void slices_add(uint64_t *busy, uint64_t from, uint64_t to,
		       uint64_t a, uint64_t b)
{
	uint64_t len = to - from + 1;

	for (int k = 0; k < SLICES && a < b; k++) {
		uint64_t s0 = from + len * k / SLICES;
		uint64_t s1 = from + len * (k + 1) / SLICES;
		uint64_t lo = a > s0 ? a : s0, hi = b < s1 ? b : s1;

		if (hi > lo)
			busy[k] += hi - lo;
	}
}

struct busy {
	struct report *r;
	uint64_t (*v)[SLICES];	/* per CPU */
	uint32_t n;
	int oom;
};

/* Room for N CPUs in U (zeroed); -ENOMEM sets U->oom. */
static int busy_grow(struct busy *u, uint32_t n)
{
	uint64_t (*v)[SLICES];

	if (n <= u->n)
		return 0;
	if (!(v = realloc(u->v, n * sizeof(*v)))) {
		u->oom = 1;
		return -ENOMEM;
	}
	memset(v + u->n, 0, (n - u->n) * sizeof(*v));
	u->v = v;
	u->n = n;
	return 0;
}

static void busy_add(void *arg, uint32_t cpu, uint64_t a, uint64_t b)
{
	struct busy *u = arg;

	if (busy_grow(u, cpu + 1) == 0)
		slices_add(u->v[cpu], u->r->from, u->r->to, a, b);
}

int report_cpu_run(struct report *r)
{
	static const char *const pcols[] = {
		"pid", "comm", "threads", "oncpu_ns", "cpu_pct", "partial"
	};
	static const char *const tcols[] = {
		"tid", "pid", "comm", "oncpu_ns", "cpu_pct", "switches_in",
		"partial"
	};
	struct sched s = { 0 };
	struct fold_sched fs = { 0 };
	struct taccs th = { 0 }, pr = { 0 };
	struct busy bu = { .r = r };
	uint64_t (*busy)[SLICES] = NULL;
	uint32_t ncpu = 0;
	double window = (double)(r->to - r->from);
	int rc;

	if ((rc = sched_setup(r, &s)) < 0)
		goto out;
	fold_sched_init(&fs, &s.tr, r->from, r->to, busy_add, &bu);
	fs.names = &s.names;
	fs.no_off = 1;
	if ((rc = sched_fold(r, &s, add_sched, &fs)) < 0)
		goto out;
	ncpu = fs.ncpu;
	if (busy_grow(&bu, ncpu + 1) < 0 || bu.oom)
		goto oom;
	busy = bu.v;
	for (size_t i = 0; i < fs.nth; i++) {
		const struct fold_sched_thread *f = &fs.th[i];
		struct tacc *t;

		if (!f->cpu_seen)
			continue;
		if (!(t = tacc_get(&th, f->life)))
			goto oom;
		t->a = f->cpu_ns;
		t->n = f->switches_in;
		t->partial = f->cpu_partial;
	}

	/* per process; tid 0 (idle) and filtered threads left out */
	for (size_t i = 0; i < th.n; i++) {
		struct tacc *t = &th.v[i], *p;
		const char *comm;

		sched_who(&s, t->life, &t->pid, &comm);
		if (t->tid == 0 || !sched_life_ok(&s, t->life)) {
			t->a = 0;
			t->pid = -2;	/* left out */
			continue;
		}
		if (!(p = tacc_get(&pr, (uint32_t)(t->pid >= 0 ? t->pid :
							      t->tid))))
			goto oom;
		p->pid = t->pid >= 0 ? t->pid : -1;
		p->a += t->a;
		p->b++;
		p->partial |= t->partial;
		p->any_life = t->life;
	}
	report_sort(pr.v, pr.n, sizeof(*pr.v), tacc_by_a);
	rc = report_table_begin(r, "by_process", "On-CPU time by process", 6,
				pcols);
	for (size_t i = 0; rc == 0 && i < pr.n && i < r->top; i++) {
		struct tacc *p = &pr.v[i];
		int64_t pid;
		const char *comm = NULL;

		if (p->pid >= 0)
			comm = names_proc(&s.names, (uint32_t)p->pid, r->to);
		if (!comm)
			sched_who(&s, p->any_life, &pid, &comm);
		rc = report_table_row(r, (struct output_cell[]){
			pid_cell(p->pid), report_text(comm),
			OUTPUT_INT((int64_t)p->b), report_dur(r, (int64_t)p->a),
			OUTPUT_REAL(pct(p->a, window)),
			OUTPUT_INT(p->partial) });
	}
	/* the tasks the trace only half sees: their time is not known */
	if (rc == 0 && fs.others_cpu.n && r->o->pid < 0 && !r->o->comm)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_NULL, OUTPUT_TEXT("other tasks (not traced)"),
			OUTPUT_INT((int64_t)fs.others_cpu.n), OUTPUT_NULL,
			OUTPUT_NULL, OUTPUT_INT(1) });
	rc = report_table_close(r, rc);

	report_sort(th.v, th.n, sizeof(*th.v), tacc_by_a);
	if (rc == 0)
		rc = report_table_begin(r, "by_thread", "On-CPU time by thread",
					7, tcols);
	for (size_t i = 0, shown = 0; rc == 0 && i < th.n && shown < r->top;
	     i++) {
		struct tacc *t = &th.v[i];
		const char *comm;
		int64_t pid;

		if (t->pid == -2)
			continue;
		sched_who(&s, t->life, &pid, &comm);
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(t->tid), pid_cell(pid), report_text(comm),
			report_dur(r, (int64_t)t->a),
			OUTPUT_REAL(pct(t->a, window)),
			OUTPUT_INT((int64_t)t->n), OUTPUT_INT(t->partial) });
		shown++;
	}
	rc = report_table_close(r, rc);

	/* utilization: one row per slice, one column per CPU */
	if (rc == 0 && ncpu > 0) {
		uint32_t shown = ncpu < 62 ? ncpu : 62;
		const char *cols[64];
		char names[64][16];
		struct output_cell cells[64];
		uint64_t len = r->to - r->from + 1;

		cols[0] = "ts";
		for (uint32_t c = 0; c < shown; c++) {
			snprintf(names[c], sizeof(names[c]), "cpu%u", c);
			cols[c + 1] = names[c];
		}
		cols[shown + 1] = "all";
		rc = report_table_begin(r, "utilization", s.tr.some ?
					"CPU time of the traced tasks % (ten "
					"slices of the window)" :
					"CPU utilization % "
					"(busy time; ten slices of the window)",
					(int)shown + 2, cols);
		for (int k = 0; rc == 0 && k < SLICES; k++) {
			uint64_t s0 = r->from + len * k / SLICES;
			uint64_t s1 = r->from + len * (k + 1) / SLICES;
			double sl = s1 > s0 ? (double)(s1 - s0) : 1, all = 0;

			cells[0] = report_ts(r, (int64_t)s0);
			for (uint32_t c = 0; c < ncpu; c++) {
				double u = 100.0 * (double)busy[c][k] / sl;
				all += u;
				if (c < shown)
					cells[c + 1] = OUTPUT_REAL(
						(double)(int64_t)(u * 10 + 0.5) /
						10);
			}
			cells[shown + 1] = OUTPUT_REAL(
				(double)(int64_t)(all / ncpu * 10 + 0.5) / 10);
			rc = report_table_row(r, cells);
		}
		rc = report_table_close(r, rc);
	}
	if (rc == 0 && fs.others_cpu.n)
		rc = report_note(r, "this trace records only some tasks (-- CMD,"
				 " -p or --cgroup): the %zu other %s it "
				 "saw switch on or off a CPU ran for a time "
				 "it does not know, so it shows none",
				 fs.others_cpu.n, plural(fs.others_cpu.n,
							 "thread", "threads"));
	if (rc == 0 && pr.n)
		rc = report_note(r, "partial 1: the trace does not see all of "
				 "that time (lost events, its edges, the time "
				 "after the process's exit); the figure is what "
				 "it saw");
	if (rc == 0 && pr.n)
		rc = report_note(r, "'offcpu' shows where threads waited; "
				 "'runqlat' how long runnable threads waited "
				 "for a CPU");
	goto out;
oom:
	rc = report_fail(r, -ENOMEM, "out of memory");
out:
	free(bu.v);
	fold_sched_free(&fs);
	taccs_free(&th);
	taccs_free(&pr);
	sched_free(&s);
	return rc;
}

/* ---- runqlat -------------------------------------------------------- */

static int add_runqlat(struct fold *d, void *arg)
{
	return fold_add(d, EV_WAKEUP, FOLD_RUNQLAT_WAKE_FIELDS,
			fold_runqlat_wake, NULL, arg) < 0 ||
	       fold_add(d, EV_SWITCH, FOLD_RUNQLAT_SWITCH_FIELDS,
			fold_runqlat_switch, fold_runqlat_slice, arg) < 0 ?
	       -ENOMEM : 0;
}

static int runqlat_ok(void *arg, uint64_t life)
{
	return sched_life_ok(arg, life);
}

/* A row of "longest_waits": a thread of one trace (TRACE: its index in a
 * merged report), its process and name as of the window's end. */
struct rq_row {
	uint32_t trace, tid;
	int64_t pid;
	char *comm;		/* owned, may be NULL */
	uint64_t waits, total_ns, max_ns, max_ts;
};

static int runqlat_by_total(const void *x, const void *y)
{
	const struct rq_row *a = x, *b = y;

	if (a->total_ns != b->total_ns)
		return a->total_ns < b->total_ns ? 1 : -1;
	if (a->trace != b->trace)
		return a->trace < b->trace ? -1 : 1;
	return a->tid < b->tid ? -1 : a->tid > b->tid;
}

static void rq_rows_free(struct rq_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].comm);
	free(v);
}

/* Fold trace r->st's waits into *Q (set up here, freed by the caller)
 * and append its threads to *ROWS, as trace T.  0 or a negative errno. */
static int runqlat_fold(struct report *r, uint32_t t, struct fold_runqlat *q,
			struct rq_row **rows, size_t *n, size_t *cap)
{
	struct sched s = { 0 };
	int rc;

	fold_runqlat_init(q, &s.tr, &s.names, r->to);
	q->ok = runqlat_ok;
	q->ok_arg = &s;
	if ((rc = sched_setup(r, &s)) < 0 ||
	    (rc = sched_fold(r, &s, add_runqlat, q)) < 0)
		goto out;
	if (report_grow(rows, cap, *n + q->nth, sizeof(**rows)) < 0) {
		rc = report_fail(r, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < q->nth; i++) {
		const struct fold_runqlat_thread *th = &q->th[i];
		struct rq_row *w = &(*rows)[*n];
		const char *comm;

		sched_who(&s, names_life(&s.names, th->tid, r->to), &w->pid,
			  &comm);
		w->trace = t;
		w->tid = th->tid;
		w->waits = th->waits;
		w->total_ns = th->total_ns;
		w->max_ns = th->max_ns;
		w->max_ts = th->max_ts;
		if (!(w->comm = comm ? strdup(comm) : NULL) && comm) {
			rc = report_fail(r, -ENOMEM, "out of memory");
			goto out;
		}
		(*n)++;
	}
out:
	/* the fold's per-thread rows and its borrowed names go with S */
	q->tr = NULL;
	q->names = NULL;
	sched_free(&s);
	return rc;
}

/* The histogram, the stats of Q, the threads ROWS (with their host in a
 * merged report) and the notes. */
static int runqlat_print(struct report *r, struct fold_runqlat *q,
			 struct rq_row *rows, size_t n)
{
	static const char *const scols[] = {
		"runs", "avg_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns"
	};
	static const char *const tcols[] = {
		"host", "tid", "pid", "comm", "runs", "avg_ns", "max_ns",
		"max_at_ts", "total_ns"
	};
	int merged = r->hosts != NULL;
	int rc;

	rc = report_hist_print(r, "histogram", "Run queue latency (runnable "
			       "to running; log2 buckets, us)", "us", q->hist,
			       FOLD_RUNQLAT_BUCKETS);
	if (rc == 0)
		rc = report_table_begin(r, "stats", "Run queue latency", 6,
					scols);
	if (rc == 0 && q->nlat)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT((int64_t)q->nlat),
			report_dur(r, (int64_t)(q->total_ns / q->nlat)),
			report_dur(r, (int64_t)fold_runqlat_pct(q, 50)),
			report_dur(r, (int64_t)fold_runqlat_pct(q, 90)),
			report_dur(r, (int64_t)fold_runqlat_pct(q, 99)),
			report_dur(r, (int64_t)q->max_ns) });
	rc = report_table_close(r, rc);
	report_sort(rows, n, sizeof(*rows), runqlat_by_total);
	if (rc == 0)
		rc = report_table_begin(r, "longest_waits", "Threads that "
					"waited longest for a CPU (in total)",
					8 + merged, tcols + !merged);
	for (size_t i = 0; rc == 0 && i < n && i < r->top; i++) {
		const struct rq_row *t = &rows[i];

		if (merged)
			report_merge_use(r, t->trace);
		rc = report_table_row(r, (struct output_cell[]){
			merged ? report_text(r->hosts[t->trace]) : OUTPUT_NULL,
			OUTPUT_INT(t->tid), pid_cell(t->pid),
			report_text(t->comm), OUTPUT_INT((int64_t)t->waits),
			report_dur(r, (int64_t)(t->total_ns / t->waits)),
			report_dur(r, (int64_t)t->max_ns),
			report_ts(r, (int64_t)t->max_ts),
			report_dur(r, (int64_t)t->total_ns) } + !merged);
	}
	rc = report_table_close(r, rc);
	if (rc == 0 && !q->wakeups)
		rc = report_note(r, "no sched_wakeup events in this window: "
				 "was the trace recorded with -e sched?");
	if (rc == 0 && q->holed)
		rc = report_note(r, "%" PRIu64 " %s lost sched "
				 "events %s left out (the switch-in may be "
				 "lost)", q->holed,
				 plural(q->holed, "wait that overlaps",
					"waits that overlap"),
				 plural(q->holed, "was", "were"));
	return rc;
}

int report_runqlat_run(struct report *r)
{
	struct fold_runqlat q;
	struct rq_row *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if ((rc = runqlat_fold(r, 0, &q, &rows, &n, &cap)) == 0)
		rc = runqlat_print(r, &q, rows, n);
	fold_runqlat_free(&q);
	rq_rows_free(rows, n);
	return rc;
}

/* Each trace folded as report_runqlat_run folds it; the waits added up,
 * the threads keyed by (trace, tid): a tid is one kernel's. */
int report_runqlat_merge(struct report *r)
{
	struct fold_runqlat all, one;
	struct rq_row *rows = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	fold_runqlat_init(&all, NULL, NULL, 0);
	for (size_t t = 0; rc == 0 && t < r->ntraces; t++) {
		report_merge_use(r, t);
		if ((rc = runqlat_fold(r, (uint32_t)t, &one, &rows, &n,
				       &cap)) == 0 &&
		    fold_runqlat_merge(&all, &one) < 0)
			rc = report_fail(r, -ENOMEM, "out of memory");
		fold_runqlat_free(&one);
	}
	if (rc == 0)
		rc = runqlat_print(r, &all, rows, n);
	fold_runqlat_free(&all);
	rq_rows_free(rows, n);
	return rc;
}

/* ---- offcpu --------------------------------------------------------- */

enum { ST_PREEMPTED = FOLD_OFF_PREEMPTED, ST_SLEEPING = FOLD_OFF_SLEEPING,
       ST_BLOCKED = FOLD_OFF_BLOCKED, ST_OTHER = FOLD_OFF_OTHER,
       ST_N = FOLD_OFF_N };
static const char *const state_names[ST_N] = {
	"preempted", "sleeping", "blocked", "other"
};

struct off_run {		/* one tid's periods: p[first..end) */
	uint32_t first, end;
	uint32_t hint;		/* where the last search ended */
};

struct off_scan {
	struct report *r;
	struct fold_off_period *p;	/* sorted by (tid, out) */
	struct off_run *runs;
	struct hmap runix; /* tid -> index in runs */
};

static int off_sys_each(const struct store_batch *b, void *arg)
{
	struct off_scan *o = arg;
	const int64_t *ts = b->col[EVI_SYSCALL_TS];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	const int64_t *tid = b->col[EVI_SYSCALL_TID];
	uint32_t last_tid = 0, ix = 0;
	int seen = 0, have = 0, rc;	/* have: last_tid has a run at ix */

	for (uint32_t i = 0; i < b->n; i++) {
		uint64_t a = (uint64_t)ts[i], z;
		size_t lo, hi;

		if (!seen || (uint32_t)tid[i] != last_tid) {
			last_tid = (uint32_t)tid[i];
			seen = 1;
			have = hmap_get(&o->runix, last_tid, &ix);
		}
		if (!have)
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					      dur[i])) < 0)
			return report_store_fail(o->r, rc);
		/* a call's end; past the clock's end it is "later" */
		if (rc || __builtin_add_overflow(a, (uint64_t)dur[i], &z))
			z = UINT64_MAX;
		/* the tid's first period with out >= a: a thread's calls come
		 * in ts order within a chunk, so step on from the last answer
		 * and search only when time went back (overlapping chunks) */
		struct off_run *run = &o->runs[ix];
		lo = run->hint;
		hi = run->end;
		if (lo > run->first && o->p[lo - 1].out >= a) {
			lo = run->first;
			while (lo < hi) {
				size_t m = lo + (hi - lo) / 2;
				if (o->p[m].out < a)
					lo = m + 1;
				else
					hi = m;
			}
		} else {
			while (lo < hi && o->p[lo].out < a)
				lo++;
		}
		run->hint = (uint32_t)lo;
		for (size_t k = lo; k < o->runs[ix].end && o->p[k].out <= z;
		     k++) {
			int64_t nr;

			if (o->p[k].nr >= 0)
				continue;
			/* nr is read only for the calls that cover one */
			if ((rc = store_batch_int(b, EVI_SYSCALL_NR, i,
						  &nr)) < 0)
				return report_store_fail(o->r, rc);
			o->p[k].nr = (int32_t)nr;
		}
	}
	return 0;
}

static int period_cmp(const void *a, const void *b)
{
	const struct fold_off_period *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->out < y->out ? -1 : x->out > y->out;
}

struct offkey {		/* (life, class, nr) */
	uint32_t tid;
	uint64_t life;
	int cls;
	int32_t nr;
	uint64_t time, n, max;
};

static int offkey_cmp(const void *a, const void *b)
{
	const struct offkey *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->life != y->life)
		return x->life < y->life ? -1 : 1;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;	/* no a - b: overflows */
}

static int off_life_ok(void *arg, uint64_t life)
{
	return sched_life_ok(arg, life);
}

int report_offcpu_run(struct report *r)
{
	static const char *const tcols[] = {
		"tid", "pid", "comm", "offcpu_ns", "sleeping_ns", "blocked_ns",
		"preempted_ns", "other_ns", "switches_out", "partial",
		"waiting_ns", "woken_runnable_ns"
	};
	static const char *const kcols[] = {
		"tid", "comm", "state", "syscall", "time_ns", "count", "max_ns"
	};
	static const char *const scols[] = { "state", "time_ns", "count" };
	struct sched s = { 0 };
	struct fold_sched fs = { 0 };
	struct fold_off_period *p = NULL;
	size_t np = 0;
	struct off_scan o = { .r = r };
	size_t nruns = 0, capruns = 0;
	struct taccs th = { 0 };
	struct offkey *keys = NULL;
	size_t nkeys = 0, capkeys = 0;
	struct hmap keyix = { 0 };
	uint64_t st_time[ST_N] = { 0 }, st_n[ST_N] = { 0 };
	struct tstate *ts = NULL;
	char err[TSTATE_ERRLEN];
	int rc;

	if ((rc = sched_setup(r, &s)) < 0)
		goto out;
	fold_sched_init(&fs, &s.tr, r->from, r->to, NULL, NULL);
	fs.no_cpu = 1;
	fs.names = &s.names;
	fs.off_ok = off_life_ok;
	fs.off_arg = &s;
	fs.keep_periods = 1;
	if ((rc = sched_fold(r, &s, add_sched, &fs)) < 0)
		goto out;
	p = fs.periods;
	np = fs.nperiods;
	/* waiting vs runnable after the wakeup */
	if (!(ts = tstate_new(r->st, r->from, r->to, err))) {
		rc = report_fail(r, -EIO, "%s", err);
		goto out;
	}
	ts->bare = 1;
	if ((rc = tstate_run(ts)) < 0) {
		rc = report_fail(r, rc, "%s", tstate_errmsg(ts));
		goto out;
	}

	/* the syscall each period began in */
	report_sort(p, np, sizeof(*p), period_cmp);
	o.p = p;
	for (size_t i = 0; i < np; i++) {
		if (i > 0 && p[i - 1].tid == p[i].tid) {
			o.runs[nruns - 1].end = (uint32_t)i + 1;
			continue;
		}
		if (report_grow(&o.runs, &capruns, nruns + 1,
				sizeof(*o.runs)) < 0 ||
		    hmap_put(&o.runix, p[i].tid, (uint32_t)nruns) < 0)
			goto oom;
		o.runs[nruns++] = (struct off_run){ (uint32_t)i,
						    (uint32_t)i + 1,
						    (uint32_t)i };
	}
	if (np) {
		rc = report_scan_range(r, EV_SYSCALL, EVM(EVI_SYSCALL_TS) |
				       EVM(EVI_SYSCALL_DUR) | EVM(EVI_SYSCALL_TID),
				       r->span_from < r->from ? r->span_from :
				       r->from, r->to, off_sys_each, &o);
		if (rc < 0)
			goto out;
	}

	for (size_t i = 0; i < fs.nth; i++) {
		const struct fold_sched_thread *f = &fs.th[i];
		struct tacc *t;

		if (!f->switches_out)
			continue;
		if (!(t = tacc_get(&th, f->life)))
			goto oom;
		t->a = f->off_ns;
		t->b = f->off_cls[ST_SLEEPING];
		t->c = f->off_cls[ST_BLOCKED];
		t->d = f->off_cls[ST_PREEMPTED];
		t->e = f->off_cls[ST_OTHER];
		t->n = f->switches_out;
		t->partial = f->off_partial;
	}
	for (size_t i = 0; i < np; i++) {
		const struct fold_off_period *q = &p[i];
		uint64_t d = q->in - q->out, key;
		uint32_t ix;

		st_time[q->cls] += d;
		st_n[q->cls]++;
		/* a later life's keys are moved off the first's; a key
		 * taken by another (life, class, nr) moves on to key + 1 */
		key = ((uint64_t)q->tid << 32 | (uint64_t)q->cls << 24 |
		       ((uint32_t)(q->nr + 1) & 0xffffff)) +
		      (q->life >> 32) * 0x9e3779b97f4a7c15ull;
		while (hmap_get(&keyix, key, &ix) &&
		       (keys[ix].life != q->life || keys[ix].cls != q->cls ||
			keys[ix].nr != q->nr))
			key++;
		if (!hmap_get(&keyix, key, &ix)) {
			if (report_grow(&keys, &capkeys, nkeys + 1,
					sizeof(*keys)) < 0 ||
			    hmap_put(&keyix, key, (uint32_t)nkeys) < 0)
				goto oom;
			keys[nkeys] = (struct offkey){ .tid = q->tid,
						       .life = q->life,
						       .cls = q->cls,
						       .nr = q->nr };
			ix = (uint32_t)nkeys++;
		}
		keys[ix].time += d;
		keys[ix].n++;
		if (d > keys[ix].max)
			keys[ix].max = d;
	}

	report_sort(th.v, th.n, sizeof(*th.v), tacc_by_a);
	rc = report_table_begin(r, "by_thread", "Off-CPU time by thread", 12,
				tcols);
	for (size_t i = 0; rc == 0 && i < th.n && i < r->top; i++) {
		const struct tacc *t = &th.v[i];
		const char *comm;
		uint64_t waiting, woken;
		int64_t pid;

		sched_who(&s, t->life, &pid, &comm);
		tstate_wait_split(ts, t->life, &waiting, &woken);
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(t->tid), pid_cell(pid), report_text(comm),
			report_dur(r, (int64_t)t->a),
			report_dur(r, (int64_t)t->b),
			report_dur(r, (int64_t)t->c),
			report_dur(r, (int64_t)t->d),
			report_dur(r, (int64_t)t->e),
			OUTPUT_INT((int64_t)t->n), OUTPUT_INT(t->partial),
			report_dur(r, (int64_t)waiting),
			report_dur(r, (int64_t)woken) });
	}
	rc = report_table_close(r, rc);

	report_sort(keys, nkeys, sizeof(*keys), offkey_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_syscall", "Off-CPU time by "
					"thread, state and the syscall it was "
					"in", 7, kcols);
	for (size_t i = 0; rc == 0 && i < nkeys && i < r->top; i++) {
		const struct offkey *k = &keys[i];
		const char *comm;
		int64_t pid;

		sched_who(&s, k->life, &pid, &comm);
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(k->tid), report_text(comm),
			OUTPUT_TEXT(state_names[k->cls]),
			k->nr >= 0 ? report_sysname(r, k->nr) : OUTPUT_NULL,
			report_dur(r, (int64_t)k->time),
			OUTPUT_INT((int64_t)k->n),
			report_dur(r, (int64_t)k->max) });
	}
	rc = report_table_close(r, rc);

	if (rc == 0)
		rc = report_table_begin(r, "by_state", "Off-CPU time by state",
					3, scols);
	for (int c = 0; rc == 0 && c < ST_N; c++)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(state_names[c]),
			report_dur(r, (int64_t)st_time[c]),
			OUTPUT_INT((int64_t)st_n[c]) });
	rc = report_table_close(r, rc);
	if (rc == 0 && fs.dropped)
		rc = report_note(r, "%" PRIu64 " off-CPU %s whose end was "
				 "not seen (no switch back in before the next "
				 "switch-out) %s left out", fs.dropped,
				 plural(fs.dropped, "period", "periods"),
				 plural(fs.dropped, "was", "were"));
	if (rc == 0 && fs.exited)
		rc = report_note(r, "%" PRIu64 " %s exited in the window "
				 "(%s last switch-out opens no period)",
				 fs.exited,
				 plural(fs.exited, "thread", "threads"),
				 plural(fs.exited, "its", "their"));
	if (rc == 0 && fs.others_off.n)
		rc = report_note(r, "this trace records only some tasks (-- CMD,"
				 " -p or --cgroup): the off-CPU time of the "
				 "%zu other %s it saw is not known, so it "
				 "shows none", fs.others_off.n,
				 plural(fs.others_off.n, "thread", "threads"));
	if (rc == 0 && th.n)
		rc = report_note(r, "partial 1: a period cut where the trace "
				 "stops knowing (its end, lost events, the "
				 "process's exit)");
	if (rc == 0 && th.n)
		rc = report_note(r, "waiting: asleep or blocked until the "
				 "wakeup; woken_runnable: from the wakeup to "
				 "running (perf sched timehist's wait time and "
				 "sch delay); 'why --tid TID' says what woke "
				 "a thread");
	goto out;
oom:
	rc = report_fail(r, -ENOMEM, "out of memory");
out:
	tstate_free(ts);
	free(keys);
	hmap_free(&keyix);
	hmap_free(&o.runix);
	free(o.runs);
	fold_sched_free(&fs);
	taccs_free(&th);
	sched_free(&s);
	return rc;
}
