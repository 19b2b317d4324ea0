/*
 * grid.h - a result set kept as text cells: the SQL prompt's answer and the
 * "slowest calls" drill-down.
 *
 *     struct grid *g = grid_new_sql(db, "SELECT ...", err);   // streaming
 *     struct grid *g = grid_new_topk(db, sql, from, to, 1, 200, err);
 *     while (grid_step(g, 10 * 1000000) > 0) draw();           // resumable
 *     g->rows[i].cells[c], g->names[c]
 *     grid_free(g);
 *
 * A streaming grid (user SQL) runs its statement in a worker thread on a
 * connection of its own (sqlrun.h) and keeps up to GRID_MAX_ROWS rows;
 * grid_step takes the rows the worker has handed over, and grid_cancel
 * stops it.  Without a trace file to open a second connection to (an
 * in-memory database), the statement is stepped here instead.
 * A top-k grid runs SQL (with ?1 <= ts < ?2) once per time slice of
 * [from, to] and keeps the K rows with the largest value in column KEY, so
 * a query that would sort a whole window answers in small steps.
 * Cells are owned by the grid.  Functions return -errno with a message in
 * grid->err.
 */
#ifndef KSCOPE_TUI_GRID_H
#define KSCOPE_TUI_GRID_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#define GRID_MAX_ROWS 100000
#define GRID_SLICES 256

struct grid_row {
	char **cells;  /* ncols strings; NULL for SQL NULL */
	double key;    /* top-k order */
	int numeric;   /* bit c set: cell c is a number (right-aligned) */
};

struct grid {
	int ncols;
	char **names;
	int *width; /* widest cell per column, capped */
	struct grid_row *rows;
	size_t n, cap;
	int done, truncated, cancelled;
	char err[256];
	struct sqlrun *run; /* the worker of a streaming grid, while it runs */
	/* scan state */
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char *sql;
	int key, topk;
	uint64_t from, to;
	unsigned slice;
	size_t k;
};

/* SQL is checked (syntax, read-only) and its columns named on DB at once;
 * the rows come from grid_step. */
struct grid *grid_new_sql(sqlite3 *db, const char *sql, char *err,
			  size_t errlen);
struct grid *grid_new_topk(sqlite3 *db, const char *sql, uint64_t from,
			   uint64_t to, int key, size_t k, char *err,
			   size_t errlen);
/* 1 more to do, 0 done, -errno.  A worker's grid waits for rows for at
 * most BUDGET_NS (and 5 ms). */
int grid_step(struct grid *g, uint64_t budget_ns);
/* Stop a running statement: the grid keeps the rows it has and is done
 * (cancelled) at a following grid_step.  0, or -EALREADY when not
 * running. */
int grid_cancel(struct grid *g);
void grid_free(struct grid *g);

/* A row of statement S (NCOLS columns) as text cells, into R. */
int grid_row_read(sqlite3_stmt *s, int ncols, struct grid_row *r);
void grid_row_free(struct grid_row *r, int ncols);

#endif
