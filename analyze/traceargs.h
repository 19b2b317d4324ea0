/*
 * traceargs.h - which command-line arguments are traces.
 *
 *     while (i < argc && traceargs_is_trace(argv[i]))
 *             paths[n++] = argv[i++];
 *
 * "Every argument that opens as a kscope trace is a trace": the commands
 * that take several traces (query, report, info, export) take the leading
 * arguments that open as traces, and what follows is SQL, report names or
 * a filter.
 */
#ifndef KSCOPE_TRACEARGS_H
#define KSCOPE_TRACEARGS_H

/* 1 when PATH opens as a kscope trace (store_open: a readable trace of a
 * format this build reads), else 0. */
int traceargs_is_trace(const char *path);

#endif
