/*
 * traceargs.c - whether an argument opens as a kscope trace (traceargs.h).
 *
 * The file is opened read-only and closed again; a path that is not a
 * file (SQL, a report name, a filter) is not opened at all.
 */
#include "config.h"
#include "analyze/traceargs.h"
#include "store/store.h"

#include <sys/stat.h>

int traceargs_is_trace(const char *path)
{
	char err[STORE_ERRLEN];
	struct stat sb;
	struct store *st;

	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	st = store_open(path, err);
	if (!st)
		return 0;
	store_close(st);
	return 1;
}
