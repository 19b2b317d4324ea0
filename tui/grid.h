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
 * A streaming grid steps one statement and keeps up to GRID_MAX_ROWS rows.
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
	int done, truncated;
	char err[256];
	/* scan state */
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char *sql;
	int key, topk;
	uint64_t from, to;
	unsigned slice;
	size_t k;
};

struct grid *grid_new_sql(sqlite3 *db, const char *sql, char *err,
			  size_t errlen);
struct grid *grid_new_topk(sqlite3 *db, const char *sql, uint64_t from,
			   uint64_t to, int key, size_t k, char *err,
			   size_t errlen);
/* 1 more to do, 0 done, -errno. */
int grid_step(struct grid *g, uint64_t budget_ns);
void grid_free(struct grid *g);

#endif
