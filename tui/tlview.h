/*
 * tlview.h - the Timeline view's place in the model: its data (one
 * timeline of the whole trace, timeline.h), the selected thread, the
 * strips on screen and whether CPU lanes show; and the operations its
 * keys call.  No curses.
 *
 *     struct tlview *v = model_tl(m);       // made (and started) once
 *     model_tl_work(m, budget);             // from model_work
 *     n = model_tl_order(m, &order);        // strips of the window
 *     model_tl_move(m, +1);  model_tl_change(m, +1);  model_tl_pan(m, -1);
 *
 * The selection follows the thread (its tid) when the strips' order
 * changes (another window, more states computed).
 */
#ifndef KSCOPE_TUI_TLVIEW_H
#define KSCOPE_TUI_TLVIEW_H

#include "analyze/output/output.h"
#include "tui/model.h"
#include "tui/timeline.h"

struct tlview {
	struct timeline *tl;
	uint32_t sel_tid;	/* 0: none yet */
	int64_t want_pid;	/* select its busiest thread once it has
				 * one on the strips; -1: none */
	size_t sel, top;	/* in the strips' order */
	size_t rows;		/* strips on screen (set by the drawing) */
	int cpus;		/* CPU lanes shown */
	/* the order's cache: window and how much was computed */
	uint64_t ofrom, oto;
	double ofraction;
	size_t norder;
	const uint32_t *order;
	/* the CPU lanes' cells of that window at width cw */
	struct tl_cpucell *cpucells;
	int cw;
	unsigned cncpu;
	uint64_t cfrom, cto;
	double cfraction;
};

/* The view's state, made and its computation started on first use; NULL
 * (the reason in the status line) when it cannot be. */
struct tlview *model_tl(struct model *m);
void model_tl_free(struct model *m);
/* Switch to the Timeline; from Processes or Threads, with the selected
 * thread, or the busiest thread of the selected process, selected. */
int model_tl_show(struct model *m);
/* Compute for about BUDGET_NS: 1 more to do, 0 done, -errno. */
int model_tl_work(struct model *m, uint64_t budget_ns);
/* The strips of the current window in order (timeline_order), the
 * selection kept on its thread. */
size_t model_tl_order(struct model *m, const uint32_t **order);
/* CPU's cells over the window, W of them (NULL: no memory).  Valid to
 * the next call. */
const struct tl_cpucell *model_tl_cpu_cells(struct model *m, unsigned cpu,
					    int w);
/* Select the strip DELTA below (above when negative). */
int model_tl_move(struct model *m, long delta);
/* The time cursor to the selected thread's next (DIR > 0) or previous
 * state change, the window panned to show it. */
int model_tl_change(struct model *m, int dir);
/* Pan the window by half its width, later (DIR > 0) or earlier. */
int model_tl_pan(struct model *m, int dir);
/* Show or hide the CPU lanes. */
int model_tl_cpus(struct model *m);
/* Open the why pane (why.h) on the selected thread at the time cursor. */
int model_tl_why(struct model *m);

/* print_tl.c: kscope tui --print timeline (tui_print's arguments). */
int tui_print_timeline(struct store *st, enum output_format fmt, long steps,
		       char *err, size_t errlen);

#endif
