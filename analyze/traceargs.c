/*
 * traceargs.c - is this argument a trace?  See traceargs.h.
 *
 * A path is a trace when it is a regular file and store_open takes it: it
 * opens read-only (store_ropen: nothing is created or written beside it)
 * and holds a kscope schema of a format this build reads.  The trace is
 * closed again at once; the command opens it for real afterwards.  An
 * argument that is not a file (SQL, a report name, a filter) is not
 * opened at all.
 */
#include "config.h"
#include "analyze/traceargs.h"
#include "store/store.h"

#include <errno.h>
#include <sys/stat.h>

int traceargs_is_trace(const char *path)
{
	char err[STORE_ERRLEN];
	int e = errno;
	struct stat sb;
	struct store *st;

	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		errno = e;
		return 0;
	}
	st = store_open(path, err);
	errno = e;
	if (!st)
		return 0;
	store_close(st);
	return 1;
}
