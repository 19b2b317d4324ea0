/*
 * agg.h - the aggregates behind the Overview, Processes, Syscalls,
 * Connections, Files, Errors, Run queue and Signals views, for one time
 * window and filter, computed incrementally so the screen never waits for
 * them.
 *
 *     struct agg *a = agg_new(st, from, to, "comm = nginx", err);
 *     while ((rc = agg_step(a, 10 * 1000000)) > 0)   // ~10 ms of work
 *             draw(a, agg_fraction(a));                 // partial results
 *     ... a->procs[i].cpu_ns, a->sysc.v[j].calls ...
 *     agg_free(a);
 *
 * How: the fold driver (analyze/fold/fold.h) reads the window in time
 * order, slice by slice, with store_scan, and hands each batch with the
 * filter's mask of kept rows to the accumulators here.  While it is not
 * complete, the sums cover the window's start: multiplied by agg_scale()
 * they estimate the final figures, and the TUI marks them so.  CPU time,
 * off-CPU time and CPU busy come from the scheduler state machine of
 * `report cpu` and `report offcpu` (analyze/fold/fold_sched.h): when
 * complete they are the reports' figures.
 *
 * The agg owns every array; pointers into them stay valid until the next
 * agg_step or agg_free.  Functions return 0 / positive, or -errno with a
 * message in agg_errmsg().
 */
#ifndef KSCOPE_TUI_AGG_H
#define KSCOPE_TUI_AGG_H

#include <stdint.h>

#include "analyze/fold/conn.h"
#include "analyze/fold/errs.h"
#include "analyze/fold/files.h"
#include "analyze/fold/fold.h"
#include "analyze/fold/fold_sched.h"
#include "analyze/fold/hangs.h"
#include "analyze/fold/ovw.h"
#include "analyze/fold/runqlat.h"
#include "analyze/fold/signals.h"
#include "analyze/fold/sysc.h"
#include "analyze/fold/tasks.h"
#include "analyze/names.h"
#include "analyze/replay/filter.h"
#include "analyze/traced.h"
#include "store/store.h"
#include "store/hmap.h"

#define AGG_BUCKETS 256 /* timeline resolution */
#define AGG_MAXCPU 64
#define AGG_HANGS 5 /* the longest calls still running kept */

/* A process (key pid) or a thread (key LIFE, names_life of its tid ID: a
 * tid reused by another process is a row per life; pid its process).
 * Its counts (system calls, errors, time in them, net bytes) are in the
 * agg's tasks accumulator: agg_task_counts(), per tid. */
struct agg_task {
	uint32_t id, pid;
	uint64_t life;
	uint64_t cpu_ns, off_ns;
};

struct agg {
	struct store *st;
	uint64_t from, to; /* inclusive */
	struct filter *filter; /* NULL: none */
	struct fold *fold;
	struct names *names; /* the threads' lives and names, where the
			      * switches' comms are noted: the caller's (set
			      * before the first step), else own_names */
	struct names own_names; /* loaded at the first step when NAMES is NULL */

	struct agg_task *procs, *threads;
	size_t nprocs, nthreads;
	struct fold_conn conn;	/* TCP connections, listeners too */
	uint32_t *conns;	/* indexes of the connections in conn.v */
	size_t nconns;
	/* the figures the reports fold with the same code (analyze/fold/):
	 * Syscalls, Errors, Files, the Processes' counts, the Overview's */
	struct fold_sysc sysc;
	struct fold_errs errs;
	struct fold_files files;
	struct fold_tasks tasks;
	struct fold_ovw ovw;
	/* the Run queue view (report runqlat), the Signals view, the
	 * Overview's calls still running at the end (report summary) */
	struct fold_runqlat runq;
	struct fold_signals sigs;
	struct fold_hangs hangs;

	uint64_t tl_events[AGG_BUCKETS], tl_errors[AGG_BUCKETS];
	uint64_t tl_lost[AGG_BUCKETS];
	uint64_t tl_busy[AGG_MAXCPU][AGG_BUCKETS]; /* ns busy per cpu */
	unsigned ncpu;         /* highest cpu seen + 1 */
	uint64_t cpu_first[AGG_MAXCPU]; /* each cpu's first switch read, 0:
					 * none */
	unsigned steps;        /* agg_step calls so far: the figures changed */

	/* internal scan state */
	struct hmap map_proc, map_thread;
	size_t cap_procs, cap_threads;
	struct fold_sched sched; /* CPU, off-CPU, CPU busy */
	struct traced tr;  /* who is traced, holes, recorded switch span */
	char errmsg[256];
};

/* A new aggregate of the events with FROM <= ts <= TO that FILTER (the
 * filter language of filter.h; NULL or "" for none) selects.  Nothing is
 * read yet but the small tables.  NULL and ERR (256 bytes) on failure. */
struct agg *agg_new(struct store *st, uint64_t from, uint64_t to,
		    const char *filter, char *err);
void agg_free(struct agg *a);

/* Work for about BUDGET_NS.  1: more to do, 0: complete, -errno. */
int agg_step(struct agg *a, uint64_t budget_ns);
/* Run to completion. */
int agg_run(struct agg *a);
/* Share of the window read so far, 0..1. */
double agg_fraction(const struct agg *a);
/* What to multiply sums by to estimate the whole window (1 when done). */
double agg_scale(const struct agg *a);
int agg_done(const struct agg *a);
const char *agg_errmsg(const struct agg *a);

/* Bucket of TS in [from, to]. */
unsigned agg_bucket(const struct agg *a, uint64_t ts);
/* Whether bucket B has been read. */
int agg_bucket_done(const struct agg *a, unsigned b);

/* What the Overview shows of CPU over buckets [B0, B1): some busy time,
 * idle, or not known: no switch of that CPU read before the buckets'
 * end, outside the recording, in a hole, or a recording of some tasks
 * only (where the time of the others, idle too, is never known). */
enum agg_cpu_state { AGG_CPU_UNKNOWN, AGG_CPU_IDLE, AGG_CPU_BUSY };
enum agg_cpu_state agg_cpu_state(const struct agg *a, unsigned cpu,
				 unsigned b0, unsigned b1);

const struct agg_task *agg_proc_find(const struct agg *a, uint32_t pid);
/* The counts of process or thread T (THREAD: a thread); all zero when
 * it made no call and moved no byte, or A is NULL. */
const struct fold_task *agg_task_counts(const struct agg *a,
					const struct agg_task *t, int thread);

/* Monotonic clock in ns (the budget clock; tests and the TUI use it). */
uint64_t agg_now_ns(void);

#endif
