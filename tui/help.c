/*
 * help.c - the help overlay's text from the key table (see help.h).
 */
#include "config.h"
#include "tui/help.h"
#include "tui/keys.h"

#include <stdio.h>
#include <string.h>

void tui_help_names(size_t i, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t j = i; j < tui_nkeys && (j == i || !tui_keys[j].help);
	     j++) {
		const char *n = tui_keys[j].name;
		int seen = 0;
		/* a name already given (two codes of one key) once */
		for (size_t k = i; k < j && !seen; k++)
			seen = !strcmp(tui_keys[k].name, n);
		if (seen || o + strlen(n) + 2 > len)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "", n);
	}
}

/* The views of mask VIEWS by name, "Events, Threads", into BUF. */
static void view_names(unsigned views_mask, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int v = 0; v < VIEW_COUNT && o + 1 < len; v++)
		if (views_mask >> v & 1)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? ", " : "", views[v]->name);
}

struct help_out {
	char *buf;
	size_t len, need;
};

static void put(struct help_out *h, const char *line)
{
	size_t n = strlen(line);

	if (h->need + n + 1 < h->len) {
		memcpy(h->buf + h->need, line, n);
		h->buf[h->need + n] = '\n';
		h->buf[h->need + n + 1] = '\0';
	}
	h->need += n + 1;
}

enum group { G_VIEW, G_ALL, G_OTHER };

static enum group group_of(const struct key_binding *b, enum view_id v)
{
	if (b->views == KEYS_ALL)
		return G_ALL;
	return b->views >> v & 1 ? G_VIEW : G_OTHER;
}

size_t tui_help_text(enum view_id v, char *buf, size_t len)
{
	struct help_out h = { buf, len, 0 };
	char line[256], names[64], where[160];

	if (len)
		buf[0] = '\0';
	for (int g = G_VIEW; g <= G_OTHER; g++) {
		if (g == G_VIEW)
			snprintf(line, sizeof(line), "In %s:", views[v]->name);
		else if (g == G_OTHER)
			snprintf(line, sizeof(line), "In other views:");
		if (g != G_ALL) {
			if (g == G_OTHER)
				put(&h, "");
			put(&h, line);
		}
		for (size_t i = 0; i < tui_nkeys; i++) {
			const struct key_binding *b = &tui_keys[i];
			if (!b->help || group_of(b, v) != (enum group)g)
				continue;
			tui_help_names(i, names, sizeof(names));
			where[0] = '\0';
			if (g == G_OTHER) {
				char vn[140];
				view_names(b->views, vn, sizeof(vn));
				snprintf(where, sizeof(where), " (%s)", vn);
			}
			snprintf(line, sizeof(line), "  %-16s %s%s", names,
				 b->help, where);
			put(&h, line);
		}
	}
	return h.need;
}
