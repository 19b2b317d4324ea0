/*
 * model.c - the TUI state machine (see model.h).  No curses here.
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
#include "analyze/sqlfn.h"
#include "analyze/timearg.h"

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
	long i = imap_get(&m->proc_map, pid);
	return i >= 0 && m->procs[i].comm ? m->procs[i].comm : "?";
}

const char *model_thread_comm(struct model *m, uint32_t tid)
{
	long i = imap_get(&m->thread_comm, tid);
	return i >= 0 && m->tcomm[i] ? m->tcomm[i] : "?";
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

	if (sqlite3_prepare_v2(db, "SELECT pid, ppid, comm, cmdline FROM "
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
		p->comm = dupstr(sqlite3_column_text(s, 2));
		p->cmdline = dupstr(sqlite3_column_text(s, 3));
		/* later start replaces: the map names the latest process */
		if (imap_put(&m->proc_map, p->pid, (uint32_t)m->nprocs) < 0)
			goto nomem;
		m->nprocs++;
	}
	sqlite3_finalize(s);
	cap = 0;
	if (sqlite3_prepare_v2(db, "SELECT tid, comm FROM threads ORDER BY "
			       "start_ts", -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (m->ntcomm == cap) {
			cap = cap ? cap * 2 : 256;
			void *p = realloc(m->tcomm, cap * sizeof(*m->tcomm));
			if (!p)
				goto nomem;
			m->tcomm = p;
		}
		m->tcomm[m->ntcomm] = dupstr(sqlite3_column_text(s, 1));
		if (imap_put(&m->thread_comm,
			     (uint64_t)sqlite3_column_int64(s, 0),
			     (uint32_t)m->ntcomm) < 0)
			goto nomem;
		m->ntcomm++;
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

static void where_free(char *where[EV_KIND_COUNT])
{
	for (int k = 0; k < EV_KIND_COUNT; k++)
		free(where[k]);
}


static void invalidate(struct model *m)
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
		invalidate(m);
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
	invalidate(m);
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
	char *where[EV_KIND_COUNT], err[256];
	unsigned kinds;
	if (model_where(m, "", where, &kinds) < 0)
		return NULL;
	struct agg *a = agg_new(m->st, m->win_from, m->win_to, kinds,
				(const char *const *)where, err);
	where_free(where);
	if (!a) {
		model_status(m, 1, "%s", err);
		return NULL;
	}
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
	if (f->grid)
		return !f->grid->done;
	if (f->view == VIEW_EVENTS)
		return f->ev && evlist_pending(f->ev);
	struct agg *a = model_agg(m);
	return a && !agg_done(a);
}

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
	struct imap pos = { 0 };
	struct agg *a = model_agg(m);
	int rc = -ENOMEM;

	if (!parent || !first || !last || !next || !out || !depth || !stack ||
	    !sdepth)
		goto done;
	for (size_t i = 0; i < n; i++)
		if (imap_put(&pos, a->procs[f->order[i]].id, (uint32_t)i) < 0)
			goto done;
	for (size_t i = 0; i < n; i++) {
		long pi = imap_get(&m->proc_map, a->procs[f->order[i]].id);
		uint32_t ppid = pi >= 0 ? m->procs[pi].ppid : 0;
		parent[i] = ppid && ppid != a->procs[f->order[i]].id ?
				    imap_get(&pos, ppid) : -1;
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
		struct imap at = { 0 };
		if (!seen)
			goto done;
		for (size_t i = 0; i < o; i++)
			imap_put(&at, out[i], 0);
		for (size_t i = 0; i < n && o < n; i++)
			if (imap_get(&at, f->order[i]) < 0) {
				out[o] = f->order[i];
				depth[o++] = 0;
			}
		imap_free(&at);
		free(seen);
	}
	memcpy(f->order, out, n * sizeof(*out));
	free(f->depth);
	f->depth = depth;
	depth = NULL;
	rc = 0;
done:
	imap_free(&pos);
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
	f->order_slices = a ? a->slices_done : 0;
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

static int events_build(struct model *m, struct frame *f)
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
		where_free(where);
		return -ENOMEM;
	}
	rc = evlist_init(f->ev, m->st, m->fmt, m->win_from, m->win_to, kinds,
			 (const char *const *)where);
	where_free(where);
	if (rc == 0) {
		uint64_t at = m->cursor < m->win_from ? m->win_from :
			      m->cursor > m->win_to ? m->win_to : m->cursor;
		rc = evlist_seek(f->ev, at, 0, m->page ? m->page : 20);
	}
	if (rc < 0)
		model_status(m, 1, "events: %s", f->ev->err[0] ? f->ev->err :
			     strerror(-rc));
	return rc;
}

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
	where_free(where);
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
static int frame_ready(struct model *m)
{
	struct frame *f = model_frame(m);
	struct agg *a;

	switch (f->view) {
	case VIEW_EVENTS:
		if (!f->ev || f->gen != m->gen)
			return events_build(m, f);
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
		    (a && f->order_slices != a->slices_done) || !f->order)
			return order_build(m, f);
		return 0;
	}
}

size_t model_rows(struct model *m)
{
	struct frame *f = model_frame(m);

	frame_ready(m);
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
		     !f->grid;
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
	case CF_BYTES: fmt_bytes(buf, sizeof(m->fmtbuf), (double)x.i * scale, approx); break;
	case CF_PCT: snprintf(buf, sizeof(m->fmtbuf), "%.1f", (double)x.i / 10); break;
	case CF_TS: model_fmt_reltime(m, (uint64_t)x.i, buf, sizeof(m->fmtbuf)); break;
	}
	return buf;
}

/* ---- selection ------------------------------------------------------------ */

static void clamp_list(struct model *m, struct frame *f, size_t n)
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
	clamp_list(m, f, n);
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
	clamp_list(m, f, n);
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
	if (to <= from)
		to = from + 1;
	if (from == m->win_from && to == m->win_to)
		return 0;
	m->win_from = from;
	m->win_to = to;
	if (m->cursor < from || m->cursor > to)
		m->cursor = from;
	invalidate(m);
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
	if (steps < 0) {
		uint64_t d = step * (uint64_t)-steps;
		m->cursor = m->cursor - m->win_from > d ? m->cursor - d : m->win_from;
	} else {
		uint64_t d = step * (uint64_t)steps;
		m->cursor = m->win_to - m->cursor > d ? m->cursor + d : m->win_to;
	}
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
	const struct view *v = views[f->view];
	size_t n = model_rows(m);
	int ncols = v->cols ? v->ncols : f->grid ? f->grid->ncols : 0;

	for (size_t k = 1; k <= n; k++) {
		size_t i = dir > 0 ? (f->sel + k) % n : (f->sel + n - k % n) % n;
		for (int c = 0; c < ncols; c++)
			if (strcasestr(model_cell_text(m, i, c), m->search)) {
				f->sel = i;
				clamp_list(m, f, n);
				model_status(m, 0, "/%s", m->search);
				return 1;
			}
	}
	model_status(m, 1, "not found: %s", m->search);
	return 0;
}

static int events_search(struct model *m, uint64_t budget)
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
		m->cursor = f->ev->rows[f->ev->sel].ts;
		model_status(m, 0, "/%s", m->search);
	}
	return rc;
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
		return events_search(m, 10 * 1000000ull);
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
	grid_step(g, 30 * 1000000ull); /* first rows now, the rest idle */
	if (g->err[0])
		model_status(m, 1, "SQL: %s", g->err);
	else
		model_status(m, 0, "%s", sql);
	return 0;
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
	}
	m->cursor = el->rows[el->sel].ts;
	if (el->sel + 1 >= el->n)
		return 1000000;
	uint64_t due = el->rows[el->sel + 1].ts - target;
	double wait = (double)due / m->speed;
	return wait < 1e6 ? 1000000 : wait > 1e8 ? 100000000 : (uint64_t)wait;
}

/* ---- background work ----------------------------------------------------- */

int model_work(struct model *m, uint64_t budget_ns)
{
	struct frame *f = model_frame(m);
	int rc;

	if (m->search_pending && f->view == VIEW_EVENTS)
		return events_search(m, budget_ns) > 0 && m->search_pending;
	frame_ready(m);
	if (f->grid && !f->grid->done) {
		rc = grid_step(f->grid, budget_ns);
		if (rc < 0)
			model_status(m, 1, "%s", f->grid->err);
		return rc > 0;
	}
	if (f->view == VIEW_EVENTS && f->ev && evlist_pending(f->ev)) {
		rc = evlist_fill(f->ev, budget_ns);
		if (rc < 0)
			model_status(m, 1, "events: %s", f->ev->err);
		if (f->ev->n && !f->ev->seeking)
			m->cursor = f->ev->rows[f->ev->sel].ts;
		return rc > 0;
	}
	/* Have the Events tab ready before it is asked for: its first page
	 * decodes a chunk of every table (tens of ms on big traces). */
	struct frame *ev = &m->tabs[VIEW_EVENTS];
	if (tab_of(m) != VIEW_EVENTS && ev->view == VIEW_EVENTS &&
	    (!ev->ev || ev->gen != m->gen) && !ev->prefetch_failed) {
		if (events_build(m, ev) < 0)
			ev->prefetch_failed = 1;
		return 1;
	}
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
	if (m->span_to <= m->span_from)
		m->span_to = m->span_from + 1;
	for (int k = 0; k < EV_KIND_COUNT; k++)
		if (store_kind_stats(st, k, &ks) == 0)
			m->kind_events[k] = ks.events;
	if ((v = store_meta(st, "lost_total")))
		m->lost_total = strtoull(v, NULL, 10);
	if ((v = store_meta(st, "cpus")))
		m->cpus = (unsigned)strtoul(v, NULL, 10);
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
		clamp_list(m, f, f->norder);
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
	for (size_t i = 0; i < m->nprocs; i++) {
		free(m->procs[i].comm);
		free(m->procs[i].cmdline);
	}
	free(m->procs);
	for (size_t i = 0; i < m->ntcomm; i++)
		free(m->tcomm[i]);
	free(m->tcomm);
	imap_free(&m->proc_map);
	imap_free(&m->thread_comm);
	evfmt_free(m->fmt);
	free(m);
}
