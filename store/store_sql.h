/*
 * store_sql.h - the event tables on any SQLite connection whose main
 * database is a trace: what store_open does for its own connection, and
 * what the loadable extension (analyze/sql/sqlext.c) does for the sqlite3
 * shell's.
 *
 *     char why[STORE_ERRLEN];
 *     if (store_index_check(db, why, sizeof(why)) < 0)
 *             ...                              // refuse the file: WHY
 *     rc = store_vtab_register(db, NULL);      // SELECT ... FROM syscalls
 *     rc = store_vtab_list(db);                // .tables shows them too
 */
#ifndef KSCOPE_STORE_SQL_H
#define KSCOPE_STORE_SQL_H

#include "store/store.h"

/* Check every row of the chunk index against the format's rules (a kind
 * we know, a span in [0, INT64_MAX] with ts_first <= ts_last, 1 to
 * CHUNK_EVENTS_MAX events, codec 1, a blob of stored_size bytes, sizes
 * within the limits of chunk.h) and that every blob has an index row
 * (verify.c), on the main database of DB.  0, or -EBADMSG with one line
 * naming the chunk in WHY. */
int store_index_check(sqlite3 *db, char *why, size_t len);

/* Register the event tables (eponymous virtual tables named after each
 * kind's table) on DB (vtab.c), and kscope_counted(blob), which gives a
 * blob column's value as an event struct holds it (EVT_BLOB).  CTR, when
 * not NULL, must outlive DB.  A SQLite result code. */
int store_vtab_register(sqlite3 *db, struct store_counters *ctr);

/* Declare each registered event table in DB's TEMP schema too (CREATE
 * VIRTUAL TABLE temp.syscalls USING syscalls, ...), where schema listings
 * such as the sqlite3 shell's .tables see them: eponymous tables are in
 * no schema.  Nothing is written to the trace.  A SQLite result code. */
int store_vtab_list(sqlite3 *db);

/* Run on DB the SQL sqlite3_mprintf makes of FMT and its arguments (%w,
 * %q, ...), without results (vtab.c).  A SQLite result code. */
int store_sql_execf(sqlite3 *db, const char *fmt, ...);

#endif
