/*
 * runqlat.h - run queue latency: from the moment a tid becomes runnable
 * (a wakeup, a preemption) to the next switch that puts it on a CPU, per
 * thread and for the window, with a log2 histogram in microseconds.  The
 * engine of `kscope report runqlat` and of the TUI's Run queue view.
 *
 *     struct fold_runqlat q;
 *     fold_runqlat_init(&q, &traced, &names, to);
 *     fold_add(d, EV_WAKEUP, FOLD_RUNQLAT_WAKE_FIELDS, fold_runqlat_wake,
 *              NULL, &q);
 *     fold_add(d, EV_SWITCH, FOLD_RUNQLAT_SWITCH_FIELDS,
 *              fold_runqlat_switch, fold_runqlat_slice, &q);
 *     fold_run(d);
 *     ... q.th[0..nth): tid, waits, total_ns, max_ns, hist ...
 *     uint64_t p99 = fold_runqlat_pct(&q, 99);
 *     fold_runqlat_free(&q);
 *
 * The rule (BCC's runqlat and Perfetto's thread_state see waits so): a
 * wait starts at a wakeup of a tid that is not running, or at a switch
 * that puts it off a CPU still runnable (preempted: prev_state 0,
 * fold_sched_state_class); the next switch with next_tid = tid ends it.
 * A tid runs from a switch-in to its next switch-out: a wakeup while it
 * runs (it was woken after set_current_state, before schedule, so it
 * never slept) starts nothing, and a switch-out asleep (S, D, or dead)
 * ends the run with no wait pending until its next wakeup.  A second
 * wakeup before the thread runs keeps the first start.  A tid first seen
 * by a wakeup is taken as off (its next switch says: a switch-out means
 * it ran, and the wait is dropped).  On equal ts wakeups come first;
 * rows of a kind with equal ts keep the order the store gives them.
 *
 * What the trace does not see is not guessed: a wakeup of a running tid
 * with a hole of lost sched events since its switch-in (its switch-out
 * may be lost there) starts a wait of unknown start, which is left out
 * as holed; so is a wait that overlaps a hole on any CPU (the switch-in
 * may be lost there): both counted in HOLED.  A wait whose thread is not
 * traced at the switch-in (traced.h), or that OK (when set) turns down,
 * is left out - the life it gets is the tid's at TO (names_life).  Every
 * row, whatever the fold's filter keeps, moves the states; a wait counts
 * when the switch-in that ends it is kept.  The slice's rows are buffered
 * and merged in ts order at its end (fold.h), so
 * folding slice by slice equals folding the window whole.
 */
#ifndef KSCOPE_FOLD_RUNQLAT_H
#define KSCOPE_FOLD_RUNQLAT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/names.h"
#include "analyze/traced.h"
#include "store/hmap.h"
#include "store/store.h"

#define FOLD_RUNQLAT_WAKE_FIELDS (EVM(EVI_WAKEUP_TS) | EVM(EVI_WAKEUP_TID))
#define FOLD_RUNQLAT_SWITCH_FIELDS \
	(EVM(EVI_SWITCH_TS) | EVM(EVI_SWITCH_PREV_TID) | \
	 EVM(EVI_SWITCH_PREV_STATE) | EVM(EVI_SWITCH_NEXT_TID))
#define FOLD_RUNQLAT_BUCKETS 64	/* sqlfn_log2_bucket of the wait in us */

struct fold_runqlat_thread {
	uint32_t tid;
	uint64_t waits, total_ns, max_ns;
	uint64_t max_ts;	/* the switch-in that ended the longest */
	uint32_t hist[FOLD_RUNQLAT_BUCKETS];
};

struct fold_runqlat_ev {	/* a wakeup or a switch of the slice */
	uint64_t ts;
	int64_t state;		/* a switch's prev_state */
	uint32_t tid;		/* woken, or switched in (next_tid) */
	uint32_t prev;		/* a switch's prev_tid */
	uint32_t seq;
	uint8_t keep;		/* the fold's filter kept the row */
};

struct fold_runqlat_tid {	/* one tid's state */
	uint64_t pend;		/* the start of its wait, or UINT64_MAX */
	uint64_t in;		/* running: its switch-in; or UINT64_MAX */
};

struct fold_runqlat {
	const struct traced *tr;
	const struct names *names;
	uint64_t to;
	int (*ok)(void *arg, uint64_t life);	/* NULL: every thread */
	void *ok_arg;

	struct fold_runqlat_ev *wk, *sw;	/* the slice's rows */
	size_t nwk, capwk, nsw, capsw;
	struct fold_runqlat_tid *st;	/* per tid (stix) */
	size_t nst, capst;
	struct hmap stix;	/* tid -> index in st */

	struct fold_runqlat_thread *th;
	size_t nth, capth;
	struct hmap thix;	/* tid -> index in th */
	uint64_t *lat;		/* every wait, ns (sorted by _pct) */
	size_t nlat, caplat;
	int lat_sorted;
	uint64_t hist[FOLD_RUNQLAT_BUCKETS];
	uint64_t total_ns, max_ns;
	uint64_t wakeups;	/* wakeup rows read */
	uint64_t holed;		/* waits left out: a hole */
};

/* Over the tracing TR and NAMES (borrowed) of a window ending at TO.
 * 0 (an int for the accumulators' common shape). */
int fold_runqlat_init(struct fold_runqlat *q, const struct traced *tr,
		      const struct names *names, uint64_t to);
int fold_runqlat_wake(void *q, const struct store_batch *b,
		      const uint8_t *keep);
int fold_runqlat_switch(void *q, const struct store_batch *b,
			const uint8_t *keep);
int fold_runqlat_slice(void *q, uint64_t lo, uint64_t hi);
/* Percentile P (0..100) of the waits so far, ns (0 when none): the
 * report's rule, lat[ceil(P / 100 * n) - 1] of the sorted waits. */
uint64_t fold_runqlat_pct(struct fold_runqlat *q, double p);
const struct fold_runqlat_thread *
fold_runqlat_find(const struct fold_runqlat *q, uint32_t tid);
void fold_runqlat_free(struct fold_runqlat *q);
/* Add FROM's window figures to Q (several traces as one): the histogram,
 * every wait (for the percentiles), totals, maximum, wakeups and holed
 * waits.  Per-thread rows stay FROM's (a tid is one trace's).  0 or
 * -ENOMEM. */
int fold_runqlat_merge(struct fold_runqlat *q, const struct fold_runqlat *from);

#endif
