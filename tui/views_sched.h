/*
 * views_sched.h - the Run queue, who ran instead and Signals views
 * (views_sched.c), entries of the view table (views.c), and what their
 * drawing (draw_sched.c) and --print (print.c) read.
 */
#ifndef KSCOPE_TUI_VIEWS_SCHED_H
#define KSCOPE_TUI_VIEWS_SCHED_H

#include "tui/model.h"

extern const struct view view_runq, view_instead, view_signals;

/* The run queue latency of source row ROW of the Run queue view, or NULL
 * (no aggregate, no such row). */
const struct fold_runqlat_thread *views_runq_thread(struct model *m,
						   size_t row);

#endif
