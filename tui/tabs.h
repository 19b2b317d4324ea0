/*
 * tabs.h - the tab bar's layout: each tab's number key and label, and
 * which tabs show their short name so that the bar fits the screen.
 *
 *     struct tabs_layout l;
 *     tabs_fit(&l, current_view, cols);
 *     for (int v = l.first; v < VIEW_TABS; v++)
 *             draw l.label[v] at l.x[v] (l.x[v] + l.w[v] <= cols or cut)
 *
 * The rule: every tab "K Name" (K its number key), one space apart after
 * a leading space.  When the names do not fit, tabs take their short name
 * (struct view's short_name), the one saving the most columns first (the
 * rightmost of equals), never the current tab; when even that does not
 * fit, the tabs before the current one are left out from the first on
 * (FIRST > 0) until the current tab is whole.
 */
#ifndef KSCOPE_TUI_TABS_H
#define KSCOPE_TUI_TABS_H

#include "tui/model.h"

struct tabs_layout {
	char label[VIEW_TABS][32];
	int x[VIEW_TABS], w[VIEW_TABS]; /* column, width of each label */
	int first;	/* the first tab shown */
	int width;	/* columns the bar needs from tab FIRST on */
};

/* The number key of tab V ('1'..'9', '0'). */
char tabs_key(enum view_id v);
void tabs_fit(struct tabs_layout *l, enum view_id cur, int cols);

#endif
