/*
 * detail.h - the detail pane: the whole of the selected row, for rows
 * wider than the screen.  An event shows its decoded line and every
 * field of it by its SQL name (enumerations, syscall and errno names as
 * text); a row of another list shows each column's title and whole
 * value.  The text is the model's (m->detail, lines ending in '\n');
 * draw.c wraps it to the screen.
 *
 *     model_detail_open(m);     // 'd': the selected row
 *     ... m->detail ...
 *     model_detail_close(m);    // Esc
 */
#ifndef KSCOPE_TUI_DETAIL_H
#define KSCOPE_TUI_DETAIL_H

#include "tui/model.h"

/* Open the pane on the current frame's selected row.  0, or -errno with
 * the reason in the status line (no row, the event could not be read). */
int model_detail_open(struct model *m);
void model_detail_close(struct model *m);

#endif
