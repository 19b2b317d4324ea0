/*
 * draw.h - colour pairs and the text helper draw.c paints with.
 *
 *     draw_colors_init(mono);      // after initscr
 *     tui_draw(&t);                // tui.h
 */
#ifndef KSCOPE_TUI_DRAW_H
#define KSCOPE_TUI_DRAW_H

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

#endif
