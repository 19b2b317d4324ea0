/*
 * model_int.h - what the model's files (model.c, model_rows.c,
 * model_time.c) share; not for views, keys or drawing.
 */
#ifndef KSCOPE_TUI_MODEL_INT_H
#define KSCOPE_TUI_MODEL_INT_H

#include "tui/model.h"

/* The window or filter changed: every frame rebuilds when next shown. */
void model_invalidate(struct model *m);
void model_where_free(char *where[EV_KIND_COUNT]);
/* Keep F's selection inside N rows and on screen. */
void model_clamp_list(struct model *m, struct frame *f, size_t n);
/* Make the current frame's rows current (may start background reads). */
int model_frame_ready(struct model *m);
/* (Re)build the evlist of Events frame F at the time cursor. */
int model_events_build(struct model *m, struct frame *f);
/* Go on with an Events search for about BUDGET ns. */
int model_events_search(struct model *m, uint64_t budget);

/* An Events search found its match: once the list is at it, move the
 * cursor there and scroll the match into view. */
void model_search_shown(struct model *m);
/* Scroll the current list so that text at column COL, LEN long, shows. */
void model_hscroll_show(struct model *m, int col, int len);

#endif
