/*
 * traceargs.c - is this argument a trace?  See traceargs.h.
 *
 * A path is a trace when store_open takes it: it opens read-only
 * (store_ropen: nothing is created or written beside it) and holds a
 * kscope schema of a format this build reads.  The trace is closed
 * again at once; the command opens it for real afterwards.
 */
#include "config.h"
#include "analyze/traceargs.h"
#include "store/store.h"

#include <errno.h>

int traceargs_is_trace(const char *path)
{
	char err[STORE_ERRLEN];
	int e = errno;
	struct store *st = store_open(path, err);

	errno = e;
	if (!st)
		return 0;
	store_close(st);
	return 1;
}
