/*
 * draw.h - colour pairs and the text helpers the screen is painted with.
 *
 *     draw_colors_init(mono);      // after initscr
 *     tui_draw(&t);                // tui.h
 */
#ifndef KSCOPE_TUI_DRAW_H
#define KSCOPE_TUI_DRAW_H

#include <curses.h>

struct tui;

enum draw_pair {
	PAIR_TITLE = 1, /* title bar, tab bar */
	PAIR_TAB,       /* current tab */
	PAIR_HEADER,    /* column headers */
	PAIR_SELECT,    /* selected row */
	PAIR_STATUS,
	PAIR_ERROR,
	PAIR_GRAPH,     /* timeline bars */
	PAIR_BUSY,      /* CPU busy bars */
	PAIR_LOST,      /* lost-event marks */
	PAIR_WINDOW,    /* cursor and window selection */
	PAIR_DIM,       /* estimates and hints */
	PAIR_COUNT
};

/* Set up colour pairs unless MONO or the terminal has no colour. */
void draw_colors_init(int mono);

/* For panes drawn in files of their own: S at (Y, X) in at most W
 * columns as draw.c shows text from a trace (UTF-8 by the locale,
 * controls escaped), returning the columns used; W spaces in A from
 * (Y, X); the attribute of a role (a colour pair, or its monochrome
 * stand-in). */
int draw_text(int y, int x, int w, const char *s, attr_t a);
void draw_fill(int y, int x, int w, attr_t a);
attr_t draw_attr(enum draw_pair p);

/* draw_why.c: the why pane over the view, when it is open. */
void draw_why(struct tui *t);

/* draw_tl.c: the Timeline view from row Y0; its cells at COLS columns. */
void tui_draw_timeline(struct tui *t, int y0);
int tui_tl_width(int cols);

#endif
