/*
 * tui.h - the browser's screen-side state, shared by keys.c, draw.c and
 * cmd_tui.c.  The model (model.h) holds everything about the trace; this
 * holds what is about the terminal: an open prompt, the help overlay,
 * colours, the screen size and the timing log.
 *
 *     struct tui t = { .m = model };
 *     int r = tui_key_handle(&t, getch());   // keys.c: TUI_REDRAW | TUI_QUIT
 *     tui_draw(&t);                          // draw.c
 */
#ifndef KSCOPE_TUI_H
#define KSCOPE_TUI_H

#include <stdio.h>

#include "analyze/output/output.h"
#include "tui/model.h"

/* What an action asks of the main loop (bits). */
#define TUI_REDRAW 0x1u
#define TUI_QUIT 0x2u

enum tui_prompt {
	PROMPT_NONE = 0,
	PROMPT_FILTER,
	PROMPT_SEARCH,
	PROMPT_GOTO,
	PROMPT_SQL,
};

struct tui {
	struct model *m;
	enum tui_prompt prompt;
	char line[512]; /* prompt text being edited */
	size_t len, pos;
	int help;       /* help overlay shown */
	size_t help_top;
	size_t detail_top; /* the detail pane's first row shown */
	int mono;       /* no colours */
	int utf8;       /* the locale takes UTF-8: block characters */
	int rows, cols; /* screen size at the last draw */
	FILE *log;      /* KSCOPE_TUI_LOG: per-key timings */
};

/* keys.c */
unsigned tui_key_handle(struct tui *t, int key);

/* draw.c: repaint everything from the model (curses sends only changes). */
void tui_draw(struct tui *t);
/* Timeline columns the Overview draws at width COLS. */
int tui_timeline_width(int cols);
/* Rows available to a list at screen height ROWS for the current view. */
size_t tui_list_rows(const struct tui *t, int rows);

/* print.c: print VIEW's rows of the trace ST in FMT, after running the
 * model's work to completion (STEPS < 0) or for STEPS fold steps.  0, or
 * -errno with a message in ERR. */
int tui_print(struct store *st, const char *view, enum output_format fmt,
	      long steps, char *err, size_t errlen);

#endif
