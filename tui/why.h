/*
 * why.h - the why pane: why a thread was not running at a time, and the
 * critical path behind it, as lines of text.  No curses here: draw_why.c
 * paints the lines, tests read them.
 *
 *     model_why_open(m, tid, ts);          // the pane on TID at TS
 *     model_why_selected(m);               // ... on the selected row
 *     const struct why_hop *h = model_why(m);      // NULL: closed
 *     for (size_t i = h->top; i < h->n; i++)
 *             show(h->lines[i].label, h->lines[i].text);
 *     model_why_follow(m);                 // to the waker's own wait
 *     model_why_back(m);                   // a hop back; closes at the first
 *     while (model_why_work(m, 0) > 0)     // the loop, with model_work
 *             ...;
 *
 * The figures are the thread-state engine's (analyze/fold/tstate.h), as
 * SQL thread_state and `report why` compute them.  The wait the pane
 * explains: TID's interval at TS when it was sleeping or blocked then;
 * otherwise (running, runnable, exited, not known at TS) its last sleep
 * or block that began before TS, stepping back over running and
 * runnable time ("why was it waiting before this?"), and the line "at"
 * says what it was doing at TS.  Shown of that wait: the thread (comm,
 * tid, pid), its state, start and duration (partial ones marked), the
 * syscall it was in and what the call's fd referred to (fd_name), the
 * kernel function it blocked in and the whole kernel stack (innermost
 * frame first), what woke it (a task, or an interrupt with its name) and
 * the time it then waited for a CPU; and for a task waker, what the
 * waker was doing at the wakeup and its own wait before it.  What the
 * trace does not know is left out, never guessed.
 *
 * Following (model_why_follow) takes the waker's own wait exactly as the
 * critical path of `report why` does (tstate_path_next): the waker's
 * last sleep or block before the run in which it woke the thread; the
 * path ends at an interrupt, a task running all along, or a waker not
 * known.  Each hop is a pane of its own on a stack of WHY_MAX_HOPS;
 * model_why_back pops one, and closes the pane after the first.
 *
 * The window: the engine folds 64 ms either side of TS, and doubles the
 * side where what the pane needs is cut by the window (a wait begun
 * before it or not ended in it, the waker's run and wait before the
 * wakeup) until the trace's edges; a thread (or waker) running without
 * a wait is looked for back to 1 s before TS only, and the pane says
 * so.  It reads the calls begun in the
 * window only, which is exact when a wait shown is in one of them, or
 * its thread began a call between the window's start and the wait (a
 * thread's calls do not overlap); else it folds once more with the
 * calls from the trace's start.  A pane costs a fold of about twice
 * the window it needs.
 *
 * The folds run in the background (tui/bgstates.h: a worker thread on a
 * connection of its own): opening and following answer at once with a
 * hop that is computing (its thread and "computing..."), whose lines
 * arrive in model_why_work, which model_work calls.  A follow asked for
 * meanwhile is done once the lines are there; back (Esc) on a hop that
 * is computing stops its fold, without waiting for it to end (it is
 * freed in model_why_work once it has, or joined by model_why_close).  A fold that fails, or a wait to explain
 * that is not found, drops the hop (closing the pane after the first),
 * the reason in the status line.
 */
#ifndef KSCOPE_TUI_WHY_H
#define KSCOPE_TUI_WHY_H

#include <stddef.h>
#include <stdint.h>

struct model;
struct why_job;

#define WHY_MAX_HOPS 32

enum why_kind {
	WHY_FIELD,	/* label and value */
	WHY_NOTE,	/* a hint or a caveat */
	WHY_FRAME,	/* a stack frame */
	WHY_FRAME_PLUMB, /* ... of scheduler or wait plumbing */
	WHY_FRAME_AT,	/* ... where it blocked (blocked_in) */
};

struct why_line {
	enum why_kind kind;
	const char *label;	/* static; "" on continuation lines */
	char *text;		/* owned */
};

/* One pane: the wait of a thread and where the critical path goes. */
struct why_hop {
	uint32_t tid;
	uint64_t at;		/* the time asked about */
	char name[48];		/* "worker/4001" */
	struct why_line *lines;
	size_t n, cap;
	size_t top;		/* the first line shown */
	int computing;		/* the lines are not there yet */
	/* the wait shown; found 0: none */
	int found;
	int state;		/* enum tstate_state */
	uint64_t wait_ts, wait_dur;
	/* where following goes: the waker's wait at (next_tid, next_ts);
	 * next_tid 0: the path ends here, END says why ("": no wait) */
	uint32_t next_tid;
	uint64_t next_ts;
	char end[128];
};

struct why {
	struct why_hop hop[WHY_MAX_HOPS];
	int n;			/* hops on the path; hop[n - 1] is shown */
	struct why_job *job;	/* the folds of hop[n - 1] while computing */
};

/* Open the pane on TID at TS (a new path), computing.  0, or -errno with
 * the reason in the status line (the pane as it was). */
int model_why_open(struct model *m, uint32_t tid, uint64_t ts);
/* Open it on the current frame's selected row.  Events: a system call's
 * longest wait inside the call ("why was it slow?"; when it did not wait,
 * as other events); another event's thread (the woken one of a wakeup,
 * the acting one otherwise) at the event's ts.  Threads: the thread's
 * longest wait overlapping the window (the first wait of `report why`'s
 * critical path, the states computed from the trace's start).  0 or
 * -errno (status). */
int model_why_selected(struct model *m);
/* Follow the critical path: a new hop on the waker's own wait (while
 * the hop shown is computing: once it is done).  0, or -ENOENT when the
 * path ends here (status says why), -errno. */
int model_why_follow(struct model *m);
/* The background folds: take what a worker computed, waiting up to
 * WAIT_NS for it, and start the next fold; free the folds stopped once
 * they are over.  1 while the hop shown is computing or a stopped fold
 * is not over, else 0. */
int model_why_work(struct model *m, uint64_t wait_ns);
/* Back a hop: 1, or 0 when that closed the pane. */
int model_why_back(struct model *m);
void model_why_close(struct model *m);
/* Scroll the pane by DELTA lines (kept within its lines). */
void model_why_scroll(struct model *m, long delta);
/* The hop shown, or NULL when the pane is closed. */
const struct why_hop *model_why(const struct model *m);

#endif
