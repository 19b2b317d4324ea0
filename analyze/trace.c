/*
 * trace.c - open a trace for the analysis commands, with one clear message.
 *
 *     struct store *st = analyze_trace_open("x.kscope", err);
 *     if (!st) fprintf(stderr, "kscope: %s\n", err);
 *
 * store_open decides whether a file is a readable trace and already words
 * its message "cannot open 'PATH': REASON".  This wrapper only guarantees
 * that shape (one line, naming the file, controls escaped: textesc.h)
 * whatever store_open leaves in ERR.
 * Every statement run on the connection afterwards only reads
 * (sqlguard.h).
 */
#include "config.h"
#include "analyze/analyze.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/sql/sqlguard.h"
#include "analyze/output/textesc.h"
#include "analyze/sql/tstate_vtab.h"
#include "analyze/sql/views.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct store *analyze_trace_open(const char *path, char err[STORE_ERRLEN])
{
	char why[STORE_ERRLEN];
	struct store *st;
	int e;

	why[0] = '\0';
	errno = 0;
	st = store_open(path, why);
	/* The guard last: the views are kscope's own writes (TEMP). */
	if (st && sqlfn_register(store_db(st)) == SQLITE_OK &&
	    views_register(store_db(st)) == SQLITE_OK &&
	    tstate_vtab_register(store_db(st), st) == SQLITE_OK &&
	    sqlguard_install(store_db(st)) == SQLITE_OK)
		return st;
	if (st) {
		snprintf(why, sizeof(why), "cannot register SQL functions "
			 "and views: %s", sqlite3_errmsg(store_db(st)));
		store_close(st);
		st = NULL;
	}
	e = errno ? errno : EINVAL;
	if (!why[0])
		snprintf(why, sizeof(why), "%s", strerror(e));
	if (!strncmp(why, "cannot open", 11))
		snprintf(err, STORE_ERRLEN, "%s", why);
	else
		snprintf(err, STORE_ERRLEN, "cannot open '%.200s': %.280s",
			 path, why);
	/* The reason may quote the file (its format_version, names from
	 * its schema): controls are escaped, never sent to a terminal. */
	textesc_copy(err, STORE_ERRLEN, err);
	errno = e;
	return NULL;
}
