/*
 * tstate.h - thread states: per thread, the contiguous intervals of a
 * window in which it was running, runnable, sleeping, blocked or dead,
 * each with the syscall it was in, the kernel function it blocked in and
 * what woke it.  The engine of SQL `thread_state` and `report why`.
 *
 *     struct tstate *t = tstate_new(st, from, to, err);   // TSTATE_ERRLEN
 *     if (!t || tstate_run(t) < 0) ...          // message: tstate_errmsg
 *     // or in steps (a browser): tstate_start(t), then
 *     // while ((rc = tstate_step(t, 10 * 1000000)) > 0) show(t);
 *     for (size_t i = 0; i < t->n; i++)         // by (tid, ts)
 *             use(&t->iv[i], tstate_str(t, t->iv[i].fd_name));
 *     const struct tstate_iv *v = tstate_at(t, tid, ts);  // covering ts
 *     tstate_free(t);
 *
 * How: the window's sched_switch rows go through the scheduler machine
 * of fold_sched.h, which hands over each run on a CPU and each off-CPU
 * period (from a switch-out to the next switch-in) with what the trace
 * does not know of its ends.  A period begun preempted (prev_state 0) is
 * runnable throughout.  A sleep (S, or any other state but D) or a block
 * (D) ends at the first sched_wakeup of the thread in it: that wakeup is
 * the sleep's waker (waker_tid, waker_ctx, waker_irq), and the rest of
 * the period, up to the switch-in, is runnable (woken, waiting for a
 * CPU).  A sleep without a wakeup recorded stays whole, its waker NULL.
 * A switch-in that ends no period the machine saw begin (the window began
 * while the thread was off) gives the runnable interval from the first
 * wakeup of the thread seen in the window, when there is one; the time
 * before that is not known and has no interval.  A dead task's final
 * switch-out is a `dead` interval of no duration.
 *
 * With UNTIL set, the fold stops once every interval beginning by then
 * is complete: no CPU runs a task switched in by then, no off-CPU
 * period is open since then, and every thread woken by then that had no
 * interval yet has one (fold_sched_settled, and the wakeups).
 *
 * Every interval of the thread's time that the trace cannot see whole is
 * cut where knowing stops (the window's and the trace's edges, a hole of
 * lost sched events, the end of the thread's tracing) and marked partial
 * (TSTATE_START: began earlier, TSTATE_END: went on later).
 *
 * syscall and fd_name: the call of the thread (syscalls row, read from
 * the trace's start so that calls begun before the window count, or
 * from sys_from when set) whose
 * [ts, ts + dur] covers the whole interval (a call still running at the
 * end covers all after its start).  blocked_in: the innermost frame of
 * the switch-out's kernel stack (stacks row of its stack_id) that is not
 * scheduler or wait plumbing (tstate_frame_plumbing: the one list).
 */
#ifndef KSCOPE_TSTATE_H
#define KSCOPE_TSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/fold.h"
#include "analyze/fold/fold_sched.h"
#include "analyze/names.h"
#include "analyze/report/report_int.h"
#include "analyze/traced.h"
#include "store/store.h"

#define TSTATE_ERRLEN 256

enum tstate_state {
	TSTATE_RUNNING, TSTATE_RUNNABLE, TSTATE_SLEEPING, TSTATE_BLOCKED,
	TSTATE_DEAD, TSTATE_NSTATES
};

#define TSTATE_START 1	/* began before ts: ts is where knowing starts */
#define TSTATE_END 2	/* went on after ts + dur */

struct tstate_iv {
	uint64_t ts, dur;
	uint64_t life;		/* names_life of tid at ts */
	uint32_t tid, cpu;	/* running: where; off: the CPU it left;
				 * woken: the wakeup's target CPU */
	uint32_t stack_id;	/* sleeping/blocked: its stack; 0 none */
	uint32_t waker_tid;	/* sleeping/blocked: the wakeup's */
	uint64_t wake_ts;	/* that wakeup's ts = ts + dur; 0: none */
	int32_t nr;		/* the syscall it was in; -1 none */
	uint32_t fd_name;	/* string ids (tstate_str); 0 = NULL */
	uint32_t blocked_in;
	uint32_t waker_irq;
	uint8_t state;		/* enum tstate_state */
	uint8_t waker_ctx;	/* enum ev_waker_ctx; 0 none or unknown */
	uint8_t partial;	/* TSTATE_START | TSTATE_END */
};

struct tstate {
	struct tstate_iv *iv;	/* sorted by (tid, ts) after tstate_run */
	size_t n;
	uint64_t from, to;	/* the window, inclusive */
	int bare;		/* set before tstate_run: states and wakers
				 * only (no syscall, fd_name, blocked_in) */
	int no_stacks;		/* set before tstate_run: no blocked_in */
	uint64_t until;		/* set before tstate_run: only intervals
				 * that begin at or before it are needed
				 * (others may be missing); UINT64_MAX:
				 * all (the default) */
	uint64_t sys_from;	/* set before tstate_run: calls begun before
				 * it are not read (an interval only such a
				 * call covers has none); 0: from the
				 * trace's start (the default) */
	struct names names;	/* tables, and the switches' comms */
	struct traced tr;

	/* private */
	struct store *st;
	size_t cap;
	struct report_strtab strs;
	struct tstate_wake *wk;
	size_t nwk, capwk;
	struct tstate_run {	/* one tid's intervals: iv[first..end) */
		uint32_t first, end;
	} *runs;
	size_t nruns, capruns;
	struct hmap tidix;	/* tid -> index in runs */
	struct hmap seen;	/* with until: tid -> 1 seen in an interval,
				 * 0 woken by until and not seen yet */
	size_t nunseen;
	int phase;		/* tstate_step's: fold, join, syscalls ... */
	struct fold *fold;
	struct fold_sched fs;
	struct fold_iv *raw;	/* the fold's intervals, before the join */
	size_t nraw, capraw;
	uint64_t sys_at, sys_end;	/* the syscalls scan: next piece */
	char errmsg[TSTATE_ERRLEN];
};

/* The states' names ("running" ...), index enum tstate_state. */
extern const char *const tstate_names[TSTATE_NSTATES];

/* An engine over the window [FROM, TO] of ST (borrowed: it must outlive
 * the engine), names and tracing facts loaded.  NULL with ERR on
 * failure. */
struct tstate *tstate_new(struct store *st, uint64_t from, uint64_t to,
			  char *err);
/* Compute the intervals.  0 or -errno (tstate_errmsg). */
int tstate_run(struct tstate *t);
/* The same in steps: tstate_start once (0 or -errno), then tstate_step
 * until it returns 0 (done: as after tstate_run) or -errno, each step
 * working for about BUDGET_NS (the sort and join of the fold's
 * intervals, done once between the fold and the syscalls, in one step
 * whatever the budget).  t->iv is there once tstate_joined. */
int tstate_start(struct tstate *t);
int tstate_step(struct tstate *t, uint64_t budget_ns);
int tstate_joined(const struct tstate *t);
/* Whether the next step is the join: it touches no trace, only the
 * engine's memory, so a caller may run that step in a thread of its own
 * (nothing else may use the engine meanwhile). */
int tstate_folded(const struct tstate *t);
/* Share of the work done, 0..1 (1 when done). */
double tstate_fraction(const struct tstate *t);
/* Before tstate_joined: the fold's intervals closed so far (*N of them,
 * in no order): runs, and off-CPU periods whole (not yet cut at their
 * wakeups), for a first picture; and the time up to which the window
 * has been read. */
const struct fold_iv *tstate_raw(const struct tstate *t, size_t *n,
				 uint64_t *read_to);
void tstate_free(struct tstate *t);
const char *tstate_errmsg(const struct tstate *t);

/* Of life LIFE's intervals: the time asleep or blocked until its
 * wakeup (or the period's end when none was seen) in *WAITING, and the
 * time runnable from such a wakeup to the switch-in in *WOKEN: perf sched
 * timehist's wait time and scheduling delay. */
void tstate_wait_split(const struct tstate *t, uint64_t life,
		       uint64_t *waiting, uint64_t *woken);
/* String ID's text, or NULL for 0. */
const char *tstate_str(const struct tstate *t, uint32_t id);
/* The name of waker_ctx CTX ("task", "hardirq" ...), NULL for 0. */
const char *tstate_ctx_name(unsigned ctx);
/* The pid and comm of interval V's thread (-1 / NULL: unknown). */
int64_t tstate_pid(const struct tstate *t, const struct tstate_iv *v);
const char *tstate_comm(const struct tstate *t, const struct tstate_iv *v);
/* The name of waker TID at TS, NULL when unknown or 0. */
const char *tstate_tid_comm(const struct tstate *t, uint32_t tid,
			    uint64_t ts);

/* The intervals of TID: *N of them from the returned one, in ts order
 * (NULL, 0: none). */
const struct tstate_iv *tstate_thread(const struct tstate *t, uint32_t tid,
				      size_t *n);
/* TID's last interval with ts <= TS, or NULL. */
const struct tstate_iv *tstate_last(const struct tstate *t, uint32_t tid,
				    uint64_t ts);
/* TID's interval with ts <= TS < ts + dur (or ts = TS), or NULL. */
const struct tstate_iv *tstate_at(const struct tstate *t, uint32_t tid,
				  uint64_t ts);

/*
 * The critical path (`report why`, the TUI's why pane): from a sleep or
 * block, what woke it; when a task, that task's own wait before it ran
 * the wakeup (its last sleep or block before the run during which it
 * woke the thread, stepping back over runnable time), and so on, until
 * an interrupt, a task running all along, or a waker not known.
 */

/* The wait (sleeping or blocked) of task TID that it ended before it ran
 * at TS, stepping back from its run at TS over runnable time; NULL when
 * it was running all along in the window (or is not known there). */
const struct tstate_iv *tstate_wait_before(const struct tstate *t,
					   uint32_t tid, uint64_t ts);
/* One hop from wait V: the waker's own wait in *NEXT and NULL, or *NEXT
 * NULL and why the path ends at V: "not woken in the window", "a timer"
 * (an interrupt named hrtimer, TIMER or HRTIMER), "an interrupt",
 * "waker not known", "a running task" (tstate_wait_before found none). */
const char *tstate_path_next(const struct tstate *t,
			     const struct tstate_iv *v,
			     const struct tstate_iv **next);

/* Whether kernel function NAME (a frame of a stacks row, maybe with a
 * compiler suffix such as ".constprop.0") is scheduler or wait plumbing
 * rather than where a thread blocked. */
int tstate_frame_plumbing(const char *name, size_t len);
/* The innermost frame of FRAMES (outermost first, ';'-separated) that is
 * not plumbing nor an unknown address, as *AT and *LEN; 0 when none. */
int tstate_blocked_in(const char *frames, const char **at, size_t *len);

#endif
