/*
 * traceargs.h - which command-line arguments are traces.
 *
 *     for (i = 0; i < argc; i++)
 *             if (!traceargs_is_trace(argv[i]))
 *                     break;                  // argv[i] is not a trace
 *
 * "Every argument that opens as a kscope trace is a trace": the commands
 * that take several traces (query, report, info, export) sort their
 * operands with this test, and word the error for one that is neither a
 * trace nor what else they take (SQL, a report name) themselves.
 */
#ifndef KSCOPE_TRACEARGS_H
#define KSCOPE_TRACEARGS_H

/* 1 when PATH opens as a kscope trace (store_ropen + is a trace), else 0 */
int traceargs_is_trace(const char *path);

#endif
