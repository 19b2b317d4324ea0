/*
 * agg.h - the aggregates behind the Overview, Processes, Syscalls,
 * Connections, Files and Errors views, for one time window and filter,
 * computed incrementally so the screen never waits for them.
 *
 *     struct agg *a = agg_new(st, from, to, where, kinds, err);
 *     while ((rc = agg_step(a, 10 * 1000000)) > 0)   // ~10 ms of work
 *             draw(a, agg_fraction(a));                 // partial results
 *     ... a->procs[i].cpu_ns, a->sys[j].calls ...
 *     agg_free(a);
 *
 * How: the window is cut into AGG_SLICES equal time slices, visited in
 * bit-reversed order (0, 32, 16, 48, ...), so after any number of slices the
 * covered part is spread over the whole window and the sums, multiplied by
 * agg_scale(), estimate the final figures.  Each slice runs one ts-range
 * query per event table (chunks outside the slice are skipped, only the
 * integer columns needed are decoded) and folds the rows into hash-indexed
 * arrays.  CPU time and CPU busy come from sched_switch: on a switch the
 * previous task ran since the last switch on that CPU (or since the slice
 * start).  Off-CPU time is counted from a switch-out to the next switch-in
 * of the same thread, clipped to the slice; a thread with no switch at all
 * in a slice (asleep throughout) is not counted there (docs/TUI.md).  Only
 * what the trace knows is counted, by the rules of analyze/traced.h: tasks
 * that a `-- CMD` or `-p` trace does not trace get no time and no row.
 *
 * The agg owns every array; pointers into them stay valid until the next
 * agg_step or agg_free.  Functions return 0 / positive, or -errno with a
 * message in agg_errmsg().
 */
#ifndef KSCOPE_TUI_AGG_H
#define KSCOPE_TUI_AGG_H

#include <stdint.h>

#include "analyze/traced.h"
#include "store/store.h"
#include "store/hmap.h"

#define AGG_SLICES 64
#define AGG_BUCKETS 256 /* timeline resolution; a multiple of AGG_SLICES */
#define AGG_MAXCPU 64

/* A process (key pid) or a thread (key tid, pid its process). */
struct agg_task {
	uint32_t id, pid;
	uint64_t syscalls, errors, sys_ns, cpu_ns, off_ns, net_bytes;
	/* sched_switch state inside the current slice */
	unsigned slice_seen; /* slice number + 1 of the last event */
	int on_cpu;
	uint64_t out_ts;
};

struct agg_sys {
	int32_t nr;
	uint64_t calls, errors, dur_ns, dur_max;
};

struct agg_err {
	int32_t nr, err; /* err positive: ENOENT = 2 */
	uint64_t count;
};

struct agg_conn {
	uint64_t sock;
	uint32_t pid, sport, dport, state; /* state: last TCP state seen */
	uint64_t first_ts, last_ts, tx, rx, events, retrans, resets;
};

struct agg_file {
	char *path; /* owned */
	uint64_t calls, errors, dur_ns;
};

struct agg {
	struct store *st;
	uint64_t from, to; /* inclusive */
	unsigned kinds;    /* tables scanned (1 << kind) */
	char *where[EV_KIND_COUNT]; /* extra SQL condition per table, or NULL */

	struct agg_task *procs, *threads;
	size_t nprocs, nthreads;
	struct agg_sys *sys;
	size_t nsys;
	struct agg_err *errs;
	size_t nerrs;
	struct agg_conn *conns;
	size_t nconns;
	struct agg_file *files;
	size_t nfiles;

	uint64_t events[EV_KIND_COUNT]; /* rows seen per table */
	uint64_t tl_events[AGG_BUCKETS], tl_errors[AGG_BUCKETS];
	uint64_t tl_lost[AGG_BUCKETS];
	uint64_t tl_busy[AGG_MAXCPU][AGG_BUCKETS]; /* ns busy per cpu */
	unsigned ncpu;         /* highest cpu seen + 1 */
	unsigned slices_done;  /* of AGG_SLICES */
	uint8_t slice_done[AGG_SLICES];
	uint64_t lost;

	/* internal scan state */
	struct hmap map_proc, map_thread, map_sys, map_err, map_conn,
		map_file, map_tidpid;
	size_t cap_procs, cap_threads, cap_sys, cap_errs, cap_conns, cap_files;
	sqlite3_stmt *stmt;
	int src;           /* source being read in the current slice */
	uint64_t cpu_last[AGG_MAXCPU];
	int64_t cpu_task[AGG_MAXCPU]; /* tid running, -1 unknown */
	struct traced tr;  /* who is traced, holes, recorded switch span */
	char errmsg[256];
};

/* A new aggregate of the events with FROM <= ts <= TO in the tables of
 * KINDS, each narrowed by WHERE[kind] (SQL over that table's columns; NULL
 * for none; copied).  Nothing is read yet but the threads table.  NULL and
 * ERR (256 bytes) on failure. */
struct agg *agg_new(struct store *st, uint64_t from, uint64_t to,
		    unsigned kinds, const char *const where[EV_KIND_COUNT],
		    char *err);
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

const struct agg_task *agg_proc_find(const struct agg *a, uint32_t pid);

/* Monotonic clock in ns (the budget clock; tests and the TUI use it). */
uint64_t agg_now_ns(void);

#endif
