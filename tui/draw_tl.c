/*
 * draw_tl.c - paint the Timeline view (tab 8) from tlview.h; called by
 * tui_draw (draw.c) for VIEW_TIMELINE.
 *
 *     row 3      header: the window's ends, a cell's time, "~" while the
 *                states are being computed
 *     CPU lanes  (c shows/hides) per CPU the thread that ran most of each
 *                cell: the letter of its strip, '+' a thread not on
 *                screen, '.' idle, ' ' not known
 *     strips     per thread a label (letter, comm[tid]) and one character
 *                per cell: '#' running (its CPU's digit where a run
 *                begins), 's' running in a syscall, '=' runnable, '.'
 *                sleeping, 'D' blocked, 'x' exited, ' ' not known, '!'
 *                not known for lost events (underlined when known)
 *     cursor     '^' at the time cursor, '=' over a window being marked,
 *                'X' where events were lost
 *     info       the selected thread's state under the cursor
 *     legend     the characters above
 * Everything reads without colour; colour only adds to it.
 */
#include "config.h"
#include "tui/draw.h"
#include "tui/tlview.h"
#include "tui/tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The label column's width at COLS columns. */
static int label_width(int cols)
{
	int w = cols / 5;

	return w < 14 ? 14 : w > 28 ? 28 : w;
}

int tui_tl_width(int cols)
{
	int w = cols - label_width(cols) - 1;

	return w < 8 ? 8 : w;
}

static attr_t state_attr(enum tl_state s)
{
	switch (s) {
	case TL_RUN: return draw_attr(PAIR_GRAPH) | A_BOLD;
	case TL_SYS: return draw_attr(PAIR_STATUS) | A_BOLD;
	case TL_RUNNABLE: return draw_attr(PAIR_BUSY) | A_BOLD;
	case TL_BLOCK: return draw_attr(PAIR_ERROR) | A_BOLD;
	case TL_SLEEP: return draw_attr(PAIR_DIM);
	case TL_DEAD: return draw_attr(PAIR_WINDOW);
	default: return A_NORMAL;
	}
}

/* The letter of strip I on screen ('+' past z and Z). */
static char strip_letter(size_t i)
{
	return i < 26 ? (char)('a' + i) : i < 52 ? (char)('A' + i - 26) : '+';
}

static void draw_strip(struct tui *t, struct tlview *v, int y, int x0,
		       int w, uint32_t ix, int selected, int cur)
{
	struct tl_cell *c = calloc((size_t)w, sizeof(*c));
	struct model *m = t->m;

	if (!c)
		return;
	timeline_cells(v->tl, ix, m->win_from, m->win_to, c, w);
	for (int i = 0; i < w; i++) {
		char ch[8] = { tl_state_chars[c[i].state], 0 };
		attr_t a = state_attr((enum tl_state)c[i].state);

		/* a run's CPU where the run begins, when it fits */
		if ((c[i].state == TL_RUN || c[i].state == TL_SYS) &&
		    (!i || (c[i - 1].state != TL_RUN &&
			    c[i - 1].state != TL_SYS) ||
		     c[i - 1].cpu != c[i].cpu)) {
			int len = snprintf(ch, sizeof(ch), "%u", c[i].cpu);
			int j = i;

			while (j < w && (c[j].state == TL_RUN ||
					 c[j].state == TL_SYS) &&
			       c[j].cpu == c[i].cpu)
				j++;
			if (j - i <= len) {
				ch[0] = tl_state_chars[c[i].state];
				ch[1] = 0;
			} else {
				draw_text(y, x0 + i, len, ch, a);
				i += len - 1;
				continue;
			}
		}
		if (c[i].lost)
			a |= A_UNDERLINE;
		if (c[i].state == TL_NONE && c[i].lost)
			ch[0] = '!';
		if (selected && i == cur)
			a |= A_REVERSE;
		draw_text(y, x0 + i, 1, ch, a);
	}
	free(c);
}

static void draw_cpu(struct tui *t, struct tlview *v, int y, int x0, int w,
		     unsigned cpu, const uint32_t *order, size_t n)
{
	const struct tl_cpucell *c = model_tl_cpu_cells(t->m, cpu, w);
	char buf[32];

	snprintf(buf, sizeof(buf), "cpu%u", cpu);
	draw_text(y, 0, x0 - 1, buf, A_BOLD);
	if (!c)
		return;
	for (int i = 0; i < w; i++) {
		char ch[2] = { c[i].kind == TLC_IDLE ? '.' :
			       c[i].lost ? '!' : ' ', 0 };
		attr_t a = c[i].kind == TLC_IDLE ? draw_attr(PAIR_DIM) :
			   A_NORMAL;

		if (c[i].kind == TLC_TASK) {
			ch[0] = '+';
			for (size_t k = v->top; k < n && k < v->top + v->rows;
			     k++)
				if (v->tl->th[order[k]].tid == c[i].tid)
					ch[0] = strip_letter(k - v->top);
			a = c[i].tid == v->sel_tid ? draw_attr(PAIR_GRAPH) |
				A_BOLD | A_REVERSE : draw_attr(PAIR_BUSY);
		}
		draw_text(y, x0 + i, 1, ch, a);
	}
}

static void fmt_dur(char *buf, size_t len, uint64_t ns)
{
	if (ns >= 10000000000ull)
		snprintf(buf, len, "%.1f s", (double)ns / 1e9);
	else if (ns >= 1000000)
		snprintf(buf, len, "%.3f ms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.1f us", (double)ns / 1e3);
}

/* The selected thread's state under the cursor. */
static void draw_info(struct tui *t, struct tlview *v, int y,
		      const uint32_t *order, size_t n)
{
	struct model *m = t->m;
	char buf[256], a[32], b[32], d[32];
	const struct tl_iv *iv;
	const struct tl_thread *th;

	move(y, 0);
	clrtoeol();
	if (!n)
		return;
	th = &v->tl->th[order[v->sel]];
	iv = timeline_iv_at(v->tl, order[v->sel], m->cursor);
	if (!iv) {
		snprintf(buf, sizeof(buf), "%s[%u] pid %lld: not known at the "
			 "cursor", th->comm, th->tid, (long long)th->pid);
	} else {
		char on[24] = "";

		if (iv->state == TL_RUN || iv->state == TL_SYS)
			snprintf(on, sizeof(on), " on cpu%u", iv->cpu);
		model_fmt_reltime(m, iv->ts, a, sizeof(a));
		model_fmt_reltime(m, iv->end, b, sizeof(b));
		fmt_dur(d, sizeof(d), iv->end - iv->ts);
		snprintf(buf, sizeof(buf), "%s[%u] pid %lld: %s%s %s..%s (%s)",
			 th->comm, th->tid, (long long)th->pid,
			 tl_state_names[iv->state], on, a, b, d);
	}
	draw_text(y, 0, t->cols, buf, A_BOLD);
}

void tui_draw_timeline(struct tui *t, int y0)
{
	struct model *m = t->m;
	struct tlview *v = model_tl(m);
	int lw = label_width(t->cols), x0 = lw + 1, w = tui_tl_width(t->cols);
	int y = y0, bottom = t->rows - 1 - 3;	/* cursor, info, legend */
	const uint32_t *order;
	size_t n;
	char buf[256], a[32], b[32], d[32];
	uint64_t ws = m->win_to - m->win_from + 1;
	int cur, ncpu;

	if (!v)
		return;
	ncpu = v->cpus ? (int)v->tl->ncpu : 0;
	if (ncpu > (bottom - y - 2) / 2)
		ncpu = (bottom - y - 2) / 2 > 0 ? (bottom - y - 2) / 2 : 0;
	v->rows = (size_t)(bottom - y - 1 - ncpu > 1 ? bottom - y - 1 - ncpu :
			   1);
	n = model_tl_order(m, &order);

	/* header */
	model_fmt_reltime(m, m->win_from, a, sizeof(a));
	model_fmt_reltime(m, m->win_to, b, sizeof(b));
	fmt_dur(d, sizeof(d), ws / (uint64_t)w);
	draw_fill(y, 0, t->cols, draw_attr(PAIR_HEADER));
	snprintf(buf, sizeof(buf), " THREADS %zu%s", n,
		 v->tl->partial ? " ~" : "");
	draw_text(y, 0, lw, buf, draw_attr(PAIR_HEADER));
	draw_text(y, x0, w, a, draw_attr(PAIR_HEADER));
	if (v->tl->partial)
		snprintf(buf, sizeof(buf), "~ computing %.0f%% ",
			 v->tl->fraction * 100);
	else
		snprintf(buf, sizeof(buf), "cell %s ", d);
	if ((int)strlen(a) + (int)strlen(buf) + (int)strlen(b) + 2 < w)
		draw_text(y, x0 + (w - (int)strlen(buf)) / 2, w, buf,
			  draw_attr(PAIR_HEADER));
	draw_text(y, x0 + w - (int)strlen(b), (int)strlen(b), b,
		  draw_attr(PAIR_HEADER));
	y++;

	cur = (int)((double)(m->cursor - m->win_from) / (double)ws * w);
	if (cur >= w)
		cur = w - 1;
	for (int c = 0; c < ncpu; c++)
		draw_cpu(t, v, y++, x0, w, (unsigned)c, order, n);
	for (size_t r = 0; r < v->rows; r++, y++) {
		size_t i = v->top + r;
		const struct tl_thread *th;
		int sel = i == v->sel;

		if (i >= n)
			continue;
		th = &v->tl->th[order[i]];
		snprintf(buf, sizeof(buf), "%c %s[%u]", strip_letter(r),
			 th->comm[0] ? th->comm : "?", th->tid);
		if (sel)
			draw_fill(y, 0, lw, draw_attr(PAIR_SELECT));
		draw_text(y, 0, lw, buf, sel ? draw_attr(PAIR_SELECT) :
			  A_NORMAL);
		draw_strip(t, v, y, x0, w, order[i], sel, cur);
	}
	if (!n)
		draw_text(y0 + 1 + ncpu, 1, t->cols - 1, v->tl->partial ?
			  "computing thread states..." :
			  "(no thread states in this window)",
			  draw_attr(PAIR_DIM));

	/* cursor, window being marked, lost marks */
	y = bottom;
	for (int c = 0; c < w; c++) {
		uint64_t ca = m->win_from + (uint64_t)((double)ws * c / w);
		uint64_t cb = m->win_from + (uint64_t)((double)ws * (c + 1) / w);

		if (timeline_lost(v->tl, ca, cb))
			draw_text(y, x0 + c, 1, "X", draw_attr(PAIR_LOST));
	}
	if (m->marking) {
		int mk = m->mark < m->win_from ? 0 :
			 (int)((double)(m->mark - m->win_from) / (double)ws *
			       w);
		int lo = mk < cur ? mk : cur, hi = mk < cur ? cur : mk;

		for (int c = lo; c <= hi && c < w; c++)
			draw_text(y, x0 + c, 1, "=", draw_attr(PAIR_WINDOW));
	}
	draw_text(y, x0 + cur, 1, "^", draw_attr(PAIR_WINDOW) | A_BOLD);
	model_fmt_reltime(m, m->cursor, buf, sizeof(buf));
	draw_text(y, 0, lw, buf, A_NORMAL);
	draw_info(t, v, y + 1, order, n);
	draw_text(y + 2, 0, t->cols, "# run s syscall = runnable . sleep "
		  "D blocked x exit ! lost  cpu: a-z + other . idle",
		  draw_attr(PAIR_DIM));
}
