/*
 * analyze.h - helpers shared by the analysis commands (info, query, report,
 * replay, export).  Each command's own logic lives in its module (output.h,
 * query.h, ...); this header holds what they all need.
 *
 *     char err[STORE_ERRLEN];
 *     struct store *st = analyze_trace_open(path, err);
 *     if (!st) { fprintf(stderr, "kscope: %s\n", err); return 1; }
 */
#ifndef KSCOPE_ANALYZE_H
#define KSCOPE_ANALYZE_H

#include "store/store.h"

/* Open the trace at PATH for analysis (store_open).  On failure returns
 * NULL, sets errno, and fills ERR with one line naming the file and the
 * reason, like "cannot open 'x.kscope': not a kscope trace". */
struct store *analyze_trace_open(const char *path, char err[STORE_ERRLEN]);

#endif
