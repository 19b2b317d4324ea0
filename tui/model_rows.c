/*
 * model_rows.c - the rows of the current frame: building and sorting the
 * order of list views (flat or as a process tree), the Events list and the
 * slowest-calls grid, cell text by column format, the selection, sorting.
 * Part of the model (model.h); no curses.
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

/* ---- rows ------------------------------------------------------------------ */

struct sortkey {
	int64_t i;
	char *s;
	size_t src;
};

static int key_cmp_asc(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;
	int c;

	if (x->s || y->s)
		c = strcasecmp(x->s ? x->s : "", y->s ? y->s : "");
	else
		c = (x->i > y->i) - (x->i < y->i);
	return c ? c : (x->src > y->src) - (x->src < y->src);
}

static int key_cmp_desc(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;
	int c;

	if (x->s || y->s)
		c = strcasecmp(y->s ? y->s : "", x->s ? x->s : "");
	else
		c = (y->i > x->i) - (y->i < x->i);
	return c ? c : (x->src > y->src) - (x->src < y->src);
}

/* Processes tree: parents before children, siblings in sort order. */
static int order_tree(struct model *m, struct frame *f)
{
	size_t n = f->norder;
	long *parent = malloc(n * sizeof(*parent));
	long *first = malloc(n * sizeof(*first));
	long *last = malloc(n * sizeof(*last));
	long *next = malloc(n * sizeof(*next));
	size_t *out = malloc(n * sizeof(*out));
	int *depth = malloc(n * sizeof(*depth));
	long *stack = malloc((n + 1) * sizeof(*stack));
	int *sdepth = malloc((n + 1) * sizeof(*sdepth));
	struct hmap pos = { 0 };
	struct agg *a = model_agg(m);
	int rc = -ENOMEM;

	if (!parent || !first || !last || !next || !out || !depth || !stack ||
	    !sdepth)
		goto done;
	for (size_t i = 0; i < n; i++)
		if (hmap_put(&pos, a->procs[f->order[i]].id, (uint32_t)i) < 0)
			goto done;
	for (size_t i = 0; i < n; i++) {
		long pi = hmap_index(&m->proc_map, a->procs[f->order[i]].id);
		uint32_t ppid = pi >= 0 ? m->procs[pi].ppid : 0;
		parent[i] = ppid && ppid != a->procs[f->order[i]].id ?
				    hmap_index(&pos, ppid) : -1;
		first[i] = last[i] = next[i] = -1;
	}
	for (size_t i = 0; i < n; i++) {
		long p = parent[i];
		if (p < 0)
			continue;
		if (last[p] < 0)
			first[p] = (long)i;
		else
			next[last[p]] = (long)i;
		last[p] = (long)i;
	}
	size_t o = 0;
	for (size_t r = 0; r < n; r++) {
		if (parent[r] >= 0)
			continue;
		size_t sp = 0;
		stack[sp] = (long)r;
		sdepth[sp++] = 0;
		while (sp && o < n) {
			long i = stack[--sp];
			int d = sdepth[sp];
			out[o] = f->order[i];
			depth[o++] = d;
			/* push children in reverse so the first pops first */
			size_t mark = sp;
			for (long c = first[i]; c >= 0 && sp < n; c = next[c]) {
				stack[sp] = c;
				sdepth[sp++] = d + 1;
			}
			for (size_t x = mark, y = sp; x + 1 < y; x++, y--) {
				long t = stack[x];
				stack[x] = stack[y - 1];
				stack[y - 1] = t;
			}
		}
	}
	/* a cycle in ppid leaves rows unvisited: append them flat */
	if (o < n) {
		uint8_t *seen = calloc(n, 1);
		struct hmap at = { 0 };
		if (!seen)
			goto done;
		for (size_t i = 0; i < o; i++)
			hmap_put(&at, out[i], 0);
		for (size_t i = 0; i < n && o < n; i++)
			if (hmap_index(&at, f->order[i]) < 0) {
				out[o] = f->order[i];
				depth[o++] = 0;
			}
		hmap_free(&at);
		free(seen);
	}
	memcpy(f->order, out, n * sizeof(*out));
	free(f->depth);
	f->depth = depth;
	depth = NULL;
	rc = 0;
done:
	hmap_free(&pos);
	free(parent);
	free(first);
	free(last);
	free(next);
	free(out);
	free(depth);
	free(stack);
	free(sdepth);
	return rc;
}

static int order_build(struct model *m, struct frame *f)
{
	const struct view *v = views[f->view];
	struct agg *a = model_agg(m);
	size_t n = v->count(m);
	long keep = -1;

	if (f->order_src == a && f->sel < f->norder)
		keep = (long)f->order[f->sel];
	free(f->order);
	free(f->depth);
	f->depth = NULL;
	f->order = malloc((n ? n : 1) * sizeof(*f->order));
	f->norder = 0;
	if (!f->order)
		return -ENOMEM;
	if (f->sort_col >= 0 && f->sort_col < v->ncols && n) {
		struct sortkey *k = malloc(n * sizeof(*k));
		if (!k)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			struct cell c;
			v->get(m, i, f->sort_col, &c);
			k[i].i = c.i;
			k[i].s = c.s ? strdup(c.s) : NULL;
			k[i].src = i;
		}
		qsort(k, n, sizeof(*k), f->sort_desc ? key_cmp_desc : key_cmp_asc);
		for (size_t i = 0; i < n; i++) {
			f->order[i] = k[i].src;
			free(k[i].s);
		}
		free(k);
	} else {
		for (size_t i = 0; i < n; i++)
			f->order[i] = i;
	}
	f->norder = n;
	if (f->view == VIEW_PROCS && f->tree && a && order_tree(m, f) < 0)
		return -ENOMEM;
	f->order_src = a;
	f->order_slices = a ? a->steps : 0;
	f->stale = 0;
	f->gen = m->gen;
	if (keep >= 0) {
		for (size_t i = 0; i < n; i++)
			if (f->order[i] == (size_t)keep) {
				f->sel = i;
				break;
			}
	} else if (f->sel >= n) {
		f->sel = n ? n - 1 : 0;
	}
	if (f->sel < f->top || f->sel >= f->top + (m->page ? m->page : 1))
		f->top = f->sel >= m->page / 2 ? f->sel - m->page / 2 : 0;
	return 0;
}

int model_events_build(struct model *m, struct frame *f)
{
	char *where[EV_KIND_COUNT];
	unsigned kinds;
	int rc;

	if (f->ev) {
		evlist_free(f->ev);
		free(f->ev);
		f->ev = NULL;
	}
	f->gen = m->gen;
	f->stale = 0;
	f->prefetch_failed = 0;
	if ((rc = model_where(m, f->scope, where, &kinds)) < 0)
		return rc;
	f->ev = calloc(1, sizeof(*f->ev));
	if (!f->ev) {
		model_where_free(where);
		return -ENOMEM;
	}
	rc = evlist_init(f->ev, m->st, m->fmt, m->win_from, m->win_to,
			 ev_kinds_shown(kinds), (const char *const *)where);
	model_where_free(where);
	if (rc == 0) {
		uint64_t at = f->arg == EVENTS_AT_FIRST ? m->win_from :
			      m->cursor < m->win_from ? m->win_from :
			      m->cursor > m->win_to ? m->win_to : m->cursor;
		rc = evlist_seek(f->ev, at, 0, m->page ? m->page : 20);
	}
	if (rc < 0)
		model_status(m, 1, "events: %s", f->ev->err[0] ? f->ev->err :
			     strerror(-rc));
	return rc;
}

/* The slowest calls' grid: columns time, took, pid, tid, comm, ret, err,
 * path shown; ts and dur after them are the key and Enter's time. */
#define SLOWEST_SHOWN 8

static int slowest_build(struct model *m, struct frame *f)
{
	char *where[EV_KIND_COUNT], err[256];
	unsigned kinds;
	int rc;

	grid_free(f->grid);
	f->grid = NULL;
	f->gen = m->gen;
	f->stale = 0;
	if ((rc = model_where(m, "", where, &kinds)) < 0)
		return rc;
	snprintf(f->grid_sql, sizeof(f->grid_sql),
		 "SELECT printf('+%%.6f', (ts - %llu) / 1e9) AS time,"
		 " fmt_dur(dur) AS took, pid, tid, comm, ret, errno_name(ret)"
		 " AS err, path, ts, dur FROM syscalls WHERE ts >= ?1 AND"
		 " ts < ?2 AND nr = %lld%s%s%s ORDER BY dur DESC LIMIT 100",
		 (unsigned long long)m->span_from, (long long)f->arg, where[EV_SYSCALL] ? " AND (" : "",
		 where[EV_SYSCALL] ? where[EV_SYSCALL] : "",
		 where[EV_SYSCALL] ? ")" : "");
	int none = !(kinds >> EV_SYSCALL & 1);
	model_where_free(where);
	if (none)
		snprintf(f->grid_sql, sizeof(f->grid_sql),
			 "SELECT ts, dur FROM syscalls WHERE 0 AND ?1 AND ?2");
	/* the top-k key is dur, the last column */
	f->grid = grid_new_topk(store_db(m->st), f->grid_sql, m->win_from,
				m->win_to, none ? 1 : 9, 100, err, sizeof(err));
	if (!f->grid) {
		model_status(m, 1, "%s", err);
		return -EINVAL;
	}
	return 0;
}

/* Make the current frame's rows current. */
int model_frame_ready(struct model *m)
{
	struct frame *f = model_frame(m);
	struct agg *a;

	switch (f->view) {
	case VIEW_EVENTS:
		if (!f->ev || f->gen != m->gen)
			return model_events_build(m, f);
		return 0;
	case VIEW_SLOWEST:
		if (!f->grid || f->gen != m->gen)
			return slowest_build(m, f);
		return 0;
	case VIEW_SQL:
	case VIEW_OVERVIEW:
		return 0;
	default:
		a = model_agg(m);
		if (f->stale || f->gen != m->gen || f->order_src != a ||
		    (a && f->order_slices != a->steps) || !f->order)
			return order_build(m, f);
		return 0;
	}
}

size_t model_rows(struct model *m)
{
	struct frame *f = model_frame(m);

	model_frame_ready(m);
	switch (f->view) {
	case VIEW_EVENTS: return f->ev ? f->ev->n : 0;
	case VIEW_SLOWEST:
	case VIEW_SQL: return f->grid ? f->grid->n : 0;
	case VIEW_OVERVIEW: return 0;
	default: return f->norder;
	}
}

size_t model_row_src(struct model *m, size_t i)
{
	struct frame *f = model_frame(m);

	if (f->view == VIEW_EVENTS || f->view == VIEW_SLOWEST ||
	    f->view == VIEW_SQL || !f->order)
		return i;
	return i < f->norder ? f->order[i] : 0;
}

int model_ncols(struct model *m)
{
	struct frame *f = model_frame(m);
	const struct view *v = views[f->view];

	if (v->cols)
		return v->ncols;
	if (!f->grid)
		return 0;
	if (f->view == VIEW_SLOWEST && f->grid->ncols > SLOWEST_SHOWN)
		return SLOWEST_SHOWN;
	return f->grid->ncols;
}

int model_col_layout(struct model *m, int *x, int *wd, int ncols)
{
	struct frame *f = model_frame(m);
	const struct view *v = views[f->view];
	int pos = 0, last_text = -1;

	for (int c = 0; c < ncols; c++) {
		int w = v->cols ? v->cols[c].width :
			f->grid ? (f->grid->width[c] > 40 ? 40 : f->grid->width[c]) :
			10;
		if (f->view == VIEW_PROCS && f->tree && c == 1)
			w += MODEL_TREE_PREFIX;
		if (v->cols && v->cols[c].fmt == CF_TEXT)
			last_text = c;
		x[c] = pos;
		wd[c] = w;
		pos += w + 1;
	}
	/* the last text column of a table view takes the spare width */
	if (v->cols && last_text >= 0 && pos < m->width) {
		wd[last_text] += m->width - pos;
		for (int c = last_text + 1; c < ncols; c++)
			x[c] += m->width - pos;
		pos = m->width;
	}
	return pos;
}

/* The widest row on screen, unscrolled: the last column is drawn whole. */
static int line_cols(struct model *m)
{
	struct frame *f = model_frame(m);
	size_t n = model_rows(m);
	size_t top = f->view == VIEW_EVENTS ? f->ev ? f->ev->top : 0 : f->top;
	int x[64], wd[64], ncols = model_ncols(m), widest = 0;

	if (ncols > 64)
		ncols = 64;
	if (!ncols)
		return 0;
	widest = model_col_layout(m, x, wd, ncols);
	for (size_t i = top; i < n && i < top + m->page; i++) {
		int w = x[ncols - 1] + (int)strlen(model_cell_text(m, i,
								   ncols - 1));
		if (w > widest)
			widest = w;
	}
	return widest;
}

int model_hscroll(struct model *m, int delta)
{
	struct frame *f = model_frame(m);
	int was = f->hscroll, most = line_cols(m) - m->width + 1;

	f->hscroll += delta;
	if (f->hscroll > most)
		f->hscroll = most;
	if (f->hscroll < 0)
		f->hscroll = 0;
	return f->hscroll != was;
}

/* Text found at column COL (of the unscrolled row), LEN long: scroll so
 * that it is on screen, a third of the way in: what comes before it and
 * what follows it. */
void model_hscroll_show(struct model *m, int col, int len)
{
	struct frame *f = model_frame(m);
	int w = m->width - 2; /* the scroll marks take a column each side */

	if (col >= f->hscroll && col + len <= f->hscroll + w)
		return;
	f->hscroll = col + len <= w ? 0 : col > w / 3 ? col - w / 3 : 0;
}

static void fmt_count(char *buf, size_t len, double v, int approx)
{
	const char *pre = approx ? "~" : "";
	if (v < 100000)
		snprintf(buf, len, "%s%.0f", pre, v);
	else if (v < 100e6)
		snprintf(buf, len, "%s%.1fK", pre, v / 1e3);
	else
		snprintf(buf, len, "%s%.1fM", pre, v / 1e6);
}

static void fmt_dur_short(char *buf, size_t len, double ns, int approx)
{
	const char *pre = approx ? "~" : "";
	if (ns <= 0)
		snprintf(buf, len, "0");
	else if (ns < 1e3)
		snprintf(buf, len, "%s%.0fns", pre, ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%s%.1fus", pre, ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%s%.1fms", pre, ns / 1e6);
	else
		snprintf(buf, len, "%s%.2fs", pre, ns / 1e9);
}

static void fmt_bytes(char *buf, size_t len, double b, int approx)
{
	const char *pre = approx ? "~" : "";
	if (b < 1024)
		snprintf(buf, len, "%s%.0fB", pre, b);
	else if (b < 1048576)
		snprintf(buf, len, "%s%.1fK", pre, b / 1024);
	else if (b < 1073741824.0)
		snprintf(buf, len, "%s%.1fM", pre, b / 1048576);
	else
		snprintf(buf, len, "%s%.1fG", pre, b / 1073741824.0);
}

const char *model_cell_text(struct model *m, size_t i, int col)
{
	struct frame *f = model_frame(m);
	const struct view *v = views[f->view];
	static const struct column grid_col = { "", 0, CF_TEXT, 0 };
	const struct column *c = v->cols && col < v->ncols ? &v->cols[col] :
							     &grid_col;
	struct agg *a = model_agg(m);
	int approx = a && !agg_done(a) && f->view != VIEW_EVENTS &&
		     !f->grid && f->view != VIEW_INSTEAD;
	double scale = approx ? agg_scale(a) : 1;
	struct cell x;
	char *buf = m->fmtbuf;

	if (!v->get)
		return "";
	v->get(m, model_row_src(m, i), col, &x);
	switch (c->fmt) {
	case CF_TEXT: return x.s ? x.s : "";
	case CF_INT: snprintf(buf, sizeof(m->fmtbuf), "%lld", (long long)x.i); break;
	case CF_COUNT: fmt_count(buf, sizeof(m->fmtbuf), (double)x.i * scale, approx); break;
	case CF_DUR: fmt_dur_short(buf, sizeof(m->fmtbuf), (double)x.i * scale, approx); break;
	case CF_DUR_STAT: fmt_dur_short(buf, sizeof(m->fmtbuf), (double)x.i, approx); break;
	case CF_BYTES: fmt_bytes(buf, sizeof(m->fmtbuf), (double)x.i * scale, approx); break;
	case CF_PCT: snprintf(buf, sizeof(m->fmtbuf), "%.1f", (double)x.i / 10); break;
	case CF_TS: model_fmt_reltime(m, (uint64_t)x.i, buf, sizeof(m->fmtbuf)); break;
	}
	return buf;
}

/* ---- selection ------------------------------------------------------------ */

int model_rows_above(struct model *m)
{
	struct frame *f = model_frame(m);

	if (f->view == VIEW_EVENTS)
		return f->ev && (f->ev->top > 0 || !f->ev->at_start);
	return f->top > 0;
}

void model_clamp_list(struct model *m, struct frame *f, size_t n)
{
	size_t page = m->page ? m->page : 1;

	if (f->sel >= n)
		f->sel = n ? n - 1 : 0;
	if (f->sel < f->top)
		f->top = f->sel;
	if (f->sel >= f->top + page)
		f->top = f->sel + 1 - page;
}

int model_move(struct model *m, long delta)
{
	struct frame *f = model_frame(m);
	size_t n = model_rows(m);

	if (f->view == VIEW_EVENTS) {
		if (!f->ev)
			return 0;
		int rc = evlist_move(f->ev, delta, m->page ? m->page : 1);
		if (rc < 0)
			model_status(m, 1, "events: %s", f->ev->err);
		if (f->ev->n)
			m->cursor = f->ev->rows[f->ev->sel].ts;
		return rc;
	}
	if (delta < 0 && (size_t)-delta > f->sel)
		f->sel = 0;
	else
		f->sel = (size_t)((long)f->sel + delta);
	model_clamp_list(m, f, n);
	return 0;
}

int model_home(struct model *m)
{
	struct frame *f = model_frame(m);

	model_rows(m);
	if (f->view == VIEW_EVENTS && f->ev) {
		m->cursor = m->win_from;
		return evlist_seek(f->ev, m->win_from, 0, m->page ? m->page : 1);
	}
	f->sel = f->top = 0;
	return 0;
}

int model_end(struct model *m)
{
	struct frame *f = model_frame(m);
	size_t n = model_rows(m);

	if (f->view == VIEW_EVENTS && f->ev) {
		int rc = evlist_end(f->ev, m->page ? m->page : 1);
		if (rc < 0)
			model_status(m, 1, "events: %s", f->ev->err);
		if (f->ev->n)
			m->cursor = f->ev->rows[f->ev->sel].ts;
		return rc;
	}
	f->sel = n ? n - 1 : 0;
	model_clamp_list(m, f, n);
	return 0;
}

int model_enter(struct model *m)
{
	struct frame *f = model_frame(m);
	const struct view *v = views[f->view];
	size_t n = model_rows(m);
	size_t sel = f->view == VIEW_EVENTS && f->ev ? f->ev->sel : f->sel;

	if (!v->enter || sel >= n)
		return 0;
	return v->enter(m, model_row_src(m, sel));
}

/* ---- sorting --------------------------------------------------------------- */

int model_sort_next(struct model *m)
{
	struct frame *f = model_frame(m);
	const struct view *v = views[f->view];

	if (!v->cols)
		return 0;
	for (int i = 1; i <= v->ncols; i++) {
		int c = (f->sort_col + i + v->ncols) % v->ncols;
		if (c >= 0 && v->cols[c].sortable) {
			f->sort_col = c;
			f->sort_desc = v->cols[c].fmt != CF_TEXT;
			f->stale = 1;
			model_status(m, 0, "sorted by %s", v->cols[c].title);
			return 1;
		}
	}
	return 0;
}

int model_sort_invert(struct model *m)
{
	struct frame *f = model_frame(m);

	if (!views[f->view]->cols || f->sort_col < 0)
		return 0;
	f->sort_desc = !f->sort_desc;
	f->stale = 1;
	return 1;
}

int model_tree_toggle(struct model *m)
{
	struct frame *f = model_frame(m);

	if (f->view != VIEW_PROCS)
		return 0;
	f->tree = !f->tree;
	f->stale = 1;
	model_status(m, 0, "%s", f->tree ? "process tree" : "flat list");
	return 1;
}

