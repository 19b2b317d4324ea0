/*
 * model_time.c - the time window (set, zoom, mark, cursor, go to), search
 * and replay.  Part of the model (model.h); no curses.
 */
#include "config.h"
#include "tui/model.h"
#include "tui/model_int.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/timearg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- time ----------------------------------------------------------------- */

int model_window_set(struct model *m, uint64_t from, uint64_t to)
{
	if (from > to) {
		uint64_t t = from;
		from = to;
		to = t;
	}
	if (from < m->span_from)
		from = m->span_from;
	if (to > m->span_to)
		to = m->span_to;
	if (to <= from) {	/* one ns at least, inside the clock */
		if (from == UINT64_MAX)
			from--;
		to = from + 1;
	}
	if (from == m->win_from && to == m->win_to)
		return 0;
	m->win_from = from;
	m->win_to = to;
	if (m->cursor < from || m->cursor > to)
		m->cursor = from;
	model_invalidate(m);
	char a[32], b[32];
	model_fmt_reltime(m, from, a, sizeof(a));
	model_fmt_reltime(m, to, b, sizeof(b));
	model_status(m, 0, "window %s .. %s", a, b);
	return 1;
}

int model_zoom(struct model *m, int in)
{
	uint64_t w = m->win_to - m->win_from;
	uint64_t c = m->cursor;
	uint64_t half;

	if (in) {
		if (w < 4000)
			return 0;
		half = w / 4;
	} else {
		half = w;
		c = m->win_from + w / 2;
	}
	uint64_t from = c - m->span_from > half ? c - half : m->span_from;
	uint64_t to = m->span_to - c > half ? c + half : m->span_to;
	return model_window_set(m, from, to);
}

int model_cursor_move(struct model *m, long steps)
{
	uint64_t w = m->win_to - m->win_from;
	uint64_t step = w / (uint64_t)(m->tl_width > 0 ? m->tl_width : 64);

	if (!step)
		step = 1;
	/* |steps| * step saturates: past the window is its edge */
	uint64_t n = steps < 0 ? 0 - (uint64_t)steps : (uint64_t)steps, d;
	if (__builtin_mul_overflow(step, n, &d))
		d = UINT64_MAX;
	if (steps < 0)
		m->cursor = m->cursor - m->win_from > d ? m->cursor - d : m->win_from;
	else
		m->cursor = m->win_to - m->cursor > d ? m->cursor + d : m->win_to;
	return 1;
}

int model_mark(struct model *m)
{
	char a[32];

	if (!m->marking) {
		m->marking = 1;
		m->mark = m->cursor;
		model_fmt_reltime(m, m->mark, a, sizeof(a));
		model_status(m, 0, "window from %s: move the cursor, m again to "
			     "select, Esc to cancel", a);
		return 1;
	}
	m->marking = 0;
	if (m->mark == m->cursor) {
		model_status(m, 1, "empty window: cancelled");
		return 1;
	}
	return model_window_set(m, m->mark, m->cursor);
}

int model_goto(struct model *m, const char *text)
{
	char err[256];
	uint64_t ts;
	struct frame *f = model_frame(m);

	if (timearg_parse(m->st, text, &ts, err, sizeof(err)) < 0) {
		model_status(m, 1, "%s", err);
		return -EINVAL;
	}
	if (ts < m->win_from || ts > m->win_to)
		model_window_set(m, m->span_from, m->span_to);
	m->cursor = ts < m->win_from ? m->win_from :
		    ts > m->win_to ? m->win_to : ts;
	if (f->view == VIEW_EVENTS && f->ev && f->gen == m->gen)
		evlist_seek(f->ev, m->cursor, 0, m->page ? m->page : 1);
	char a[32];
	model_fmt_reltime(m, m->cursor, a, sizeof(a));
	model_status(m, 0, "at %s", a);
	return 0;
}

/* ---- search -------------------------------------------------------------- */

static int list_search(struct model *m, int dir)
{
	struct frame *f = model_frame(m);
	size_t n = model_rows(m);
	int ncols = model_ncols(m);

	for (size_t k = 1; k <= n; k++) {
		size_t i = dir > 0 ? (f->sel + k) % n : (f->sel + n - k % n) % n;
		for (int c = 0; c < ncols; c++) {
			const char *t = model_cell_text(m, i, c);
			const char *at = strcasestr(t, m->search);
			if (at) {
				int x[64], wd[64];
				f->sel = i;
				model_clamp_list(m, f, n);
				model_col_layout(m, x, wd, ncols < 64 ? ncols : 64);
				if (c < 64)
					model_hscroll_show(m, x[c] + (int)(at - t),
							   (int)strlen(m->search));
				model_status(m, 0, "/%s", m->search);
				return 1;
			}
		}
	}
	model_status(m, 1, "not found: %s", m->search);
	return 0;
}

int model_events_search(struct model *m, uint64_t budget)
{
	struct frame *f = model_frame(m);
	int rc;

	if (!f->ev)
		return 0;
	rc = evlist_search(f->ev, m->search, m->search_dir, &m->search_resume,
			   budget, m->page ? m->page : 1);
	if (rc == -EAGAIN) {
		char a[32];
		m->search_pending = 1;
		model_fmt_reltime(m, m->search_resume.active ?
				  m->search_resume.ts : f->ev->rows[f->ev->sel].ts,
				  a, sizeof(a));
		model_status(m, 0, "searching for '%s'... at %s (Esc stops)",
			     m->search, a);
		return 1;
	}
	m->search_pending = 0;
	m->search_resume.active = 0;
	if (rc < 0)
		model_status(m, 1, "search: %s", f->ev->err);
	else if (rc == 0)
		model_status(m, 1, "not found: %s", m->search);
	else {
		m->search_show = 1;
		model_search_shown(m);
		model_status(m, 0, "/%s", m->search);
	}
	return rc;
}

void model_search_shown(struct model *m)
{
	struct frame *f = model_frame(m);
	const char *t, *at;

	/* the seek to the match may finish in the background */
	if (!m->search_show || !f->ev || !f->ev->n || f->ev->seeking)
		return;
	m->search_show = 0;
	t = f->ev->rows[f->ev->sel].text;
	at = strcasestr(t, m->search);
	m->cursor = f->ev->rows[f->ev->sel].ts;
	if (at)
		model_hscroll_show(m, (int)(at - t), (int)strlen(m->search));
}

int model_search_next(struct model *m, int dir)
{
	struct frame *f = model_frame(m);

	if (!m->search[0]) {
		model_status(m, 1, "no search: press / first");
		return 0;
	}
	m->search_dir = dir;
	m->search_resume.active = 0;
	m->search_pending = 0;
	if (f->view == VIEW_EVENTS) {
		model_rows(m);
		return model_events_search(m, 10 * 1000000ull);
	}
	return list_search(m, dir);
}

int model_search_set(struct model *m, const char *text)
{
	snprintf(m->search, sizeof(m->search), "%s", text);
	if (!m->search[0])
		return 0;
	return model_search_next(m, 1);
}

/* ---- replay --------------------------------------------------------------- */

int model_play_toggle(struct model *m, uint64_t now_ns)
{
	struct frame *f = model_frame(m);

	if (f->view != VIEW_EVENTS || !f->ev || !f->ev->n) {
		model_status(m, 1, "replay plays the Events view (4)");
		return 0;
	}
	m->playing = !m->playing;
	m->play_wall0 = now_ns;
	m->play_ts0 = f->ev->rows[f->ev->sel].ts;
	model_status(m, 0, "%s at %gx", m->playing ? "playing" : "paused",
		     m->speed);
	return 1;
}

int model_play_speed(struct model *m, int faster)
{
	uint64_t now = agg_now_ns();

	if (m->playing) { /* rebase so the replay clock does not jump */
		m->play_ts0 += (uint64_t)((double)(now - m->play_wall0) * m->speed);
		m->play_wall0 = now;
	}
	if (faster && m->speed < 1e6)
		m->speed *= 2;
	if (!faster && m->speed > 1e-3)
		m->speed /= 2;
	model_status(m, 0, "replay speed %gx", m->speed);
	return 1;
}

int model_step(struct model *m)
{
	m->playing = 0;
	return model_move(m, 1);
}

uint64_t model_play_tick(struct model *m, uint64_t now_ns)
{
	struct frame *f = model_frame(m);

	if (!m->playing)
		return 0;
	if (f->view != VIEW_EVENTS || !f->ev || !f->ev->n) {
		m->playing = 0;
		return 0;
	}
	uint64_t target = m->play_ts0 +
			  (uint64_t)((double)(now_ns - m->play_wall0) * m->speed);
	struct evlist *el = f->ev;
	for (int guard = 0; guard < 100000; guard++) {
		if (el->sel + 1 >= el->n && el->at_end) {
			m->playing = 0;
			model_status(m, 0, "replay reached the end");
			return 0;
		}
		if (el->sel + 1 < el->n && el->rows[el->sel + 1].ts > target)
			break;
		if (evlist_move(el, 1, m->page ? m->page : 1) < 0) {
			m->playing = 0;
			return 0;
		}
		if (el->down_pending) /* the row comes from evlist_fill */
			break;
	}
	m->cursor = el->rows[el->sel].ts;
	if (el->sel + 1 >= el->n)
		return 1000000;
	uint64_t due = el->rows[el->sel + 1].ts - target;
	double wait = (double)due / m->speed;
	return wait < 1e6 ? 1000000 : wait > 1e8 ? 100000000 : (uint64_t)wait;
}

