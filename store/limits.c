/*
 * limits.c - what SQL on a trace may cost (docs/FUZZING.md, "Reader's
 * promises").
 *
 *     store_limits_init(st, file_bytes);   // in store_open, first thing
 *     ... statements ...                   // fail "interrupted" past it
 *     store_budget_reset(st);              // a new budget now (the TUI,
 *                                          // at each key)
 *     store_progress_set(st, cb, arg);     // instead of
 *                                          // sqlite3_progress_handler
 *
 * The schema check (schema_check.c) leaves a trace no code of its own;
 * what is left for a hostile file is data that makes kscope's statements
 * slow or big.  Three bounds, set on the connection at open:
 *
 *   - a budget of virtual-machine steps: STORE_BUDGET_BASE plus
 *     STORE_BUDGET_PER_BYTE for each byte of the file (and its -wal).
 *     The progress handler counts steps (every STORE_BUDGET_TICK) and
 *     interrupts the running statement when the budget is spent.  A
 *     statement that starts while no other one on the connection is in
 *     progress gets a new budget (trace callback); statements started
 *     while one is in progress share its budget, so a statement's work
 *     with all it starts inside is bounded, and so is a loop of
 *     statements run for each row of an outer one.  The TUI keeps
 *     statements open while it browses, so it also starts a new budget at
 *     each key (store_budget_reset).  Work done in C between steps
 *     (decoding a chunk) is bounded by the chunk's own limits, not here;
 *     nor is the time of one step (a function over a big value): keeping
 *     the file's code (generated columns) out is the schema check's job.
 *   - SQLITE_LIMIT_LENGTH: no string or blob in a statement may exceed
 *     STORE_MAX_VALUE bytes (chunk blobs are read through sqlite3_blob,
 *     which this does not bound).
 *   - SQLite's heap, process-wide: sqlite3_hard_heap_limit64 at
 *     STORE_HEAP_MAX unless the program set one; past it, allocations
 *     fail with SQLITE_NOMEM.
 */
#include "store/store_int.h"

/* A statement starts: if nothing else on the connection is in progress,
 * it is a new top-level statement and gets a new budget.  Statements
 * started while another is in progress (the event tables' reads of the
 * chunk index, or a caller's inner loop over an outer statement) share
 * the outer one's. */
static int on_trace(unsigned what, void *arg, void *p, void *x)
{
	struct store *st = arg;
	sqlite3_stmt *self = p, *s = NULL;

	(void)x;
	if (what != SQLITE_TRACE_STMT)
		return 0;
	while ((s = sqlite3_next_stmt(st->db, s)))
		if (s != self && sqlite3_stmt_busy(s))
			return 0;
	store_budget_reset(st);
	return 0;
}

static int on_progress(void *arg)
{
	struct store *st = arg;
	struct store_budget *b = &st->budget;

	b->used += STORE_BUDGET_TICK;
	if (b->used > b->limit) {
		b->spent = 1;
		return 1;
	}
	return b->cb ? b->cb(b->arg) : 0;
}

void store_limits_init(struct store *st, uint64_t file_bytes)
{
	struct store_budget *b = &st->budget;

	b->limit = STORE_BUDGET_BASE;
	if (file_bytes > (UINT64_MAX - b->limit) / STORE_BUDGET_PER_BYTE)
		b->limit = UINT64_MAX;
	else
		b->limit += file_bytes * STORE_BUDGET_PER_BYTE;
	b->used = 0;
	b->spent = 0;
	sqlite3_progress_handler(st->db, STORE_BUDGET_TICK, on_progress, st);
	sqlite3_trace_v2(st->db, SQLITE_TRACE_STMT, on_trace, st);
	sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, STORE_MAX_VALUE);
	if (sqlite3_hard_heap_limit64(-1) == 0)
		sqlite3_hard_heap_limit64(STORE_HEAP_MAX);
}

void store_budget_reset(struct store *st)
{
	st->budget.used = 0;
	st->budget.spent = 0;
}

int store_budget_spent(const struct store *st)
{
	return st->budget.spent;
}

void store_progress_set(struct store *st, int (*cb)(void *), void *arg)
{
	st->budget.cb = cb;
	st->budget.arg = arg;
}
