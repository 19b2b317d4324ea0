/*
 * draw_int.h - the entry points of the files that draw a view or a panel
 * of their own (draw_sched.c) for draw.c; their text helpers are in
 * draw.h.  Not for the model or keys.
 */
#ifndef KSCOPE_TUI_DRAW_INT_H
#define KSCOPE_TUI_DRAW_INT_H

#include <curses.h>

#include "tui/draw.h"
#include "tui/tui.h"

/* draw_sched.c: the Run queue view's histogram panel, below its list:
 * the rows it takes of LIST_ROWS, and drawing it at row Y, H rows. */
int draw_runq_rows(int list_rows);
void draw_runq_hist(struct tui *t, int y, int h);
/* The Overview's calls still running at the end: the rows the block
 * takes (0 when none), and drawing it at row Y (returns the rows). */
int draw_hangs_rows(struct tui *t);
int draw_hangs(struct tui *t, int y);

#endif
