/*
 * runq.h - time runnable (waiting for a CPU) per thread, from the off-CPU
 * periods the scheduler state machine (fold_sched.h) hands over and the
 * wakeups: what the summary's "runnable" shows.
 *
 *     struct fold_sched fs;  struct fold_runq q;
 *     fold_sched_init(&fs, &traced, from, to, NULL, NULL);
 *     fs.no_cpu = 1;
 *     fold_runq_init(&q, &fs);          // takes fs's interval hook
 *     fold_add(d, EV_WAKEUP, FOLD_RUNQ_FIELDS, fold_runq_batch,
 *              fold_runq_slice, &q);    // before fold_sched's
 *     fold_add(d, EV_SWITCH, FOLD_SCHED_FIELDS, fold_sched_batch,
 *              fold_sched_slice, &fs);
 *     fold_run(d);
 *     fold_runq_finish(&q);             // q.th[i]: tid, life, runnable_ns
 *     fold_runq_free(&q);  fold_sched_free(&fs);
 *
 * The rule is thread_state's (tstate.h): an off-CPU period of fold_sched
 * begun preempted is runnable throughout; a sleep is runnable from the
 * first wakeup of its tid in it to the switch-in (none seen: not at all);
 * a switch-in that ends no period the machine saw begin is runnable from
 * the first wakeup of its tid seen in the window.  The periods are
 * fold_sched's, cut where it cuts them (holes, the end of tracing, the
 * window's end): no second state machine.  The wakeups of a slice are
 * queued per tid, in ts order, before the machine closes the slice's
 * periods (so fold_runq_slice must be registered first); a period takes
 * and drops the queue's wakeups up to its end.
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
	uint32_t tid, seq;
};

struct fold_runq_queue {	/* one tid's wakeups not yet taken */
	uint64_t *ts;
	size_t head, n, cap;	/* ts[head..n) */
};

struct fold_runq {
	struct fold_runq_wake *sl;	/* the slice's wakeups */
	size_t nsl, capsl;
	struct fold_runq_queue *qs;
	size_t nqs, capqs;
	struct hmap qix;		/* tid -> index in qs */
	struct fold_runq_thread *th;	/* after finish: by runnable_ns */
	size_t nth, capth;
	struct hmap thix;		/* life -> index in th */
};

/* Take FS's interval hook (fs->iv).  0 (an int for the accumulators'
 * common shape). */
int fold_runq_init(struct fold_runq *q, struct fold_sched *fs);
/* The wakeups (kept rows) of a slice; the slice's end queues them. */
int fold_runq_batch(void *q, const struct store_batch *b,
		    const uint8_t *keep);
int fold_runq_slice(void *q, uint64_t lo, uint64_t hi);
/* Sort the threads, most runnable first. */
void fold_runq_finish(struct fold_runq *q);
void fold_runq_free(struct fold_runq *q);

#endif
