/*
 * model.c - the TUI state machine (see model.h).  No curses here.
 * This file: names, frames and the drill-down stack, the filter, the
 * aggregate cache, the SQL prompt, background work, open and close;
 * model_rows.c: rows, cells, selection, sorting; model_time.c: the time
 * window, search, replay.
 *
 * Frames own their memory (order arrays, evlist, grid).  stack[0] is the
 * current tab's frame, moved in from tabs[] on a switch and back out on
 * the next; drill-down frames above it are freed when popped.  m->gen
 * counts window and filter changes; a frame built under an older
 * generation rebuilds its rows (and its evlist or top-k grid) when next
 * shown.
 */
#include "config.h"
#include "tui/model.h"
#include "tui/model_int.h"
#include "tui/tlview.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/timearg.h"
#include "tui/why.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


void model_status(struct model *m, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->status, sizeof(m->status), fmt, ap);
	va_end(ap);
	for (char *p = m->status; *p; p++)
		if (*p == '\n')
			*p = '\0';
	m->status_err = err;
}

/* ---- names -------------------------------------------------------------- */

const char *model_proc_comm(struct model *m, uint32_t pid)
{
	const char *c = names_proc(&m->names, pid, m->win_to);
	return c ? c : "?";
}

const char *model_thread_comm(struct model *m, uint64_t life)
{
	const char *c = names_life_comm(&m->names, life);
	return c ? c : "?";
}

const char *model_syscall_name(struct model *m, int nr, char *buf,
			       size_t len)
{
	const char *n = store_syscall_name(m->st, nr);
	if (n)
		return n;
	snprintf(buf, len, "syscall_%d", nr);
	return buf;
}

void model_fmt_reltime(const struct model *m, uint64_t ts, char *buf,
		       size_t len)
{
	uint64_t d = ts >= m->span_from ? ts - m->span_from : 0;
	snprintf(buf, len, "+%llu.%06llu", (unsigned long long)(d / 1000000000),
		 (unsigned long long)(d % 1000000000 / 1000));
}

static char *dupstr(const unsigned char *s)
{
	return s ? strdup((const char *)s) : NULL;
}

static int load_names(struct model *m)
{
	sqlite3 *db = store_db(m->st);
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	if ((rc = names_load(&m->names, m->st)) < 0)
		return rc;
	if (sqlite3_prepare_v2(db, "SELECT pid, ppid, cmdline FROM "
			       "processes ORDER BY start_ts", -1, &s,
			       NULL) != SQLITE_OK)
		return -EIO;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (m->nprocs == cap) {
			cap = cap ? cap * 2 : 256;
			void *p = realloc(m->procs, cap * sizeof(*m->procs));
			if (!p)
				goto nomem;
			m->procs = p;
		}
		struct model_proc *p = &m->procs[m->nprocs];
		p->pid = (uint32_t)sqlite3_column_int64(s, 0);
		p->ppid = (uint32_t)sqlite3_column_int64(s, 1);
		p->cmdline = dupstr(sqlite3_column_text(s, 2));
		/* later start replaces: the map names the latest process */
		if (hmap_put(&m->proc_map, p->pid, (uint32_t)m->nprocs) < 0)
			goto nomem;
		m->nprocs++;
	}
	sqlite3_finalize(s);
	return 0;
nomem:
	sqlite3_finalize(s);
	return -ENOMEM;
}

/* The chunk index spread over the window's buckets: the timeline shown
 * before the aggregate has read a slice. */
static void index_timeline(struct model *m)
{
	sqlite3_stmt *s;
	double span = (double)(m->win_to - m->win_from) + 1;

	memset(m->idx_tl, 0, sizeof(m->idx_tl));
	if (sqlite3_prepare_v2(store_db(m->st), "SELECT ts_first, ts_last, "
			       "count FROM chunks WHERE ts_last >= ?1 AND "
			       "ts_first <= ?2", -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(s, 1, (int64_t)m->win_from);
	sqlite3_bind_int64(s, 2, (int64_t)m->win_to);
	while (sqlite3_step(s) == SQLITE_ROW) {
		double a = (double)sqlite3_column_int64(s, 0) - (double)m->win_from;
		double z = (double)sqlite3_column_int64(s, 1) - (double)m->win_from;
		double c = (double)sqlite3_column_int64(s, 2);
		double per = c / (z - a + 1);
		for (int b = 0; b < AGG_BUCKETS; b++) {
			double lo = span * b / AGG_BUCKETS;
			double hi = span * (b + 1) / AGG_BUCKETS;
			double x = (a > lo ? a : lo), y = (z + 1 < hi ? z + 1 : hi);
			if (y > x)
				m->idx_tl[b] += per * (y - x);
		}
	}
	sqlite3_finalize(s);
}

/* ---- frames ------------------------------------------------------------- */

static void frame_init(struct frame *f, enum view_id v)
{
	memset(f, 0, sizeof(*f));
	f->view = v;
	f->sort_col = views[v]->default_sort;
	f->sort_desc = 1;
	f->stale = 1;
	f->order_src = NULL;
	snprintf(f->label, sizeof(f->label), "%s", views[v]->name);
}

static void frame_free(struct frame *f)
{
	free(f->order);
	free(f->depth);
	if (f->ev) {
		evlist_free(f->ev);
		free(f->ev);
	}
	grid_free(f->grid);
	if (f->data_free)
		f->data_free(f->data);
	memset(f, 0, sizeof(*f));
}

struct frame *model_frame(struct model *m)
{
	return &m->stack[m->depth - 1];
}

const struct view *model_view(struct model *m)
{
	return views[model_frame(m)->view];
}

static enum view_id tab_of(struct model *m)
{
	return m->stack[0].view;
}

int model_view_switch(struct model *m, enum view_id v)
{
	if (v >= VIEW_TABS)
		return -EINVAL;
	while (m->depth > 1)
		frame_free(&m->stack[--m->depth]);
	m->tabs[tab_of(m)] = m->stack[0];
	m->stack[0] = m->tabs[v];
	memset(&m->tabs[v], 0, sizeof(m->tabs[v]));
	m->playing = 0;
	return 0;
}

int model_view_next(struct model *m, int dir)
{
	int v = ((int)tab_of(m) + dir + VIEW_TABS) % VIEW_TABS;
	return model_view_switch(m, (enum view_id)v);
}

int model_push(struct model *m, enum view_id v, const char *label,
	       const char *scope, int64_t arg)
{
	if (m->depth >= MODEL_MAX_DEPTH) {
		model_status(m, 1, "too deep: press Esc to go back");
		return -E2BIG;
	}
	struct frame *f = &m->stack[m->depth];
	frame_init(f, v);
	snprintf(f->label, sizeof(f->label), "%s", label);
	snprintf(f->scope, sizeof(f->scope), "%s", scope ? scope : "");
	f->arg = arg;
	m->depth++;
	m->playing = 0;
	return 0;
}

int model_back(struct model *m)
{
	if (m->marking) {
		m->marking = 0;
		model_status(m, 0, "window selection cancelled");
		return 0;
	}
	if (m->depth <= 1)
		return 0;
	frame_free(&m->stack[--m->depth]);
	m->playing = 0;
	return 1;
}

void model_breadcrumb(struct model *m, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < m->depth && o + 1 < len; i++) {
		int n = snprintf(buf + o, len - o, "%s%s", i ? " > " : "",
				 m->stack[i].label);
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

/* ---- filter and the SQL each table gets --------------------------------- */

int model_where(struct model *m, const char *scope, char *where[EV_KIND_COUNT],
		unsigned *kinds)
{
	char text[640], err[FILTER_ERRLEN];
	struct filter *f;

	for (int k = 0; k < EV_KIND_COUNT; k++)
		where[k] = NULL;
	*kinds = EV_KIND_ALL;
	if (scope && *scope && m->filter_text[0])
		snprintf(text, sizeof(text), "(%s) and (%s)", scope,
			 m->filter_text);
	else if (scope && *scope)
		snprintf(text, sizeof(text), "%s", scope);
	else if (m->filter_text[0])
		snprintf(text, sizeof(text), "%s", m->filter_text);
	else
		return 0;
	f = filter_parse(text, err, sizeof(err));
	if (!f) {
		model_status(m, 1, "%s", err);
		return -EINVAL;
	}
	*kinds = filter_kinds(f);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		if (!(*kinds >> k & 1))
			continue;
		sqlite3_str *s = sqlite3_str_new(store_db(m->st));
		filter_sql(f, ev_desc(k), s);
		char *w = sqlite3_str_finish(s);
		where[k] = w ? strdup(w) : NULL;
		sqlite3_free(w);
		if (!where[k]) {
			filter_free(f);
			for (int j = 0; j < k; j++)
				free(where[j]);
			return -ENOMEM;
		}
	}
	filter_free(f);
	return 0;
}

void model_where_free(char *where[EV_KIND_COUNT])
{
	for (int k = 0; k < EV_KIND_COUNT; k++)
		free(where[k]);
}


void model_invalidate(struct model *m)
{
	m->gen++;
	for (int i = 0; i < m->depth; i++)
		m->stack[i].stale = 1;
	for (int v = 0; v < VIEW_TABS; v++)
		m->tabs[v].stale = 1;
	index_timeline(m);
}

int model_filter_set(struct model *m, const char *text)
{
	char err[FILTER_ERRLEN];
	struct filter *f;

	while (*text == ' ')
		text++;
	if (!*text) {
		m->filter_text[0] = '\0';
		model_status(m, 0, "filter cleared");
		model_invalidate(m);
		return 0;
	}
	f = filter_parse(text, err, sizeof(err));
	if (!f) {
		model_status(m, 1, "%s", err);
		return -EINVAL;
	}
	filter_free(f);
	snprintf(m->filter_text, sizeof(m->filter_text), "%s", text);
	model_status(m, 0, "filter: %s", text);
	model_invalidate(m);
	return 0;
}

/* ---- aggregates ----------------------------------------------------------- */

struct agg *model_agg(struct model *m)
{
	int oldest = 0;
	for (int i = 0; i < 4; i++) {
		struct agg *a = m->cache[i];
		if (a && a->from == m->win_from && a->to == m->win_to &&
		    m->cache_filter[i] && !strcmp(m->cache_filter[i],
						  m->filter_text)) {
			m->cache_age[i] = ++m->clock;
			m->agg = a;
			return a;
		}
		if (m->cache_age[i] < m->cache_age[oldest])
			oldest = i;
	}
	char err[256];
	struct agg *a = agg_new(m->st, m->win_from, m->win_to,
				m->filter_text, err);
	if (!a) {
		model_status(m, 1, "%s", err);
		return NULL;
	}
	a->names = &m->names;
	agg_free(m->cache[oldest]);
	free(m->cache_filter[oldest]);
	m->cache[oldest] = a;
	m->cache_filter[oldest] = strdup(m->filter_text);
	m->cache_age[oldest] = ++m->clock;
	m->agg = a;
	return a;
}

int model_partial(struct model *m)
{
	struct frame *f = model_frame(m);
	if (f->work)
		return f->work(m, 0) > 0;
	if (f->grid)
		return !f->grid->done;
	if (f->view == VIEW_EVENTS)
		return f->ev && evlist_pending(f->ev);
	if (f->view == VIEW_TIMELINE)
		return !m->tlv || m->tlv->tl->partial;
	struct agg *a = model_agg(m);
	return a && !agg_done(a);
}

/* ---- SQL prompt ------------------------------------------------------------ */

int model_sql(struct model *m, const char *sql)
{
	char err[256], label[64];
	struct grid *g;

	while (*sql == ' ')
		sql++;
	if (!*sql)
		return 0;
	g = grid_new_sql(store_db(m->st), sql, err, sizeof(err));
	if (!g) {
		model_status(m, 1, "SQL: %s", err);
		return -EINVAL;
	}
	snprintf(label, sizeof(label), "SQL %.40s%s", sql,
		 strlen(sql) > 40 ? "..." : "");
	if (model_push(m, VIEW_SQL, label, "", 0) < 0) {
		grid_free(g);
		return -E2BIG;
	}
	model_frame(m)->grid = g;
	model_frame(m)->gen = m->gen;
	if (g->run) { /* a worker computes it: the rows come in model_work */
		model_status(m, 0, "running (Esc stops it): %s", sql);
		return 0;
	}
	grid_step(g, 30 * 1000000ull); /* first rows now, the rest idle */
	if (g->err[0])
		model_status(m, 1, "SQL: %s", g->err);
	else
		model_status(m, 0, "%s", sql);
	return 0;
}

int model_sql_cancel(struct model *m)
{
	struct frame *f = model_frame(m);

	if (f->view != VIEW_SQL || grid_cancel(f->grid) < 0)
		return 0;
	model_status(m, 0, "stopping the query...");
	return 1;
}

/* The SQL frame's statement is over: say how it ended. */
static void sql_done(struct model *m, struct grid *g)
{
	if (g->err[0])
		model_status(m, 1, "SQL: %s", g->err);
	else if (g->cancelled)
		model_status(m, 0, "query stopped: %zu rows", g->n);
	else if (g->truncated)
		model_status(m, 0, "the first %zu rows", g->n);
	else
		model_status(m, 0, "%zu row%s", g->n, g->n == 1 ? "" : "s");
}

/* ---- background work ----------------------------------------------------- */

/* The views' background work (model_work's, but the why pane's). */
static int views_work(struct model *m, uint64_t budget_ns)
{
	struct frame *f = model_frame(m);
	int rc;

	/* a search step; a match found is then sought: more to do either
	 * way, the next call says what */
	if (m->search_pending && f->view == VIEW_EVENTS) {
		model_events_search(m, budget_ns);
		return 1;
	}
	model_frame_ready(m);
	if (f->work && (rc = f->work(m, budget_ns)) != 0)
		return rc;
	if (f->grid && !f->grid->done) {
		rc = grid_step(f->grid, budget_ns);
		if (f->view == VIEW_SQL && f->grid->done)
			sql_done(m, f->grid);
		else if (rc < 0)
			model_status(m, 1, "%s", f->grid->err);
		return rc > 0;
	}
	if (f->view == VIEW_EVENTS && f->ev && evlist_pending(f->ev)) {
		rc = evlist_fill(f->ev, budget_ns);
		if (rc < 0)
			model_status(m, 1, "events: %s", f->ev->err);
		if (f->ev->n && !f->ev->seeking)
			m->cursor = f->ev->rows[f->ev->sel].ts;
		model_search_shown(m);
		return rc >= 0; /* done: the prefetch is next */
	}
	/* The page is there: read the pages around it, so that paging is
	 * answered from the buffer. */
	if (f->view == VIEW_EVENTS && f->ev) {
		rc = evlist_prefetch(f->ev, m->page, budget_ns);
		if (rc < 0)
			model_status(m, 1, "events: %s", f->ev->err);
		if (rc > 0)
			return 1;
	}
	/* Have the Events tab ready before it is asked for: its first page
	 * decodes a chunk of every table (tens of ms on big traces). */
	struct frame *ev = &m->tabs[VIEW_EVENTS];
	if (tab_of(m) != VIEW_EVENTS && ev->view == VIEW_EVENTS &&
	    (!ev->ev || ev->gen != m->gen) && !ev->prefetch_failed) {
		if (model_events_build(m, ev) < 0)
			ev->prefetch_failed = 1;
		return 1;
	}
	if (f->view == VIEW_TIMELINE && model_tl_work(m, budget_ns))
		return 1;
	if (f->view == VIEW_EVENTS || f->view == VIEW_SQL)
		return 0;
	struct agg *a = model_agg(m);
	if (!a || agg_done(a))
		return 0;
	rc = agg_step(a, budget_ns);
	if (rc < 0) {
		model_status(m, 1, "%s", agg_errmsg(a));
		return rc;
	}
	return rc;
}

int model_work(struct model *m, uint64_t budget_ns)
{
	int rc = views_work(m, budget_ns);

	/* the why pane's folds run in a worker: their outcome is taken
	 * between the views' slices, waited for when these are done */
	if (rc != 0)
		model_why_work(m, 0);
	else
		rc = model_why_work(m, budget_ns);
	return rc;
}

/* ---- open / close ---------------------------------------------------------- */

struct model *model_open(struct store *st, char *err, size_t errlen)
{
	struct model *m = calloc(1, sizeof(*m));
	struct store_kind_stats ks;
	const char *v;

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->st = st;
	m->speed = 1;
	if (timearg_span(st, &m->span_from, &m->span_to) < 0) {
		snprintf(err, errlen, "cannot read the trace's time span: %s",
			 store_errmsg(st));
		goto fail;
	}
	if (m->span_to <= m->span_from) {	/* one ns at least */
		if (m->span_from == UINT64_MAX)
			m->span_from--;
		m->span_to = m->span_from + 1;
	}
	for (int k = 0; k < EV_KIND_COUNT; k++)
		if (store_kind_stats(st, k, &ks) == 0)
			m->kind_events[k] = ks.events;
	if ((v = store_meta(st, "lost_total")))
		m->lost_total = strtoull(v, NULL, 10);
	if ((v = store_meta(st, "cpus")))
		m->cpus = (unsigned)strtoul(v, NULL, 10);
	struct shed_summary shed;

	if (shed_gather(store_db(st), 0, INT64_MAX, &shed) < 0) {
		snprintf(err, errlen, "cannot read the shed table: %s",
			 sqlite3_errmsg(store_db(st)));
		goto fail;
	}
	shed_describe(&shed, m->span_from, m->span_to, m->shed,
		      sizeof(m->shed));
	if (load_names(m) < 0) {
		snprintf(err, errlen, "cannot read processes and threads: %s",
			 sqlite3_errmsg(store_db(st)));
		goto fail;
	}
	m->fmt = evfmt_new(st, 0);
	if (!m->fmt) {
		snprintf(err, errlen, "cannot set up event formatting: %s",
			 strerror(errno));
		goto fail;
	}
	m->win_from = m->span_from;
	m->win_to = m->span_to;
	m->cursor = m->span_from;
	index_timeline(m);
	for (int v2 = 0; v2 < VIEW_TABS; v2++)
		frame_init(&m->tabs[v2], (enum view_id)v2);
	m->stack[0] = m->tabs[VIEW_OVERVIEW];
	memset(&m->tabs[VIEW_OVERVIEW], 0, sizeof(m->tabs[0]));
	m->depth = 1;
	m->page = 20;
	m->width = 80;
	m->tl_width = 64;
	return m;
fail:
	model_close(m);
	return NULL;
}

void model_layout(struct model *m, size_t rows, int cols, int tl)
{
	m->page = rows ? rows : 1;
	m->width = cols;
	m->tl_width = tl > 0 ? tl : 1;
	struct frame *f = model_frame(m);
	if (f->view == VIEW_EVENTS && f->ev) {
		if (f->ev->sel >= f->ev->top + m->page)
			f->ev->top = f->ev->sel + 1 - m->page;
	} else {
		model_clamp_list(m, f, f->norder);
	}
}

void model_close(struct model *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->depth; i++)
		frame_free(&m->stack[i]);
	for (int v = 0; v < VIEW_TABS; v++)
		frame_free(&m->tabs[v]);
	for (int i = 0; i < 4; i++) {
		agg_free(m->cache[i]);
		free(m->cache_filter[i]);
	}
	for (size_t i = 0; i < m->nprocs; i++)
		free(m->procs[i].cmdline);
	free(m->procs);
	hmap_free(&m->proc_map);
	model_why_close(m);
	names_free(&m->names);
	model_tl_free(m);
	evfmt_free(m->fmt);
	free(m->detail);
	free(m);
}
