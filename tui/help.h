/*
 * help.h - the help overlay's text, built from the key table (keys.h) for
 * the view it is opened in: the keys that work there first (the view's
 * own, then those of every view), then the keys of the other views, each
 * with the views it works in.  Aliases that help names alike ("Bksp" for
 * both backspace codes) are named once.
 *
 *     char buf[8192];
 *     tui_help_text(VIEW_EVENTS, buf, sizeof(buf));   // lines, '\n' each
 */
#ifndef KSCOPE_TUI_HELP_H
#define KSCOPE_TUI_HELP_H

#include <stddef.h>

#include "tui/model.h"

/* The help for view V into BUF (always terminated; cut when too small).
 * Returns the length the whole text needs. */
size_t tui_help_text(enum view_id v, char *buf, size_t len);

/* The names of binding I and its aliases, "Esc Bksp", into BUF. */
void tui_help_names(size_t i, char *buf, size_t len);

#endif
