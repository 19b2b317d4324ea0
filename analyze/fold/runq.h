/*
 * runq.h - time runnable (waiting for a CPU) per thread, from the off-CPU
 * periods of the scheduler state machine (fold_sched.h) and the wakeups:
 * what the summary's "runnable" shows.
 *
 *     struct fold_sched fs;  struct fold_runq q;
 *     fold_sched_init(&fs, &traced, from, to, NULL, NULL);
 *     fs.keep_periods = 1;  fs.no_cpu = 1;
 *     fold_runq_init(&q);
 *     fold_add(d, EV_SWITCH, FOLD_SCHED_FIELDS, fold_sched_batch,
 *              fold_sched_slice, &fs);
 *     fold_add(d, EV_WAKEUP, FOLD_RUNQ_FIELDS, fold_runq_batch, NULL, &q);
 *     fold_run(d);
 *     fold_runq_finish(&q, &fs);       // q.th[i]: tid, life, runnable_ns
 *     fold_runq_free(&q);  fold_sched_free(&fs);
 *
 * Runnable time of an off-CPU period [out, in] of fold_sched: all of it
 * when the thread was preempted (still runnable); for a sleep, from the
 * first wakeup of its tid in (out, in] to in (none seen: 0).  So this adds
 * no second state machine: the periods are fold_sched's, cut where it
 * cuts them (holes, the end of tracing, the window's end).
 */
#ifndef KSCOPE_FOLD_RUNQ_H
#define KSCOPE_FOLD_RUNQ_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/fold_sched.h"

#define FOLD_RUNQ_FIELDS (EVM(EVI_WAKEUP_TS) | EVM(EVI_WAKEUP_TID))

struct fold_runq_thread {
	uint32_t tid;
	uint64_t life;
	uint64_t runnable_ns;	/* preempted_ns + woken_ns */
	uint64_t preempted_ns;	/* runnable after a preemption */
	uint64_t woken_ns;	/* from a wakeup to running */
	uint64_t waits;		/* periods with runnable time */
	uint64_t max_ns;	/* the longest of them */
};

struct fold_runq_wake {
	uint64_t ts;
	uint32_t tid;
};

struct fold_runq {
	struct fold_runq_wake *wk;	/* the wakeups */
	size_t nwk, capwk;
	struct fold_runq_thread *th;	/* after finish: by runnable_ns */
	size_t nth, capth;
};

/* 0 (an int for the accumulators' common shape). */
int fold_runq_init(struct fold_runq *q);
/* Wakeups (kept rows), for fold_add.  0 or -ENOMEM. */
int fold_runq_batch(void *q, const struct store_batch *b,
		    const uint8_t *keep);
/* The figures, from the periods FS kept (it sorts them).  0, -ENOMEM. */
int fold_runq_finish(struct fold_runq *q, struct fold_sched *fs);
void fold_runq_free(struct fold_runq *q);

#endif
