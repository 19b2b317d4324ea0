/*
 * model.h - the TUI's state and every operation on it, with no terminal:
 * what is open, which view and drill-down stack, selection and scroll
 * positions, sort orders, the time window and cursor, the filter, the
 * search, replay, and the background work that fills the views.  Drawing
 * (draw.c) only reads it; keys (keys.c) only call the functions below.
 * Tests (tests/test-tui-model.c) drive it directly.
 *
 *     struct model *m = model_open(st, err, sizeof(err));   // st borrowed
 *     model_layout(m, rows, cols);              // visible list rows, width
 *     model_view_switch(m, VIEW_PROCS);
 *     model_move(m, +1);  model_enter(m);  model_back(m);
 *     while (model_work(m, 10 * 1000000) > 0)   // idle: fill aggregates
 *             ;
 *     model_close(m);
 *
 * Views are described by struct view (views.c): a name, a column table
 * and callbacks for row count, cell values and drill-down.  List rows of a
 * frame are an index array sorted on demand; the Events view keeps an
 * evlist.  Aggregates (agg.h) are cached per (window, filter): going back
 * to an earlier window is instant.
 */
#ifndef KSCOPE_TUI_MODEL_H
#define KSCOPE_TUI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/names.h"
#include "analyze/shed.h"
#include "analyze/replay/evfmt.h"
#include "analyze/replay/filter.h"
#include "store/store.h"
#include "tui/agg.h"
#include "tui/evlist.h"
#include "tui/grid.h"

enum view_id {
	VIEW_OVERVIEW = 0,
	VIEW_PROCS,
	VIEW_SYSCALLS,
	VIEW_EVENTS,
	VIEW_CONNS,
	VIEW_FILES,
	VIEW_ERRORS,
	VIEW_TIMELINE,
	VIEW_RUNQ,
	VIEW_SIGNALS,
	VIEW_TABS, /* views above have a tab and a number key */
	VIEW_THREADS = VIEW_TABS,
	VIEW_SLOWEST,
	VIEW_SQL,
	VIEW_INSTEAD, /* who ran while a thread of Run queue waited */
	VIEW_COUNT
};

/* Column formats. */
enum col_fmt {
	CF_TEXT,   /* string */
	CF_INT,    /* plain integer */
	CF_COUNT,  /* an aggregate count: scaled and marked ~ while partial */
	CF_DUR,    /* ns of an aggregate */
	CF_DUR_STAT, /* ns that is not a sum (an average, a longest): marked
		      * ~ while partial, not scaled */
	CF_BYTES,  /* bytes of an aggregate */
	CF_PCT,    /* per mille as a percentage */
	CF_TS,     /* boot-clock ns shown relative to the trace start */
};

struct column {
	const char *title;
	int width;    /* minimum; the last text column takes what is left */
	enum col_fmt fmt;
	int sortable; /* offered by sort (s / F6) */
};

/* One cell: integer or text (text borrowed until the next model call). */
struct cell {
	int64_t i;
	const char *s;
};

struct model;
struct why;

struct view {
	enum view_id id;
	const char *name; /* tab and breadcrumb */
	const struct column *cols;
	int ncols;
	int default_sort; /* column; -1 keeps source order */
	/* Rows in the frame's data (before sorting). */
	size_t (*count)(struct model *m);
	/* Value of column COL of source row ROW. */
	void (*get)(struct model *m, size_t row, int col, struct cell *out);
	/* Drill down from source row ROW: push a frame.  0, or -errno with
	 * the reason in the status line. */
	int (*enter)(struct model *m, size_t row);
	const char *short_name; /* tab bar when the names do not fit; NULL:
				 * the name */
};

extern const struct view *const views[VIEW_COUNT];

#define MODEL_MAX_DEPTH 16

/* An Events frame opens at its first row in the window (the first match
 * of a drill-down), not at the time cursor. */
#define EVENTS_AT_FIRST 1

struct frame {
	enum view_id view;
	char label[64];   /* breadcrumb */
	char scope[256];  /* filter text narrowing this frame ("" none) */
	int64_t arg;      /* view parameter: pid of Threads, nr of Slowest,
			   * EVENTS_AT_FIRST or 0 (at the cursor) of Events */
	size_t sel, top;  /* position in the sorted rows */
	int sort_col, sort_desc, tree;
	int hscroll;      /* columns the rows are scrolled left */
	size_t *order;    /* sorted source rows */
	int *depth;       /* tree depth per sorted row (Processes tree) */
	size_t norder;
	int stale;        /* order must be rebuilt */
	const void *order_src; /* the data the order was built from */
	unsigned order_slices;
	struct evlist *ev;     /* Events frames */
	struct grid *grid;     /* Slowest and SQL frames */
	char grid_sql[1024];
	unsigned gen; /* model gen the frame's data was built under */
	int prefetch_failed; /* built in the background and failed: wait */
	void *data;       /* a view's own data, freed with the frame (who ran
			   * instead: its rows; Run queue: thread states) */
	void (*data_free)(void *data);
	/* the frame's own background work (who ran instead): about
	 * BUDGET_NS of it, 1 while there is more */
	int (*work)(struct model *m, uint64_t budget_ns);
};

/* Processes and threads as the trace's tables name them. */
struct model_proc {
	uint32_t pid, ppid;
	char *cmdline;
};

enum model_work_kind { WORK_NONE, WORK_AGG, WORK_GRID, WORK_SEARCH };

struct model {
	struct store *st;
	struct evfmt *fmt;
	uint64_t span_from, span_to; /* the whole trace */
	uint64_t win_from, win_to;   /* the window every view shows */
	uint64_t cursor;             /* time cursor (timeline, g, replay) */
	uint64_t mark;               /* window start being selected, or 0 */
	int marking;
	uint64_t kind_events[EV_KIND_COUNT];
	uint64_t lost_total;
	unsigned cpus;
	char shed[512];              /* what a --budget shed (analyze/shed.h),
				      * "" when nothing */

	/* timeline before the aggregate arrives: chunk-index estimate */
	double idx_tl[AGG_BUCKETS];

	struct filter *filter; /* NULL: none */
	char filter_text[256];

	char search[128];
	struct evlist_resume search_resume;
	int search_dir, search_pending;
	int search_show; /* a match found, not on screen yet (model_time.c) */

	struct frame stack[MODEL_MAX_DEPTH];
	int depth; /* frames on the stack; stack[depth - 1] is shown */
	struct frame tabs[VIEW_TABS]; /* each tab keeps its place */

	struct agg *cache[4];
	char *cache_filter[4]; /* filter text each was built for */
	unsigned cache_age[4], clock;
	unsigned gen; /* bumped by window and filter changes */
	struct agg *agg; /* the current window's (one of cache) */

	struct model_proc *procs;
	size_t nprocs;
	struct hmap proc_map; /* pid -> procs index (latest start) */
	struct names names;   /* comm of a tid or pid */

	size_t page;  /* list rows visible */
	int width;    /* screen columns */
	int tl_width; /* timeline columns (for cursor steps) */

	struct tlview *tlv; /* the Timeline's (tlview.h); NULL until shown */

	/* replay */
	int playing;
	double speed;
	uint64_t play_wall0, play_ts0;

	struct why *why; /* the why pane (why.h); NULL: closed */
	char *detail; /* the detail pane's text (detail.h), or NULL */

	char status[256];
	int status_err;
	char cellbuf[512]; /* text cells built on the fly (views.c) */
	char fmtbuf[64];   /* model_cell_text's answer; valid to the next call */
};

/* A model over ST (borrowed; must outlive it).  NULL and ERR on failure. */
struct model *model_open(struct store *st, char *err, size_t errlen);
void model_close(struct model *m);

/* The screen has ROWS list rows and COLS columns; TL timeline columns. */
void model_layout(struct model *m, size_t rows, int cols, int tl);

struct frame *model_frame(struct model *m);
const struct view *model_view(struct model *m);

/* Switch to tab view V (keeps each tab's place); pops drill-downs. */
int model_view_switch(struct model *m, enum view_id v);
int model_view_next(struct model *m, int dir);

/* Rows of the current frame, sorted; row I's source index. */
size_t model_rows(struct model *m);
size_t model_row_src(struct model *m, size_t i);
/* Columns of the current frame shown (a grid's may keep key columns
 * hidden after them). */
int model_ncols(struct model *m);
/* Where the current list's NCOLS columns start and how wide they are at
 * the screen width: X[c], WD[c].  Returns the width of all of them. */
#define MODEL_TREE_PREFIX 4 /* columns the process tree's prefix takes */
int model_col_layout(struct model *m, int *x, int *wd, int ncols);
/* Scroll the current list's rows DELTA columns right (negative: left),
 * within its widest row on screen.  1 when it moved. */
int model_hscroll(struct model *m, int delta);
/* Text of a cell of sorted row I, formatted by the column's format.
 * Valid until the next model call. */
const char *model_cell_text(struct model *m, size_t i, int col);
/* Whether the aggregate behind the view is still partial. */
int model_partial(struct model *m);

/* Whether the current list has rows above those on screen. */
int model_rows_above(struct model *m);

/* Selection. */
int model_move(struct model *m, long delta);
int model_home(struct model *m);
int model_end(struct model *m);
int model_enter(struct model *m);
int model_back(struct model *m);
/* Push a frame of view V with SCOPE (a filter text, may be "") and LABEL. */
int model_push(struct model *m, enum view_id v, const char *label,
	       const char *scope, int64_t arg);
/* Breadcrumb "Processes > nginx [1234] > Events" into BUF. */
void model_breadcrumb(struct model *m, char *buf, size_t len);

/* Sorting: next sortable column, invert. */
int model_sort_next(struct model *m);
int model_sort_invert(struct model *m);
int model_tree_toggle(struct model *m);

/* Time. */
int model_window_set(struct model *m, uint64_t from, uint64_t to);
int model_zoom(struct model *m, int in);
int model_cursor_move(struct model *m, long steps);
int model_mark(struct model *m); /* first call marks, second sets window */
int model_goto(struct model *m, const char *text); /* timearg forms */

/* Filter: TEXT "" clears.  -EINVAL with the parser's message in status. */
int model_filter_set(struct model *m, const char *text);
/* Per-table SQL for the current filter and frame scope, into WHERE (owned
 * by the caller, free each) and *KINDS. */
int model_where(struct model *m, const char *scope, char *where[EV_KIND_COUNT],
		unsigned *kinds);

/* Search: set and find the next match (DIR 1) / previous (-1). */
int model_search_set(struct model *m, const char *text);
int model_search_next(struct model *m, int dir);

/* SQL prompt: open a grid frame with the result of SQL.  The statement
 * is checked at once (-EINVAL, the message in status); its rows are
 * computed by a worker thread and arrive in model_work. */
int model_sql(struct model *m, const char *sql);
/* Stop the SQL frame's running statement (the rows so far stay).  1 when
 * one was running. */
int model_sql_cancel(struct model *m);

/* Replay in the Events view. */
int model_play_toggle(struct model *m, uint64_t now_ns);
int model_play_speed(struct model *m, int faster);
int model_step(struct model *m);
/* Advance replay to NOW_NS; returns ns until the next event is due (for
 * the input timeout), or 0 when not playing. */
uint64_t model_play_tick(struct model *m, uint64_t now_ns);

/* Background work (aggregates, grids, search; the why pane's folds,
 * model_why_work) for about BUDGET_NS.  1: more to do, 0: idle, -errno
 * (status set). */
int model_work(struct model *m, uint64_t budget_ns);

/* The current window's aggregate (may be partial), or NULL. */
struct agg *model_agg(struct model *m);

void model_status(struct model *m, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Formatting helpers shared with draw.c. */
void model_fmt_reltime(const struct model *m, uint64_t ts, char *buf,
		       size_t len);
const char *model_proc_comm(struct model *m, uint32_t pid);
/* The name of a thread's life (names_life), "?" when unknown. */
const char *model_thread_comm(struct model *m, uint64_t life);
const char *model_syscall_name(struct model *m, int nr, char *buf,
			       size_t len);

#endif
