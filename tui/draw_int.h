/*
 * draw_int.h - what draw.c shares with the files that draw a view or a
 * panel of their own (draw_sched.c): its text helpers, and their entry
 * points.  Not for the model or keys.
 */
#ifndef KSCOPE_TUI_DRAW_INT_H
#define KSCOPE_TUI_DRAW_INT_H

#include <curses.h>

#include "tui/draw.h"
#include "tui/tui.h"

/* S at (Y, X) in at most W columns, escaped as draw.c shows trace text;
 * the columns used. */
int draw_text(int y, int x, int w, const char *s, attr_t a);
/* Spaces from (Y, X) over W columns. */
void draw_fill(int y, int x, int w, attr_t a);
/* The attribute of a colour role (a monochrome stand-in without colour). */
attr_t draw_role(enum draw_pair p);

/* draw_sched.c: the Run queue view's histogram panel, below its list:
 * the rows it takes of LIST_ROWS, and drawing it at row Y, H rows. */
int draw_runq_rows(int list_rows);
void draw_runq_hist(struct tui *t, int y, int h);
/* The Overview's calls still running at the end: the rows the block
 * takes (0 when none), and drawing it at row Y (returns the rows). */
int draw_hangs_rows(struct tui *t);
int draw_hangs(struct tui *t, int y);

#endif
