/*
 * timeline.h - the Timeline view's data, without curses: per thread its
 * states over time (the thread-state engine's intervals, tstate.h), per
 * CPU who ran, cut into the cells of a window on demand.
 *
 *     struct timeline *tl = timeline_new(st, from, to, err);  // 256 bytes
 *     while ((rc = timeline_step(tl, 10 * 1000000)) > 0)      // ~10 ms
 *             draw(tl);                 // what is computed so far, partial
 *     n = timeline_order(tl, wf, wt, &order);     // threads, busiest first
 *     timeline_cells(tl, order[i], wf, wt, cells, ncells);
 *     timeline_cpu_cells(tl, cpu, wf, wt, cpucells, ncells);
 *     if (timeline_change(tl, ix, ts, +1, &at)) ...  // next state change
 *     timeline_free(tl);
 *
 * How: the engine runs over [FROM, TO] (the whole trace, once) in steps;
 * while it folds, the fold's intervals so far stand in (off-CPU periods
 * whole, not yet cut at their wakeups: a first picture, marked partial);
 * once its intervals are joined they replace them (exact states), and
 * once it has read the syscalls, a run inside a call is "in a syscall".
 * The join, which reads no trace but sorts every interval (seconds on
 * ten million events), runs in a thread of its own with the copy into
 * this file's arrays; timeline_step waits for it at most its budget.
 * The intervals are kept compact per thread (with the time on a CPU
 * before each, so that a window's busiest threads need no walk) and per
 * CPU, and the engine is freed; zoom and pan only cut them into other
 * cells.
 *
 * A cell is the state that took most of its time (the time the trace
 * does not know competes as TL_NONE); on-CPU time wins as TL_SYS when
 * most of it was inside calls; a thread's exit in a cell it otherwise
 * does not know shows as TL_DEAD.  A CPU cell names the thread that ran
 * there longest; time no thread ran is idle where the trace saw every
 * task and knew the CPU's switches, else not known.  Holes (lost sched
 * events, traced.h) mark the cells they touch.
 *
 * Thread indexes (ix) are stable for the timeline's life.  Arrays from
 * timeline_order stay valid until the next call of any function here.
 */
#ifndef KSCOPE_TUI_TIMELINE_H
#define KSCOPE_TUI_TIMELINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/tstate.h"
#include "analyze/traced.h"
#include "store/hmap.h"
#include "store/store.h"

#define TIMELINE_ERRLEN 256

enum tl_state {
	TL_NONE,	/* not known (before the thread, after it, a hole) */
	TL_RUN,		/* on a CPU */
	TL_SYS,		/* on a CPU inside a system call */
	TL_RUNNABLE,	/* waiting for a CPU */
	TL_SLEEP,
	TL_BLOCK,	/* uninterruptible (D) */
	TL_DEAD,	/* exited */
	TL_NSTATES
};

/* One character per state, index enum tl_state; and their names. */
extern const char tl_state_chars[TL_NSTATES];
extern const char *const tl_state_names[TL_NSTATES];

struct tl_iv {
	uint64_t ts, end;	/* [ts, end); dead: end = ts */
	uint64_t on_before;	/* the thread's time on a CPU before it */
	uint32_t cpu;
	uint8_t state;		/* enum tl_state */
};

struct tl_thread {
	uint32_t tid;
	int64_t pid;		/* -1: unknown */
	char comm[32];		/* "" unknown */
	struct tl_iv *iv;	/* in ts order */
	size_t n, cap;
	uint64_t on_ns;		/* on CPU in the last ordered window */
};

struct tl_run {			/* a thread on a CPU */
	uint64_t ts, end;
	uint32_t tid;
};

struct tl_cpu {
	struct tl_run *run;	/* in ts order */
	size_t n, cap;
};

struct tl_cell {
	uint8_t state;		/* enum tl_state */
	uint8_t lost;		/* a hole touches it */
	uint32_t cpu;		/* running: where (most of the cell) */
};

enum tl_cpu_kind { TLC_NONE, TLC_IDLE, TLC_TASK };

struct tl_cpucell {
	uint8_t kind;		/* enum tl_cpu_kind */
	uint8_t lost;
	uint32_t tid;		/* TLC_TASK: who ran longest */
};

struct timeline {
	uint64_t from, to;	/* computed over [from, to] */
	struct tl_thread *th;
	size_t nth, capth;
	struct tl_cpu *cpu;
	unsigned ncpu;
	int partial;		/* states still coming */
	int joined;		/* the states are the engine's */
	uint64_t read_to;	/* while partial: read up to here */
	double fraction;

	/* private */
	struct tstate *ts;	/* NULL once done */
	struct traced tr;	/* holes and edges, taken from the engine */
	struct hmap tidix;	/* tid -> th index */
	size_t nraw_seen;
	size_t sys_at;		/* the engine's intervals marked TL_SYS */
	/* the join and the intervals it gives, made in a thread: the
	 * screen keeps the first picture meanwhile */
	struct timeline *next;
	pthread_t worker;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int working, worked, wrc;
	int abandoned;		/* freed while working: the worker frees */
	uint32_t *order;
	size_t norder, caporder;
	char errmsg[TIMELINE_ERRLEN];
};

/* A timeline of [FROM, TO] of ST (borrowed: it must outlive it), nothing
 * computed yet.  NULL with ERR (TIMELINE_ERRLEN) on failure. */
struct timeline *timeline_new(struct store *st, uint64_t from, uint64_t to,
			      char *err);
void timeline_free(struct timeline *tl);
/* Compute for about BUDGET_NS: 1 more to do, 0 done, -errno (errmsg). */
int timeline_step(struct timeline *tl, uint64_t budget_ns);
const char *timeline_errmsg(const struct timeline *tl);

/* The threads with a known state in [WF, WT], as indexes into tl->th in
 * strip order: processes by their threads' on-CPU time there, busiest
 * first, each process's threads together, busiest first.  *ORDER valid
 * to the next call. */
size_t timeline_order(struct timeline *tl, uint64_t wf, uint64_t wt,
		      const uint32_t **order);
/* Thread IX's N cells over [WF, WT]. */
void timeline_cells(struct timeline *tl, uint32_t ix, uint64_t wf,
		    uint64_t wt, struct tl_cell *cells, int n);
/* CPU's N cells over [WF, WT]. */
void timeline_cpu_cells(struct timeline *tl, unsigned cpu, uint64_t wf,
			uint64_t wt, struct tl_cpucell *cells, int n);
/* Whether a hole touches [A, B). */
int timeline_lost(const struct timeline *tl, uint64_t a, uint64_t b);
/* Thread IX's interval that covers TS, or NULL (not known there). */
const struct tl_iv *timeline_iv_at(struct timeline *tl, uint32_t ix,
				   uint64_t ts);
/* The first time after TS (DIR > 0) or the last before it (DIR < 0)
 * where thread IX's state changes, in *AT; 0 when there is none. */
int timeline_change(struct timeline *tl, uint32_t ix, uint64_t ts, int dir,
		    uint64_t *at);
/* The index of thread TID, or -1. */
long timeline_find(const struct timeline *tl, uint32_t tid);
/* Thread IX's intervals in ts order, *N of them. */
const struct tl_iv *timeline_ivs(struct timeline *tl, uint32_t ix,
				 size_t *n);

#endif
