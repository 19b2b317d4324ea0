/*
 * fold_sched.h - CPU time, off-CPU time and CPU busy: one streaming state
 * machine over sched_switch, used by `report cpu`, `report offcpu` and
 * the TUI (processes, threads, the Overview's CPU rows).
 *
 *     struct fold_sched s;
 *     fold_sched_init(&s, &traced, from, to, busy_fn, arg);
 *     fold_add(d, EV_SWITCH, FOLD_SCHED_FIELDS, fold_sched_batch,
 *              fold_sched_slice, &s);
 *     fold_run(d);                 // or fold_step: s.th are figures so far
 *     ... s.th[i].cpu_ns, s.th[i].off_ns ...
 *     fold_sched_free(&s);
 *
 * The switches of a slice are buffered, sorted by (ts, scan order) and
 * run through the machine, whose state (who runs on each CPU since when,
 * each thread's open off-CPU period) carries over to the next slice; at
 * the window's end (the slice that ends past TO) the tasks still running
 * run to it and the periods still open end there.  So folding the window
 * slice by slice gives exactly the figures of one pass over it.
 *
 * The rules are those docs/ANALYZE.md gives for `report cpu` and `report
 * offcpu`, with analyze/traced.h deciding what the trace knows:
 *   CPU: per CPU, the thread switched in last runs until the next switch
 *     there (the first switch of a CPU closes a period begun at the
 *     window's start or the first recorded switch; the last runs to the
 *     window's end or the last recorded event), counted when the thread
 *     was traced over it, less holes; partial where the trace does not
 *     see all of it.  Busy intervals (not in a hole) go to BUSY.
 *   off-CPU: from a switch-out to the next switch-in of the same thread
 *     (or the window's end), classed by prev_state, cut at the end of its
 *     tracing and at a hole on any CPU; a second switch-out before a
 *     switch-in drops the open period (its end is unknown); a dead task's
 *     switch-out opens none.
 * KEEP (the TUI's filter): a run or a period counts when the switch that
 * ends it is kept (at the window's end: the one that began it).
 *
 * Lives: with NAMES set, a tid reused within the trace counts apart in
 * each of its lives (names_life: one per threads row), a figure going to
 * the life of the switch that ends it (at the window's end: the one that
 * began it), so each life's time goes to its own process.  A period still
 * open in an earlier life when a later one switches is dropped: the end
 * of a life and the start of the next are no wait of either.
 */
#ifndef KSCOPE_FOLD_SCHED_H
#define KSCOPE_FOLD_SCHED_H

#include <stdint.h>

#include "analyze/fold/fold.h"
#include "analyze/report/report_int.h"
#include "analyze/traced.h"

struct names;

enum { FOLD_OFF_PREEMPTED, FOLD_OFF_SLEEPING, FOLD_OFF_BLOCKED,
       FOLD_OFF_OTHER, FOLD_OFF_N };

/* One thread's figures. */
struct fold_sched_thread {
	uint32_t tid;
	uint64_t life;		/* names_life of tid; tid without NAMES */
	uint64_t cpu_ns;
	uint64_t switches_in;
	int cpu_partial;	/* the trace does not see all its CPU time */
	int cpu_seen;		/* the CPU part has a row for it */
	uint64_t off_ns, off_cls[FOLD_OFF_N];
	uint64_t switches_out;	/* off-CPU periods counted */
	int off_partial;	/* a period cut where the trace stops knowing */
};

/* An off-CPU period, kept when asked (report offcpu's by_syscall). */
struct fold_off_period {
	uint64_t out, in;
	uint32_t tid;
	uint64_t life;
	int32_t nr;	/* -1: not in a known syscall (filled by the caller) */
	int cls;
	int partial;
};

typedef void fold_busy_fn(void *arg, uint32_t cpu, uint64_t a, uint64_t b);

enum fold_iv_kind {
	FOLD_IV_RUN,	/* on CPU over [a, b) */
	FOLD_IV_OFF,	/* off CPU over [a, b), class cls */
	FOLD_IV_DEAD,	/* its last switch-out, at a (= b) */
	FOLD_IV_IN,	/* switched in at a (= b), no period seen open */
};
#define FOLD_IV_START 1	/* the interval began before a: a is not its start */
#define FOLD_IV_END 2	/* it went on past b, or b is where knowing stops */

struct fold_iv {
	uint64_t a, b;
	uint64_t life;
	uint32_t tid, cpu;	/* off: the CPU it left */
	uint32_t stack_id;	/* off: its switch-out's; 0 none */
	int kind, cls;		/* cls: FOLD_OFF_* of an off period */
	unsigned edges;		/* FOLD_IV_START | FOLD_IV_END */
};
typedef int fold_iv_fn(void *arg, const struct fold_iv *iv);
typedef int fold_life_fn(void *arg, uint64_t life);

struct fold_sched_sw {
	uint64_t ts;
	int64_t state;
	uint32_t cpu, prev, next, seq;
	uint32_t stack_id;
	uint8_t keep;
};

struct fold_open {	/* a thread's open off-CPU period */
	uint64_t out;
	uint32_t cpu, stack_id;	/* of the switch-out */
	int cls;
	uint8_t keep;	/* the switch-out that opened it was kept */
	uint8_t open;
};

struct fold_sched {
	const struct traced *tr;
	uint64_t from, to;	/* the window, inclusive */
	uint64_t kfrom, kto;	/* where switches are known */
	int edge_from, edge_to;
	fold_busy_fn *busy;	/* may be NULL */
	void *busy_arg;
	const struct names *names;	/* the tids' lives; NULL: one each */
	fold_life_fn *off_ok;	/* off-CPU only for these lives; NULL: all */
	void *off_arg;
	int keep_periods;	/* fill periods */
	int no_cpu, no_off;	/* leave out the CPU part, the off-CPU part */
	fold_iv_fn *iv;		/* each interval closed; NULL: none */
	void *iv_arg;

	struct fold_sched_thread *th;	/* the figures, by first sight */
	size_t nth, capth;
	struct hmap thix;		/* life -> th index */
	struct fold_open *open;		/* by th index */
	size_t capopen;
	struct fold_off_period *periods;
	size_t nperiods, capperiods;

	/* per CPU: the task put there (-1: no switch seen yet), since when,
	 * and whether the switch that put it there was kept */
	int32_t *cur;
	uint64_t *since;
	uint8_t *cur_keep;
	uint32_t ncpu;

	struct hmap others_cpu;	/* untraced tids seen (cpu) */
	struct hmap others_off;	/* ... switched out (offcpu) */
	uint64_t dropped, exited;	/* off-CPU periods left out */
	uint64_t switches;		/* switches folded */
	int done;

	struct fold_sched_sw *sw;	/* the slice's switches */
	size_t nsw, capsw;
};

/* The store_scan fields of sched_switch the machine reads. */
#define FOLD_SCHED_FIELDS (EVM(EVI_SWITCH_CPU) | EVM(EVI_SWITCH_PREV_TID) | \
			   EVM(EVI_SWITCH_PREV_STATE) | \
			   EVM(EVI_SWITCH_NEXT_TID))

/* Fold the switches of [FROM, TO] with the tracing facts TR (borrowed,
 * loaded by the caller).  BUSY (may be NULL) gets each busy interval of a
 * CPU. */
void fold_sched_init(struct fold_sched *s, const struct traced *tr,
		    uint64_t from, uint64_t to, fold_busy_fn *busy,
		    void *busy_arg);
int fold_sched_batch(void *s, const struct store_batch *b,
		     const uint8_t *keep);
int fold_sched_slice(void *s, uint64_t lo, uint64_t hi);
void fold_sched_free(struct fold_sched *s);

/* The class (FOLD_OFF_*) of a switch-out with prev_state ST: 0 is
 * preempted (still runnable), bit 2 (TASK_UNINTERRUPTIBLE) blocked, bit 1
 * (TASK_INTERRUPTIBLE) sleeping, anything else other. */
int fold_sched_state_class(int64_t st);

/* Whether every interval that began at or before T has been handed to
 * IV: no CPU runs a task switched in by then (nor one whose switch-in is
 * not known), no off-CPU period open since then. */
int fold_sched_settled(const struct fold_sched *s, uint64_t t);

/* The figures of the life LIFE (a tid without NAMES), or NULL. */
const struct fold_sched_thread *fold_sched_find(const struct fold_sched *s,
						uint64_t life);

#endif
