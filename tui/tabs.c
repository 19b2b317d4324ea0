/*
 * tabs.c - the tab bar's layout (see tabs.h).  Labels are ASCII (view
 * names), so bytes are columns.
 */
#include "config.h"
#include "tui/tabs.h"

#include <stdio.h>
#include <string.h>

/* The tabs whose key is not their position + 1. */
static const char tab_keys[VIEW_TABS] = {
	[VIEW_RUNQ] = '9',
	[VIEW_SIGNALS] = '0',
};

char tabs_key(enum view_id v)
{
	return tab_keys[v] ? tab_keys[v] : (char)('1' + v);
}

static void label_set(struct tabs_layout *l, int v, const char *name)
{
	snprintf(l->label[v], sizeof(l->label[v]), "%c %s",
		 tabs_key((enum view_id)v), name);
	l->w[v] = (int)strlen(l->label[v]);
}

/* Columns of tabs FIRST.. with their labels now. */
static int bar_width(const struct tabs_layout *l, int first)
{
	int w = 0;

	for (int v = first; v < VIEW_TABS; v++)
		w += 1 + l->w[v];
	return w;
}

void tabs_fit(struct tabs_layout *l, enum view_id cur, int cols)
{
	int shortened[VIEW_TABS] = { 0 };

	for (int v = 0; v < VIEW_TABS; v++)
		label_set(l, v, views[v]->name);
	l->first = 0;
	while (bar_width(l, 0) > cols) {
		int best = -1, save = 0;

		for (int v = 0; v < VIEW_TABS; v++) {
			const char *s = views[v]->short_name;
			int d = s ? (int)(strlen(views[v]->name) - strlen(s)) : 0;

			if (v != (int)cur && !shortened[v] && d > 0 &&
			    d >= save) {
				best = v;
				save = d;
			}
		}
		if (best < 0)
			break;
		label_set(l, best, views[best]->short_name);
		shortened[best] = 1;
	}
	/* still too wide: leave out tabs before the current one */
	for (;;) {
		int end = 0;

		for (int v = l->first; v <= (int)cur; v++)
			end += 1 + l->w[v];
		if (end <= cols || l->first >= (int)cur)
			break;
		l->first++;
	}
	for (int v = l->first, x = 1; v < VIEW_TABS; v++) {
		l->x[v] = x;
		x += l->w[v] + 1;
	}
	l->width = bar_width(l, l->first);
}
