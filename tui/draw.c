/*
 * draw.c - paint the screen from the model.  Reads the model, never
 * changes what it shows (only asks for rows, which may load them).
 *
 * Layout (80x24 and up):
 *     row 0   title: trace, window, filter, background progress
 *     row 1   tab bar (1..9, 0; short names when they do not fit, tabs.h)
 *     row 2   breadcrumb
 *     3..H-2  the view: Overview panels, or column headers + rows
 *     H-1     status line, or the open prompt
 * Text from the trace goes through put_text(), which decodes UTF-8 by the
 * locale, replaces control characters and invalid bytes, and cuts at the
 * column width (wide characters count double).  Monochrome mode keeps
 * everything readable with reverse video and bold only.
 */
#include "config.h"
#include "analyze/capture.h"
#include "analyze/output/textesc.h"
#include "tui/draw_int.h"
#include "tui/help.h"
#include "tui/keys.h"
#include "tui/tabs.h"
#include "tui/tlview.h"
#include "tui/tui.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int has_color;

void draw_colors_init(int mono)
{
	has_color = !mono && has_colors();
	if (!has_color)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_TAB, COLOR_BLACK, COLOR_GREEN);
	init_pair(PAIR_HEADER, COLOR_BLACK, COLOR_GREEN);
	init_pair(PAIR_SELECT, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_STATUS, COLOR_CYAN, -1);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_GRAPH, COLOR_GREEN, -1);
	init_pair(PAIR_BUSY, COLOR_YELLOW, -1);
	init_pair(PAIR_LOST, COLOR_RED, -1);
	init_pair(PAIR_WINDOW, COLOR_MAGENTA, -1);
	init_pair(PAIR_DIM, COLOR_BLUE, -1);
}

/* Attribute for a role: colour pair, or a monochrome stand-in. */
static attr_t role(enum draw_pair p)
{
	if (has_color)
		return COLOR_PAIR(p) | (p == PAIR_TAB ? A_BOLD : 0);
	switch (p) {
	case PAIR_TITLE: case PAIR_HEADER: case PAIR_SELECT: case PAIR_TAB:
		return A_REVERSE | (p == PAIR_TAB ? A_BOLD : 0);
	case PAIR_ERROR: case PAIR_LOST: case PAIR_WINDOW:
		return A_BOLD;
	case PAIR_DIM:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

/* The next character of S (LEN bytes left): its bytes in *N and its
 * columns returned; C0, DEL, C1 and stray bytes (textesc.h) come as their
 * escape in E (*ELEN bytes), shown so as everywhere else and never sent
 * to the terminal; others as *WC (*ELEN 0). */
static int glyph(const char *s, size_t len, mbstate_t *st, size_t *n,
		 wchar_t *wc, char e[TEXTESC_MAX], int *elen)
{
	int32_t cp;
	int cw;

	*n = mbrtowc(wc, s, len, st);
	if (*n == (size_t)-1 || *n == (size_t)-2) {
		memset(st, 0, sizeof(*st));
		cp = -1;
		*n = 1;
	} else {
		cp = (int32_t)*wc;
		if (*n == 0)
			*n = 1;
	}
	*elen = 0;
	if (textesc_needed(cp)) {
		*elen = (int)textesc_format((const unsigned char *)s, *n, cp, e);
		return *elen;
	}
	cw = wcwidth(*wc);
	if (cw < 0)
		*wc = L'?', cw = 1;
	return cw;
}

/* Display columns of S as put_text shows it. */
static int text_cols(const char *s)
{
	mbstate_t st;
	size_t len = strlen(s), n;
	char e[TEXTESC_MAX];
	wchar_t wc;
	int cols = 0, elen;

	memset(&st, 0, sizeof(st));
	for (; len; s += n, len -= n)
		cols += glyph(s, len, &st, &n, &wc, e, &elen);
	return cols;
}

/* Draw S at (Y, X) in at most W columns, leaving out its first SKIP
 * columns; returns columns used.  *MORE (may be NULL) tells whether some
 * of S did not fit. */
static int put_text_skip(int y, int x, int w, const char *s, int skip,
			 attr_t a, int *more)
{
	mbstate_t st;
	size_t len = strlen(s), n;
	char e[TEXTESC_MAX];
	wchar_t wc;
	int used = 0, elen;

	memset(&st, 0, sizeof(st));
	if (more)
		*more = 0;
	if (w <= 0) {
		if (more)
			*more = len > 0;
		return 0;
	}
	attron(a);
	move(y, x);
	for (; len; s += n, len -= n) {
		int cw = glyph(s, len, &st, &n, &wc, e, &elen);
		if (skip > 0) {
			skip -= cw;
			continue;
		}
		if (used + cw > w)
			break;
		if (elen)
			addnstr(e, elen);
		else
			addnwstr(&wc, 1);
		used += cw;
	}
	attroff(a);
	if (more)
		*more = len > 0;
	return used;
}

static int put_text(int y, int x, int w, const char *s, attr_t a)
{
	return put_text_skip(y, x, w, s, 0, a, NULL);
}

/* Fill from (Y, X) to column X + W with spaces in A. */
static void fill(int y, int x, int w, attr_t a)
{
	attron(a);
	for (int i = 0; i < w; i++)
		mvaddch(y, x + i, ' ');
	attroff(a);
}

int tui_timeline_width(int cols)
{
	int w = cols - 9;
	return w < 8 ? 8 : w;
}

static int header_rows(const struct tui *t)
{
	return 3; /* title, tabs, breadcrumb */
}

size_t tui_list_rows(const struct tui *t, int rows)
{
	int n = rows - header_rows(t) - 1 /* column header */ - 1 /* status */;

	if (model_frame(t->m)->view == VIEW_RUNQ)
		n -= draw_runq_rows(n);
	return n > 1 ? (size_t)n : 1;
}

/* ---- top rows ------------------------------------------------------------ */

static void draw_title(struct tui *t)
{
	struct model *m = t->m;
	char buf[512], a[32], b[32];
	const char *host = store_meta(m->st, "host");
	int x;

	fill(0, 0, t->cols, role(PAIR_TITLE));
	model_fmt_reltime(m, m->win_from, a, sizeof(a));
	model_fmt_reltime(m, m->win_to, b, sizeof(b));
	snprintf(buf, sizeof(buf), " kscope %s  %s..%s%s%s%s", host ? host : "",
		 a, b, m->filter_text[0] ? "  filter: " : "", m->filter_text,
		 m->marking ? "  [selecting window]" : "");
	x = put_text(0, 0, t->cols, buf, role(PAIR_TITLE));
	if (model_partial(m) || m->search_pending) {
		struct agg *ag = model_agg(m);
		if (m->search_pending)
			snprintf(buf, sizeof(buf), " searching ");
		else if (model_frame(m)->view == VIEW_EVENTS)
			snprintf(buf, sizeof(buf), " reading events ");
		else if (model_frame(m)->grid)
			snprintf(buf, sizeof(buf), " running %zu rows ",
				 model_frame(m)->grid->n);
		else if (model_frame(m)->work)
			snprintf(buf, sizeof(buf), " computing ");
		else if (model_frame(m)->view == VIEW_TIMELINE)
			snprintf(buf, sizeof(buf), " states %d%% ", m->tlv ?
				 (int)(m->tlv->tl->fraction * 100) : 0);
		else
			snprintf(buf, sizeof(buf), " reading %d%% ",
				 ag ? (int)(agg_fraction(ag) * 100) : 0);
		int w = (int)strlen(buf);
		if (t->cols - w > x)
			put_text(0, t->cols - w, w, buf, role(PAIR_TITLE) | A_BOLD);
	}
}

static void draw_tabs(struct tui *t)
{
	enum view_id cur = t->m->stack[0].view;
	struct tabs_layout l;

	move(1, 0);
	clrtoeol();
	tabs_fit(&l, cur, t->cols);
	if (l.first)
		put_text(1, 0, 1, "<", role(PAIR_DIM));
	for (int v = l.first; v < VIEW_TABS && l.x[v] < t->cols; v++)
		put_text(1, l.x[v], t->cols - l.x[v], l.label[v],
			 v == (int)cur ? role(PAIR_TAB) : A_NORMAL);
}

static void draw_breadcrumb(struct tui *t)
{
	char buf[512];

	move(2, 0);
	clrtoeol();
	model_breadcrumb(t->m, buf, sizeof(buf));
	put_text(2, 0, t->cols, buf, A_BOLD);
}

static void draw_status(struct tui *t)
{
	int y = t->rows - 1;
	static const char *names[] = { "", "filter: ", "/", "go to: ", ":" };

	move(y, 0);
	clrtoeol();
	if (t->prompt != PROMPT_NONE) {
		const char *p = names[t->prompt];
		if (t->m->status_err && t->m->status[0]) { /* why it failed */
			move(y - 1, 0);
			clrtoeol();
			put_text(y - 1, 0, t->cols, t->m->status, role(PAIR_ERROR));
		}
		int x = put_text(y, 0, t->cols, p, A_BOLD);
		/* scroll the line so the cursor stays visible */
		size_t start = 0, avail = (size_t)(t->cols - x - 1);
		if (t->pos > avail)
			start = t->pos - avail;
		char tmp[sizeof(t->line)];
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(t->pos - start),
			 t->line + start);
		int cx = x + put_text(y, x, t->cols - x, tmp, A_NORMAL);
		put_text(y, cx, t->cols - cx, t->line + t->pos, A_NORMAL);
		move(y, cx);
		return;
	}
	if (t->m->status[0])
		put_text(y, 0, t->cols, t->m->status,
			 role(t->m->status_err ? PAIR_ERROR : PAIR_STATUS));
	else
		put_text(y, 0, t->cols, "F1 help  0-9 views  Enter drill  Esc "
			 "back  F4 filter  / search  s sort  m window  g go to"
			 "  : SQL  q quit", role(PAIR_DIM));
}

/* ---- Overview ------------------------------------------------------------ */

static const char *const blocks_utf8[] = { " ", "▁", "▂", "▃", "▄", "▅",
					   "▆", "▇", "█" };
static const char *const blocks_ascii[] = { " ", ".", ".", ":", ":", "+",
					    "+", "#", "#" };

/* The buckets [*B0, *B1) of timeline column C of W. */
static void col_buckets(int c, int w, int *b0, int *b1)
{
	*b0 = (int)((long)c * AGG_BUCKETS / w);
	*b1 = (int)((long)(c + 1) * AGG_BUCKETS / w);
	if (*b1 <= *b0)
		*b1 = *b0 + 1;
}

/* Value of timeline column C of W over bucket array V (sum). */
static double col_sum(const double *v, int c, int w, double *span_buckets)
{
	int b0, b1;
	double s = 0;

	col_buckets(c, w, &b0, &b1);
	for (int b = b0; b < b1 && b < AGG_BUCKETS; b++)
		s += v[b];
	*span_buckets = b1 - b0;
	return s;
}

static void spark(struct tui *t, int y, int x, int w, const double *v,
		  double max, attr_t a)
{
	const char *const *bl = t->utf8 ? blocks_utf8 : blocks_ascii;
	double nb;

	attron(a);
	for (int c = 0; c < w; c++) {
		double s = col_sum(v, c, w, &nb) / nb;
		double q = max > 0 ? s / max * 8 + 0.999 : 0;
		int lvl;
		/* compared before converted: a NaN, an infinity or a
		 * negative value (from a hostile index) is no array index */
		if (q >= 8)
			lvl = 8;
		else if (q >= 1)
			lvl = (int)q;
		else
			lvl = s > 0 ? 1 : 0;
		mvaddstr(y, x + c, bl[lvl]);
	}
	attroff(a);
}

/* Over CPU's row at (Y, X), W wide: the columns where nothing is known
 * of it (no switch read, outside the recording, a hole) as a dim "-",
 * unlike idle (blank); "no data" on a row that is all so. */
static void cpu_unknown(struct tui *t, const struct agg *a, unsigned cpu,
			int y, int x, int w)
{
	int b0, b1, n = 0;

	for (int c = 0; c < w; c++) {
		col_buckets(c, w, &b0, &b1);
		if (agg_cpu_state(a, cpu, (unsigned)b0, (unsigned)b1) !=
		    AGG_CPU_UNKNOWN)
			continue;
		put_text(y, x + c, 1, t->utf8 ? "·" : "-", role(PAIR_DIM));
		n++;
	}
	if (n == w && w > 12)
		put_text(y, x + 1, 9, " no data ", role(PAIR_DIM));
}

static void fmt_big(char *buf, size_t len, double v)
{
	if (v < 10000)
		snprintf(buf, len, "%.0f", v);
	else if (v < 10e6)
		snprintf(buf, len, "%.1fK", v / 1e3);
	else
		snprintf(buf, len, "%.1fM", v / 1e6);
}

/* A small top-N list from the aggregate at (Y, X), W wide, N rows. */
static void top_list(struct tui *t, int y, int x, int w, int n,
		     const char *title, enum view_id v, int col_name,
		     int col_name2, int col_val)
{
	struct model *m = t->m;
	struct frame save = m->stack[m->depth - 1];
	struct frame tmp;
	char line[256];

	/* Borrow a frame of view V to reuse its sorting and formatting. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.view = v;
	tmp.sort_col = col_val;
	tmp.sort_desc = 1;
	tmp.stale = 1;
	m->stack[m->depth - 1] = tmp;
	put_text(y, x, w, title, role(PAIR_HEADER));
	fill(y, x + (int)strlen(title), w - (int)strlen(title), role(PAIR_HEADER));
	size_t rows = model_rows(m);
	for (int i = 0; i < n && (size_t)i < rows; i++) {
		const char *val = model_cell_text(m, (size_t)i, col_val);
		char vbuf[32];
		snprintf(vbuf, sizeof(vbuf), "%s", val);
		char name[128];
		snprintf(name, sizeof(name), "%s", model_cell_text(m, (size_t)i,
								   col_name));
		if (col_name2 >= 0) {
			size_t o = strlen(name);
			snprintf(name + o, sizeof(name) - o, " %s",
				 model_cell_text(m, (size_t)i, col_name2));
		}
		snprintf(line, sizeof(line), "%-*.*s %9s", w - 11 > 0 ? w - 11 : 1,
			 w - 11 > 0 ? w - 11 : 1, name, vbuf);
		put_text(y + 1 + i, x, w, line, A_NORMAL);
	}
	if (!rows)
		put_text(y + 1, x, w, model_partial(m) ? "reading..." : "(none)",
			 role(PAIR_DIM));
	free(m->stack[m->depth - 1].order);
	free(m->stack[m->depth - 1].depth);
	m->stack[m->depth - 1] = save;
}

static void draw_overview(struct tui *t)
{
	struct model *m = t->m;
	struct agg *a = model_agg(m);
	char buf[512], n[EV_KIND_COUNT][16];
	const char *host = store_meta(m->st, "host");
	const char *kern = store_meta(m->st, "kernel");
	int y = 3, w = tui_timeline_width(t->cols);
	double ev[AGG_BUCKETS], lost[AGG_BUCKETS], busy[AGG_BUCKETS];
	double max = 0, span = (double)(m->span_to - m->span_from) / 1e9;
	uint64_t total = 0;

	/* the window's counts (analyze/fold/ovw.h, as `report summary`);
	 * "~" while they are estimates, the whole trace's chunk index
	 * before the aggregate exists */
	int est = !a || !agg_done(a);
	double scale = a ? agg_scale(a) : 1;
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		uint64_t v = a ? (uint64_t)llround((double)a->ovw.events[k] *
						   scale) :
			     m->kind_events[k];
		fmt_big(n[k], sizeof(n[k]), (double)v);
		total += v;
	}
	snprintf(buf, sizeof(buf), "%s  %s  %u cpus  %.3f s  %s%llu events  "
		 "lost %llu", host ? host : "?", kern ? kern : "?", m->cpus,
		 span, est ? "~" : "", (unsigned long long)total,
		 (unsigned long long)(a ? a->ovw.lost : m->lost_total));
	put_text(y++, 0, t->cols, buf, A_BOLD);
	buf[0] = '\0';
	for (int k = 0, l = 0; k < EV_KIND_COUNT && l < (int)sizeof(buf); k++)
		l += snprintf(buf + l, sizeof(buf) - (size_t)l, "%s%s %s",
			      k ? "  " : "", ev_desc(k)->title, n[k]);
	put_text(y++, 0, t->cols, buf, A_NORMAL);
	/* a recording with capture filters: its counts are of what it kept */
	struct capture cap;
	char capt[400];

	capture_read(m->st, &cap);
	if (capture_describe(&cap, capt, sizeof(capt))) {
		snprintf(buf, sizeof(buf), "capture: %s", capt);
		put_text(y++, 0, t->cols, buf, A_NORMAL);
	}
	if (m->shed[0])
		put_text(y++, 0, t->cols, m->shed, role(PAIR_LOST));

	/* events/s: the aggregate where read, the chunk index elsewhere */
	int any_est = 0;
	for (int b = 0; b < AGG_BUCKETS; b++) {
		int done = a && agg_bucket_done(a, (unsigned)b);
		ev[b] = done ? (double)a->tl_events[b] : m->idx_tl[b];
		any_est |= !done;
		lost[b] = a ? (double)a->tl_lost[b] : 0;
		if (ev[b] > max)
			max = ev[b];
	}
	double bucket_s = (double)(m->win_to - m->win_from) / 1e9 / AGG_BUCKETS;
	fmt_big(n[0], sizeof(n[0]), bucket_s > 0 ? max / bucket_s : 0);
	char peak[96];
	snprintf(peak, sizeof(peak), "peak %s ev/s%s", n[0],
		 any_est ? " (estimate from the chunk index)" : "");
	put_text(y, 0, 8, "events", A_NORMAL);
	spark(t, y, 9, w, ev, max, role(any_est ? PAIR_DIM : PAIR_GRAPH));
	y++;
	/* CPU busy rows: as many as fit above the top lists; the trace's
	 * CPUs without a switch read have rows too */
	unsigned ncpu = !a ? 0 : a->ncpu > m->cpus ? a->ncpu :
			m->cpus < AGG_MAXCPU ? m->cpus : AGG_MAXCPU;
	int hangs = draw_hangs_rows(t);
	int room = t->rows - y - 9 - hangs;
	if (room < 1)
		room = 1;
	for (unsigned c = 0; c < ncpu && (int)c < room; c++) {
		for (int b = 0; b < AGG_BUCKETS; b++)
			busy[b] = (double)a->tl_busy[c][b];
		unsigned __int128 bns = ((unsigned __int128)(m->win_to - m->win_from) + 1)
					/ AGG_BUCKETS;
		snprintf(buf, sizeof(buf), "cpu%-3u", c);
		put_text(y, 0, 8, buf, A_NORMAL);
		spark(t, y, 9, w, busy, (double)bns, role(PAIR_BUSY));
		cpu_unknown(t, a, c, y, 9, w);
		y++;
	}
	if (ncpu > (unsigned)room) {
		snprintf(buf, sizeof(buf), "(+%u cpus)", ncpu - (unsigned)room);
		put_text(y++, 0, t->cols, buf, role(PAIR_DIM));
	}
	if (!ncpu)
		put_text(y++, 0, t->cols, a && agg_done(a) ? "no sched_switch "
			 "events: no CPU rows" : "cpu    reading...",
			 role(PAIR_DIM));
	/* lost marks, the time cursor and a window being selected */
	put_text(y, 0, 8, "lost", A_NORMAL);
	int pl = (int)strlen(peak);
	put_text(y, t->cols - pl > 9 ? t->cols - pl : 9, t->cols, peak,
		 role(PAIR_DIM));
	double nb;
	for (int c = 0; c < w; c++)
		if (col_sum(lost, c, w, &nb) > 0)
			put_text(y, 9 + c, 1, "X", role(PAIR_LOST));
	y++;
	uint64_t ws = m->win_to - m->win_from + 1;
	int cur = (int)((double)(m->cursor - m->win_from) / (double)ws * w);
	if (cur >= w)
		cur = w - 1;
	if (m->marking) {
		int mk = m->mark < m->win_from ? 0 :
			 (int)((double)(m->mark - m->win_from) / (double)ws * w);
		int lo = mk < cur ? mk : cur, hi = mk < cur ? cur : mk;
		for (int c = lo; c <= hi && c < w; c++)
			put_text(y, 9 + c, 1, "=", role(PAIR_WINDOW));
	}
	put_text(y, 9 + cur, 1, "^", role(PAIR_WINDOW) | A_BOLD);
	model_fmt_reltime(m, m->cursor, buf, sizeof(buf));
	put_text(y, 0, 8, buf + 0, A_NORMAL);
	y++;
	y += draw_hangs(t, y);

	/* top lists side by side */
	int lw = (t->cols - 2) / 3, rows = t->rows - 1 - y - 1;
	if (rows > 0 && lw > 14) {
		top_list(t, y, 0, lw, rows, " Top CPU", VIEW_PROCS, 1, 0, 2);
		top_list(t, y, lw + 1, lw, rows, " Top syscalls", VIEW_SYSCALLS,
			 0, -1, 1);
		top_list(t, y, 2 * (lw + 1), lw, rows, " Top errors",
			 VIEW_ERRORS, 0, 1, 2);
	}
}

/* ---- lists ---------------------------------------------------------------- */

/* The Processes tree's prefix of a row at DEPTH (> 0): the depth shows
 * as indentation up to 3 levels and as a number below, so that it takes
 * at most MODEL_TREE_PREFIX columns, which the name column gets on top of
 * its width (model_col_layout): names stay whole in deep trees. */
static void tree_prefix(struct tui *t, int depth, char *buf, size_t len)
{
	const char *mark = t->utf8 ? "└ " : "`-";

	if (depth <= MODEL_TREE_PREFIX - 1)
		snprintf(buf, len, "%*s%s", depth - 1, "", mark);
	else if (depth < 100)
		snprintf(buf, len, "%d%s", depth, mark);
	else
		snprintf(buf, len, "++%s", mark);
}

/* Draw S in the columns [X, X + W) of a row scrolled HS columns left,
 * within the screen.  1 when some of S is not on screen. */
static int put_clip(struct tui *t, int y, int x, int w, const char *s,
		    attr_t a, int hs)
{
	int start = x - hs, skip = start < 0 ? -start : 0, more;

	if (skip >= w)
		return 0; /* scrolled out to the left */
	if (start + skip >= t->cols)
		return *s != '\0';
	int avail = w - skip < t->cols - (start + skip) ? w - skip :
		    t->cols - (start + skip);
	put_text_skip(y, start + skip, avail, s, skip, a, &more);
	return more;
}

/* "▲ 12 above" (N 0: an Events list, whose count is unknown) at the right
 * of header row Y, left of the replay mark. */
static void rows_above_mark(struct tui *t, int y, size_t n)
{
	char buf[64], num[24] = "";
	int right = t->m->playing ?
		    snprintf(buf, sizeof(buf), " PLAY %gx ", t->m->speed) : 0;

	if (n)
		snprintf(num, sizeof(num), " %zu", n);
	snprintf(buf, sizeof(buf), " %s%s rows above ", t->utf8 ? "▲" : "^",
		 num);
	int w = text_cols(buf);
	if (t->cols - right - w > t->cols / 2)
		put_text(y, t->cols - right - w, w, buf, role(PAIR_TAB));
}

static void draw_list(struct tui *t)
{
	struct model *m = t->m;
	struct frame *f = model_frame(m);
	const struct view *v = views[f->view];
	size_t n = model_rows(m);
	int ncols = model_ncols(m);
	int x[64], wd[64], y0 = header_rows(t);
	size_t page = tui_list_rows(t, t->rows);
	size_t top, sel;

	if (ncols > 64)
		ncols = 64;
	if (f->view == VIEW_EVENTS) {
		top = f->ev ? f->ev->top : 0;
		sel = f->ev ? f->ev->sel : 0;
	} else {
		top = f->top;
		sel = f->sel;
	}
	model_col_layout(m, x, wd, ncols);
	fill(y0, 0, t->cols, role(PAIR_HEADER));
	if (f->view == VIEW_EVENTS) {
		char buf[128];
		snprintf(buf, sizeof(buf), "%s%s", "EVENTS", f->scope[0] ?
			 " where " : "");
		int used = put_text(y0, 0, t->cols, buf, role(PAIR_HEADER));
		put_text(y0, used, t->cols - used, f->scope, role(PAIR_HEADER));
		if (m->playing) {
			snprintf(buf, sizeof(buf), " PLAY %gx ", m->speed);
			put_text(y0, t->cols - (int)strlen(buf), (int)strlen(buf),
				 buf, role(PAIR_TAB));
		}
	} else {
		for (int c = 0; c < ncols; c++) {
			const char *title = v->cols ? v->cols[c].title :
					    f->grid->names[c];
			char buf[96];
			int sorted = v->cols && c == f->sort_col;
			snprintf(buf, sizeof(buf), "%s%s", title, !sorted ? "" :
				 f->sort_desc ? (t->utf8 ? "▼" : "v") :
				 (t->utf8 ? "▲" : "^"));
			put_clip(t, y0, x[c], wd[c], buf, role(PAIR_HEADER) |
				 (sorted ? A_BOLD : 0), f->hscroll);
		}
	}
	if (model_rows_above(m)) /* the list does not start on screen */
		rows_above_mark(t, y0, f->view == VIEW_EVENTS ? 0 : top);
	for (size_t r = 0; r < page; r++) {
		size_t i = top + r;
		int y = y0 + 1 + (int)r;
		move(y, 0);
		clrtoeol();
		if (i >= n)
			continue;
		attr_t a = i == sel ? role(PAIR_SELECT) : A_NORMAL;
		if (i == sel)
			fill(y, 0, t->cols, a);
		int cut = 0;
		for (int c = 0; c < ncols; c++) {
			const char *s = model_cell_text(m, i, c);
			int w = wd[c];
			int right = v->cols ? v->cols[c].fmt != CF_TEXT :
				    f->grid && (f->grid->rows[i].numeric >>
						(c < 31 ? c : 31) & 1);
			char buf[512];
			if (f->depth && c == 1 && f->view == VIEW_PROCS &&
			    f->depth[i]) {
				tree_prefix(t, f->depth[i], buf, sizeof(buf));
				size_t o = strlen(buf);
				snprintf(buf + o, sizeof(buf) - o, "%s", s);
				s = buf;
			}
			int len = text_cols(s);
			int off = right && len < w ? w - len : 0;
			if (c == ncols - 1 && !right) /* the last: whole */
				w = 1 << 20;
			cut |= put_clip(t, y, x[c] + off, w - off, s, a,
					f->hscroll);
		}
		/* scrolled, and cut (Right scrolls, d shows the whole row) */
		if (f->hscroll)
			put_text(y, 0, 1, t->utf8 ? "«" : "<", a | A_BOLD);
		if (cut)
			put_text(y, t->cols - 1, 1, t->utf8 ? "»" : ">",
				 a | A_BOLD);
	}
	if (!n) {
		const char *msg = model_partial(m) ? f->view == VIEW_SQL ?
				  "running... (Esc stops the query)" : "reading..." :
				  f->ev && f->ev->err[0] ? f->ev->err :
				  "(no rows in this window)";
		put_text(y0 + 1, 1, t->cols - 1, msg, role(PAIR_DIM));
	}
}

/* ---- help ----------------------------------------------------------------- */

static void draw_help(struct tui *t)
{
	int y = header_rows(t), rows = t->rows - y - 1;
	static char text[16384];
	size_t line = 0;

	fill(y, 0, t->cols, role(PAIR_HEADER));
	put_text(y, 0, t->cols, " Keys (any other key closes; Up/Down scroll)",
		 role(PAIR_HEADER));
	for (int r = 1; r < rows; r++) {
		move(y + r, 0);
		clrtoeol();
	}
	tui_help_text(model_frame(t->m)->view, text, sizeof(text));
	for (char *s = text, *nl; (nl = strchr(s, '\n')); s = nl + 1, line++) {
		*nl = '\0';
		if (line >= t->help_top && (int)(line - t->help_top) + 1 < rows)
			put_text(y + 1 + (int)(line - t->help_top), 0, t->cols,
				 s, s[0] == ' ' ? A_NORMAL : A_BOLD);
	}
	if (t->help_top > line)
		t->help_top = line;
}

/* ---- detail pane ---------------------------------------------------------- */

static void draw_detail(struct tui *t)
{
	int y = header_rows(t), rows = t->rows - y - 1;
	const char *s = t->m->detail;
	size_t row = 0;
	char line[4096];

	fill(y, 0, t->cols, role(PAIR_HEADER));
	put_text(y, 0, t->cols, " Detail (Esc closes; Up/Down scroll)",
		 role(PAIR_HEADER));
	for (int r = 1; r < rows; r++) {
		move(y + r, 0);
		clrtoeol();
	}
	/* each line wrapped at the screen's width */
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		int more = 1;
		snprintf(line, sizeof(line), "%.*s", (int)len, s);
		for (int skip = 0; more; skip += t->cols, row++) {
			int yy = y + 1 + (int)(row - t->detail_top);
			if (row >= t->detail_top && yy < y + rows)
				put_text_skip(yy, 0, t->cols, line, skip,
					      A_NORMAL, &more);
			else
				more = text_cols(line) > skip + t->cols;
		}
		s += len + (nl ? 1 : 0);
	}
	if (t->detail_top >= row)
		t->detail_top = row ? row - 1 : 0;
}

/* ---- for the panes of other files (draw.h) ------------------------------ */

int draw_text(int y, int x, int w, const char *s, attr_t a)
{
	return put_text(y, x, w, s, a);
}

void draw_fill(int y, int x, int w, attr_t a)
{
	fill(y, x, w, a);
}

attr_t draw_attr(enum draw_pair p)
{
	return role(p);
}

void tui_draw(struct tui *t)
{
	getmaxyx(stdscr, t->rows, t->cols);
	erase();
	model_layout(t->m, tui_list_rows(t, t->rows), t->cols,
		     model_frame(t->m)->view == VIEW_TIMELINE ?
		     tui_tl_width(t->cols) : tui_timeline_width(t->cols));
	if (t->rows < 6 || t->cols < 20) {
		put_text(0, 0, t->cols, "kscope: the terminal is too small",
			 A_BOLD);
		refresh();
		return;
	}
	draw_title(t);
	draw_tabs(t);
	draw_breadcrumb(t);
	if (t->help)
		draw_help(t);
	else if (t->m->detail)
		draw_detail(t);
	else if (model_frame(t->m)->view == VIEW_OVERVIEW)
		draw_overview(t);
	else if (model_frame(t->m)->view == VIEW_TIMELINE)
		tui_draw_timeline(t, header_rows(t));
	else
		draw_list(t);
	if (!t->help && model_frame(t->m)->view == VIEW_RUNQ) {
		int n = t->rows - header_rows(t) - 2;
		draw_runq_hist(t, t->rows - 1 - draw_runq_rows(n),
			       draw_runq_rows(n));
	}
	if (!t->help)
		draw_why(t);
	draw_status(t);
	curs_set(t->prompt != PROMPT_NONE);
	refresh();
}
