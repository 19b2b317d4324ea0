/*
 * multi.h - SQL over several traces at once (`kscope query A B ...`).
 *
 *     const char *paths[] = { "a.kscope", "b.kscope" };
 *     char err[STORE_ERRLEN];
 *     struct multi *m = multi_open(paths, 2, err);
 *     query_sql_run(multi_db(m), "SELECT trace, host, name, count(*) "
 *                   "FROM syscalls GROUP BY 1, 2, 3", out, qerr, len);
 *     multi_close(m);
 *
 * Each trace is opened as `kscope query` opens one (analyze_trace_open:
 * its own read-only connection, event tables, views, functions, guard).
 * multi_db is an in-memory connection on which every table and view of a
 * trace (syscalls ... stacks, processes, threads, lost, meta, shed,
 * syscalls_p, errors, threads_p, thread_state) is a union of that table
 * over the traces, with two columns first: `trace` (the path as given)
 * and `host` (meta host, NULL when the trace has none).  Comparisons on a
 * table's own columns (ts ranges above all) are handed down to each
 * trace's connection, so a ts range skips chunks in every trace; an
 * equality on trace or host skips whole traces.
 *
 * ts stays each trace's boot clock.  wall(ts, trace) and wall_ns(ts,
 * trace) put a row on the wall clock with its own trace's offset;
 * wall(ts) and wall_ns(ts) work while every trace has the same offset and
 * fail otherwise, naming the two-argument form (multi.c).
 *
 * Statements on multi_db only read: the guard of sqlguard.h is on it.
 */
#ifndef KSCOPE_MULTI_H
#define KSCOPE_MULTI_H

#include <sqlite3.h>

#include "store/store.h"

struct multi;

/* Open the N traces PATHS (the strings are borrowed: they must outlive the
 * handle; they are the `trace` values).  NULL + ERR ("cannot open 'x':
 * ...", or a name given twice) on failure. */
struct multi *multi_open(const char *const *paths, int n,
			 char err[STORE_ERRLEN]);
void multi_close(struct multi *m);

/* The connection the user's SQL runs on; owned by M. */
sqlite3 *multi_db(struct multi *m);
/* The I-th trace (0 <= I < the N of multi_open); owned by M. */
struct store *multi_store(struct multi *m, int i);
/* 1 if a statement ran out of some trace's budget (store.h). */
int multi_budget_spent(const struct multi *m);

#endif
