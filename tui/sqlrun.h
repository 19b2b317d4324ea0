/*
 * sqlrun.h - one read-only SQL statement run in a worker thread, on a
 * connection of its own to the trace, so that the TUI's loop never waits
 * inside sqlite3_step (an aggregate over 10M rows computes its first row
 * for as long as it takes):
 *
 *     struct sqlrun *r = sqlrun_start(path, sql, err, sizeof(err));
 *     for (;;) {                                  // the loop, when idle
 *             n = sqlrun_take(r, &rows, 5000000);  // waits at most 5 ms
 *             ... append rows[0..n) (now the caller's), free(rows) ...
 *             if (sqlrun_state(r, msg, sizeof(msg)) != SQLRUN_RUNNING)
 *                     break;
 *     }
 *     sqlrun_cancel(r);                           // Esc: stop early
 *     sqlrun_free(r);                             // cancels and joins
 *
 * The worker opens the trace (analyze_trace_open, so the same functions,
 * views and defensive settings), steps the statement and hands rows over
 * in batches, every 20 ms or 1024 rows, under a mutex.  The caller owns
 * nothing of the worker's connection; the only things shared are the
 * batch, the state and the stop flag, which a progress handler on the
 * worker's connection reads every 1000 virtual machine steps, so a cancel
 * stops even a statement that has not produced its first row.
 */
#ifndef KSCOPE_TUI_SQLRUN_H
#define KSCOPE_TUI_SQLRUN_H

#include <stddef.h>
#include <stdint.h>

#include "tui/grid.h"

enum sqlrun_state {
	SQLRUN_RUNNING,
	SQLRUN_DONE,      /* every row handed over */
	SQLRUN_TRUNCATED, /* stopped at GRID_MAX_ROWS rows */
	SQLRUN_CANCELLED, /* sqlrun_cancel stopped it */
	SQLRUN_FAILED,    /* the message says why */
};

struct sqlrun;

/* Run SQL on the trace at PATH in a new thread.  NULL and ERR when the
 * thread cannot start (errors of the statement itself come later, from
 * sqlrun_state). */
struct sqlrun *sqlrun_start(const char *path, const char *sql, char *err,
			    size_t errlen);
/* The rows handed over since the last call, into *ROWS (the caller frees
 * the array and owns the cells); waits up to WAIT_NS when there are none
 * yet and the statement still runs.  -ENOMEM or the count. */
long sqlrun_take(struct sqlrun *r, struct grid_row **rows, uint64_t wait_ns);
/* What the worker is doing; a failure's message into MSG. */
enum sqlrun_state sqlrun_state(struct sqlrun *r, char *msg, size_t len);
/* Ask the statement to stop (returns at once; the state follows). */
void sqlrun_cancel(struct sqlrun *r);
/* Cancel, wait for the thread, free what it left.  NULL is fine. */
void sqlrun_free(struct sqlrun *r);

#endif
