/*
 * keys.h - the key table.  Every binding is one row: the key, how help
 * names it, the views it works in, what it does.  tui_key_handle() looks
 * the key up here (an open prompt or the help overlay takes keys first);
 * actions change the model and return TUI_REDRAW / TUI_QUIT, never draw.
 * The help screen lists this table, so it cannot drift from the code.
 */
#ifndef KSCOPE_TUI_KEYS_H
#define KSCOPE_TUI_KEYS_H

#include <stddef.h>

#include "tui/tui.h"

typedef unsigned (*tui_action)(struct tui *t);

#define KEYS_ALL 0u /* views mask meaning every view */
#define KEYS_WHY (1u << 31) /* in the why pane (why.h): while it is open,
			     * taken before the view's keys */

struct key_binding {
	int key;
	const char *name;  /* "F4", "\\", "Enter" */
	unsigned views;    /* 1 << view_id, or KEYS_ALL */
	tui_action fn;
	const char *help;  /* NULL: an alias listed with the row above */
};

extern const struct key_binding tui_keys[];
extern const size_t tui_nkeys;

/* The binding for KEY in view V, or NULL. */
const struct key_binding *tui_key_find(int key, enum view_id v);

#endif
