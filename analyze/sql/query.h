/*
 * query.h - run SQL text against a trace and print the results.
 *
 * Used by `kscope query` (and anything else that takes SQL from a user):
 *
 *     char err[QUERY_ERRLEN];
 *     rc = query_sql_run(db, "SELECT 1; SELECT 2", out, err, sizeof(err));
 *     rc = query_script_run(db, text_read_from_stdin, out, err, sizeof(err));
 *
 * query_sql_run runs every statement of SQL in turn (sqlite3_prepare_v2 and
 * its tail), printing each statement's rows as one result set through OUT.
 * query_script_run takes text read from standard input: when the text ends
 * any statement with a ';' it is run as above, otherwise each line is a
 * statement of its own (so `printf 'SELECT 1\nSELECT 2\n'` works and a
 * statement spread over several lines must end with ';').
 *
 * Both stop at the first failure and return 0, -EBADMSG for an SQL error
 * (SQLite's message, on one line, in ERR), -EPIPE when the reader of the
 * output went away, or another negative errno (message in ERR).
 */
#ifndef KSCOPE_QUERY_H
#define KSCOPE_QUERY_H

#include <stddef.h>
#include <sqlite3.h>

#include "analyze/output/output.h"

#define QUERY_ERRLEN 512

int query_sql_run(sqlite3 *db, const char *sql, struct output *out,
		  char *err, size_t errlen);
int query_script_run(sqlite3 *db, const char *text, struct output *out,
		     char *err, size_t errlen);

/* 1 when TEXT holds a ';' outside string literals, quoted identifiers and
 * comments, else 0. */
int query_text_has_semicolon(const char *text);

#endif
