/*
 * draw_why.c - paint the why pane (why.h) over the lower two thirds of
 * the view, when it is open:
 *
 *     row Y0        the followed path: "why  worker/4001 < holder/4002"
 *     Y0+1 .. H-3   the hop's lines from its scroll position: the label
 *                   in a column of its own, the value wrapped at the
 *                   screen's width; stack frames where the thread
 *                   blocked in bold, scheduler plumbing dim
 *     H-2           the pane's keys and which lines are shown
 *
 * At 80x24 that is 13 rows of text.  Monochrome keeps the same marks
 * with reverse video, bold and dim.
 */
#include "config.h"
#include "analyze/output/textesc.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "tui/why.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define LABEL_W 10

/* Bytes of S that fit in W columns, as draw_text shows them (at least
 * one unit, so that wrapping always goes on), cut after a space when the
 * rest is wrapped onto the next row. */
static size_t fit(const char *s, int w)
{
	size_t len = strlen(s), o = 0;
	int used = 0;

	while (o < len) {
		int32_t cp;
		size_t n = textesc_unit((const unsigned char *)s + o, len - o,
					&cp);
		char e[TEXTESC_MAX];
		int cw = textesc_needed(cp) ?
			 (int)textesc_format((const unsigned char *)s + o, n,
					     cp, e) :
			 wcwidth((wchar_t)cp);

		if (cw < 0)
			cw = 1;
		if (used + cw > w && o)
			break;
		used += cw;
		o += n;
	}
	/* a line that goes on breaks after a space, when one is near */
	for (size_t b = o; o < len && b > o / 2; b--)
		if (s[b - 1] == ' ')
			return b;
	return o;
}

static attr_t line_attr(enum why_kind k)
{
	switch (k) {
	case WHY_NOTE: case WHY_FRAME_PLUMB:
		return draw_attr(PAIR_DIM);
	case WHY_FRAME_AT:
		return A_BOLD;
	case WHY_FIELD: case WHY_FRAME:
		break;
	}
	return A_NORMAL;
}

void draw_why(struct tui *t)
{
	const struct why *w = t->m->why;
	const struct why_hop *h = model_why(t->m);
	int y0 = t->rows / 3 > 4 ? t->rows / 3 : 4, y = y0 + 1;
	int last = t->rows - 3;
	char buf[512], title[600];
	size_t i, bl, room = t->cols > 12 ? (size_t)t->cols - 6 : 6;

	if (!h || last <= y0 || t->cols < LABEL_W + 12)
		return;
	/* the path, most recent hop last; cut at the left when long */
	buf[0] = '\0';
	for (int k = 0, o = 0; k < w->n && o < (int)sizeof(buf); k++)
		o += snprintf(buf + o, sizeof(buf) - (size_t)o, "%s%s",
			      k ? " < " : "", w->hop[k].name);
	bl = strlen(buf);
	snprintf(title, sizeof(title), " why %s%s", bl > room ? "..." : "",
		 bl > room ? buf + bl - room + 3 : buf);
	draw_fill(y0, 0, t->cols, draw_attr(PAIR_HEADER));
	draw_text(y0, 0, t->cols, title, draw_attr(PAIR_HEADER));
	for (i = h->top; i < h->n && y <= last; i++) {
		const struct why_line *l = &h->lines[i];
		const char *s = l->text;
		int x = LABEL_W + 2 + (l->kind >= WHY_FRAME ? 2 : 0);

		do {	/* the value, wrapped */
			size_t n = fit(s, t->cols - x);

			move(y, 0);
			clrtoeol();
			if (s == l->text)
				draw_text(y, 1, LABEL_W, l->label, A_BOLD);
			snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
			draw_text(y, x, t->cols - x, buf, line_attr(l->kind));
			s += n;
			y++;
		} while (*s && y <= last);
	}
	for (; y <= last; y++) {
		move(y, 0);
		clrtoeol();
	}
	move(last + 1, 0);
	clrtoeol();
	snprintf(buf, sizeof(buf), " w/Right: follow the waker  Esc: back  "
		 "Up/Down: scroll  (lines %zu-%zu of %zu)", h->top + 1, i,
		 h->n);
	draw_text(last + 1, 0, t->cols, buf, draw_attr(PAIR_DIM));
}
