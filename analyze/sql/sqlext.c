/*
 * sqlext.c - kscope as a loadable SQLite extension (kscope.so).
 *
 *     $ sqlite3 trace.kscope
 *     sqlite> .load /usr/local/lib/kscope/kscope
 *     sqlite> SELECT name, count(*), fmt_dur(avg(dur)) FROM syscalls
 *        ...>  GROUP BY name ORDER BY 2 DESC LIMIT 5;
 *     sqlite> SELECT * FROM errors WHERE errno = 'ENOENT' LIMIT 10;
 *
 * On the connection that loads it, the extension registers what a kscope
 * analysis connection has: the event tables (syscalls, sched_switch,
 * sched_wakeup, sched_migrate, proc_events, net_events, signals, block_io,
 * stacks: eponymous virtual tables over the chunks of the main database,
 * declared in TEMP too so that .tables lists them), the SQL functions
 * (errno_name, wall, fmt_dur, percentile, log2_bucket) and the TEMP views
 * (syscalls_p, errors, threads_p).  Load it after opening the trace (it
 * refuses a main database that is not one); a connection opened later
 * (.open) needs its own .load.  From the .load on, the connection only
 * reads, as every kscope connection (analyze/sql/sqlguard.h): no writes,
 * ATTACH, VACUUM INTO, setting PRAGMAs, writefile() or load_extension().
 *
 * Every source of the extension is compiled with analyze/sql/sqlext-api.h
 * forced in front, so all SQLite calls go through the loader's routines.
 */
#include "config.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/sql/sqlguard.h"
#include "analyze/sql/views.h"
#include "store/store_sql.h"

SQLITE_EXTENSION_INIT1

int sqlite3_kscope_init(sqlite3 *db, char **errmsg,
			const sqlite3_api_routines *api);

/* Is the main database a trace (application_id, chunk index)? */
static int is_trace(sqlite3 *db)
{
	sqlite3_stmt *s;
	int yes = 0;

	if (sqlite3_prepare_v2(db, "SELECT (SELECT application_id FROM "
			       "pragma_application_id) = ?1 AND EXISTS (SELECT "
			       "1 FROM main.sqlite_schema WHERE type = 'table' "
			       "AND name = 'chunks')", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(s, 1, STORE_APPLICATION_ID);
	if (sqlite3_step(s) == SQLITE_ROW)
		yes = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return yes;
}

int sqlite3_kscope_init(sqlite3 *db, char **errmsg,
			const sqlite3_api_routines *api)
{
	int rc;

	SQLITE_EXTENSION_INIT2(api);
	if (!is_trace(db)) {
		*errmsg = sqlite3_mprintf("kscope: the main database is not a "
					  "kscope trace (open the trace, then "
					  ".load the extension)");
		return SQLITE_ERROR;
	}
	/* As store_open does: an index row no scan would meet hides its
	 * events, so the tables are not offered over such a file. */
	char why[STORE_ERRLEN];
	if (store_index_check(db, why, sizeof(why)) < 0) {
		*errmsg = sqlite3_mprintf("kscope: %s", why);
		return SQLITE_ERROR;
	}
	if ((rc = store_vtab_register(db, NULL)) != SQLITE_OK ||
	    (rc = store_vtab_list(db)) != SQLITE_OK ||
	    (rc = sqlfn_register(db)) != SQLITE_OK ||
	    (rc = views_register(db)) != SQLITE_OK ||
	    (rc = sqlguard_install(db)) != SQLITE_OK) {
		*errmsg = sqlite3_mprintf("kscope: %s", sqlite3_errmsg(db));
		return rc;
	}
	return SQLITE_OK;
}
