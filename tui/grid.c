/*
 * grid.c - text result grids (see grid.h).
 */
#include "config.h"
#include "tui/grid.h"
#include "tui/agg.h"
#include "tui/sqlrun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grid_fail(struct grid *g, int rc, const char *msg)
{
	snprintf(g->err, sizeof(g->err), "%s", msg);
	return rc;
}

static int grid_columns(struct grid *g)
{
	g->ncols = sqlite3_column_count(g->stmt);
	g->names = calloc((size_t)g->ncols + 1, sizeof(*g->names));
	g->width = calloc((size_t)g->ncols + 1, sizeof(*g->width));
	if (!g->names || !g->width)
		return -ENOMEM;
	for (int c = 0; c < g->ncols; c++) {
		const char *n = sqlite3_column_name(g->stmt, c);
		if (!(g->names[c] = strdup(n ? n : "?")))
			return -ENOMEM;
		g->width[c] = (int)strlen(g->names[c]);
	}
	return 0;
}

void grid_row_free(struct grid_row *r, int ncols)
{
	for (int c = 0; c < ncols; c++)
		free(r->cells[c]);
	free(r->cells);
}

static void row_free(struct grid *g, struct grid_row *r)
{
	grid_row_free(r, g->ncols);
}

int grid_row_read(sqlite3_stmt *s, int ncols, struct grid_row *r)
{
	r->cells = calloc((size_t)ncols + 1, sizeof(*r->cells));
	r->numeric = 0;
	r->key = 0;
	if (!r->cells)
		return -ENOMEM;
	for (int c = 0; c < ncols; c++) {
		int t = sqlite3_column_type(s, c);
		const char *v;
		if (t == SQLITE_NULL)
			continue;
		if (t == SQLITE_BLOB) {
			r->cells[c] = strdup("<blob>");
		} else {
			v = (const char *)sqlite3_column_text(s, c);
			r->cells[c] = strdup(v ? v : "");
		}
		if (!r->cells[c]) {
			grid_row_free(r, ncols);
			return -ENOMEM;
		}
		if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
			r->numeric |= 1 << (c < 31 ? c : 31);
	}
	return 0;
}

/* Widen the columns to R's cells (capped). */
static void row_widths(struct grid *g, const struct grid_row *r)
{
	for (int c = 0; c < g->ncols; c++) {
		int w = r->cells[c] ? (int)strlen(r->cells[c]) : 0;
		if (w > g->width[c])
			g->width[c] = w > 60 ? 60 : w;
	}
}

/* Copy the statement's current row into R. */
static int row_read(struct grid *g, struct grid_row *r)
{
	if (grid_row_read(g->stmt, g->ncols, r) < 0)
		return -ENOMEM;
	row_widths(g, r);
	r->key = g->key >= 0 && g->key < g->ncols ?
			 sqlite3_column_double(g->stmt, g->key) : 0;
	return 0;
}

static int grid_push(struct grid *g)
{
	struct grid_row r;

	if (g->topk && g->n == g->k && g->k) {
		/* Full: replace the smallest if this one is larger. */
		double key = sqlite3_column_double(g->stmt, g->key);
		if (key <= g->rows[g->n - 1].key)
			return 0;
		row_free(g, &g->rows[--g->n]);
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		void *p = realloc(g->rows, cap * sizeof(*g->rows));
		if (!p)
			return -ENOMEM;
		g->rows = p;
		g->cap = cap;
	}
	if (row_read(g, &r) < 0)
		return -ENOMEM;
	size_t i = g->n;
	if (g->topk) /* keep descending by key: insertion */
		while (i > 0 && g->rows[i - 1].key < r.key) {
			g->rows[i] = g->rows[i - 1];
			i--;
		}
	g->rows[i] = r;
	g->n++;
	return 0;
}

static int slice_open(struct grid *g)
{
	unsigned __int128 span = (unsigned __int128)(g->to - g->from) + 1;
	uint64_t lo = g->from + (uint64_t)(span * g->slice / GRID_SLICES);
	uint64_t hi = g->from + (uint64_t)(span * (g->slice + 1) / GRID_SLICES);

	if (g->slice == GRID_SLICES - 1)
		hi = g->to + 1;
	sqlite3_reset(g->stmt);
	sqlite3_bind_int64(g->stmt, 1, (int64_t)lo);
	sqlite3_bind_int64(g->stmt, 2, (int64_t)hi);
	return 0;
}

/* Take the worker's rows; done when it is. */
static int run_step(struct grid *g, uint64_t budget_ns)
{
	struct grid_row *rows;
	long n = sqlrun_take(g->run, &rows, budget_ns < 5000000 ? budget_ns :
					    5000000);
	enum sqlrun_state s = sqlrun_state(g->run, g->err, sizeof(g->err));
	long i = 0;

	if (n > 0 && g->n + (size_t)n > g->cap) {
		size_t cap = g->cap ? g->cap : 64;
		while (cap < g->n + (size_t)n)
			cap *= 2;
		void *p = realloc(g->rows, cap * sizeof(*g->rows));
		if (p) {
			g->rows = p;
			g->cap = cap;
		}
	}
	for (; i < n && g->n < g->cap; i++) {
		row_widths(g, &rows[i]);
		g->rows[g->n++] = rows[i];
	}
	if (i < n) { /* out of memory: keep what fits, stop the query, say so */
		for (; i < n; i++)
			grid_row_free(&rows[i], g->ncols);
		free(rows);
		sqlrun_free(g->run);
		g->run = NULL;
		g->done = g->truncated = 1;
		snprintf(g->err, sizeof(g->err),
			 "out of memory after %zu rows", g->n);
		return -ENOMEM;
	}
	free(rows);
	if (s == SQLRUN_RUNNING)
		return 1;
	g->done = 1;
	g->truncated = s == SQLRUN_TRUNCATED;
	g->cancelled = s == SQLRUN_CANCELLED;
	sqlrun_free(g->run);
	g->run = NULL;
	if (s != SQLRUN_FAILED)
		g->err[0] = '\0';
	return s == SQLRUN_FAILED ? -EINVAL : 0;
}

int grid_cancel(struct grid *g)
{
	if (!g || !g->run || g->done)
		return -EALREADY;
	sqlrun_cancel(g->run);
	return 0;
}

int grid_step(struct grid *g, uint64_t budget_ns)
{
	uint64_t deadline = agg_now_ns() + budget_ns;
	unsigned n = 0;
	int rc;

	if (g->run)
		return run_step(g, budget_ns);
	while (!g->done) {
		rc = sqlite3_step(g->stmt);
		if (rc == SQLITE_ROW) {
			if (!g->topk && g->n >= GRID_MAX_ROWS) {
				g->truncated = 1;
				g->done = 1;
				break;
			}
			if (grid_push(g) < 0)
				return grid_fail(g, -ENOMEM, "out of memory");
		} else if (rc == SQLITE_DONE) {
			if (!g->topk || ++g->slice == GRID_SLICES) {
				g->done = 1;
				break;
			}
			slice_open(g);
		} else {
			g->done = 1;
			return grid_fail(g, -EINVAL, sqlite3_errmsg(g->db));
		}
		if (++n % 64 == 0 && agg_now_ns() >= deadline)
			return 1;
	}
	sqlite3_finalize(g->stmt);
	g->stmt = NULL;
	return 0;
}

static struct grid *grid_open(sqlite3 *db, const char *sql, char *err,
			      size_t errlen)
{
	struct grid *g = calloc(1, sizeof(*g));

	if (!g) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->db = db;
	g->key = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &g->stmt, NULL) != SQLITE_OK ||
	    !g->stmt) {
		snprintf(err, errlen, "%s", g->stmt || sqlite3_errcode(db) ?
			 sqlite3_errmsg(db) : "empty statement");
		grid_free(g);
		return NULL;
	}
	if (!sqlite3_stmt_readonly(g->stmt)) {
		snprintf(err, errlen, "only read-only statements run here");
		grid_free(g);
		return NULL;
	}
	if (grid_columns(g) < 0) {
		snprintf(err, errlen, "out of memory");
		grid_free(g);
		return NULL;
	}
	return g;
}

struct grid *grid_new_sql(sqlite3 *db, const char *sql, char *err,
			  size_t errlen)
{
	struct grid *g = grid_open(db, sql, err, errlen);
	const char *path = sqlite3_db_filename(db, "main");

	if (!g || !path || !*path)
		return g; /* no file for a second connection: step it here */
	/* checked and named here; the rows come from a worker */
	sqlite3_finalize(g->stmt);
	g->stmt = NULL;
	if (!(g->run = sqlrun_start(path, sql, err, errlen))) {
		grid_free(g);
		return NULL;
	}
	return g;
}

struct grid *grid_new_topk(sqlite3 *db, const char *sql, uint64_t from,
			   uint64_t to, int key, size_t k, char *err,
			   size_t errlen)
{
	struct grid *g = grid_open(db, sql, err, errlen);

	if (!g)
		return NULL;
	g->topk = 1;
	g->key = key;
	g->k = k;
	g->from = from;
	g->to = to < from ? from : to;
	slice_open(g);
	return g;
}

void grid_free(struct grid *g)
{
	if (!g)
		return;
	sqlrun_free(g->run);
	sqlite3_finalize(g->stmt);
	for (size_t i = 0; i < g->n; i++)
		row_free(g, &g->rows[i]);
	free(g->rows);
	for (int c = 0; c < g->ncols && g->names; c++)
		free(g->names[c]);
	free(g->names);
	free(g->width);
	free(g->sql);
	free(g);
}
