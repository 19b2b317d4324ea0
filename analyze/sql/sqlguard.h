/*
 * sqlguard.h - what SQL may do on a connection to a trace: read it, and
 * nothing else.
 *
 *     st = store_open(path, err);           // then kscope's own TEMP views
 *     sqlguard_install(store_db(st));        // every later statement checked
 *
 * One authorizer (sqlite3_set_authorizer) for every connection that runs
 * statements a user typed or a file supplied: kscope query (argument,
 * standard input, a terminal), the TUI's prompt, reports, replay, export,
 * and the loadable extension (analyze/sql/sqlext.c) on the sqlite3 program's
 * connection.  It allows SELECT (with recursive CTEs, reading any table or
 * view, calling any function but the ones that touch files or load code)
 * and the PRAGMAs that only read (table_info, index_list, user_version
 * without a value, ...).  It denies everything else: INSERT, UPDATE,
 * DELETE, CREATE and DROP (TEMP objects too), ALTER, ANALYZE, REINDEX,
 * ATTACH and DETACH (so VACUUM and VACUUM INTO, which attach their target,
 * fail when they run), PRAGMAs that set something, and the functions
 * load_extension, writefile, readfile, edit and fts3_tokenizer.  A denied
 * statement fails with SQLITE_AUTH ("not authorized"); sqlguard_hint
 * says why, after SQLite's message.
 *
 * Install it after the connection's own setup (CREATE TEMP VIEW is a
 * write).  It replaces any authorizer the connection had.
 */
#ifndef KSCOPE_SQLGUARD_H
#define KSCOPE_SQLGUARD_H

#include <sqlite3.h>

/* Set the authorizer on DB.  Returns SQLITE_OK or an SQLite error code. */
int sqlguard_install(sqlite3 *db);

/* The authorizer itself (for tests): SQLITE_OK or SQLITE_DENY. */
int sqlguard_check(int action, const char *a, const char *b);

/* What to print after SQLite's message for the error code RC: why, for
 * SQLITE_AUTH (" (kscope only reads traces: ...)"), else "".  A static
 * string. */
const char *sqlguard_hint(int rc);

#endif
