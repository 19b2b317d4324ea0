/*
 * views.h - convenience views over a trace, created TEMP on every analysis
 * connection (analyze_trace_open) and by the loadable extension.
 *
 *     views_register(db);     // then: SELECT * FROM errors LIMIT 10
 *
 *   syscalls_p   every syscalls column, plus the process that was alive
 *                under that pid at ts (processes.start_ts <= ts and ts <=
 *                end_ts or still running; a reused pid gives the right
 *                process): ppid, exe, cmdline, cgroup, container
 *   errors       failed syscalls: ts, dur, cpu, pid, tid, comm, name, ret,
 *                errno (errno_name(ret): ENOENT...), fd, path, addr
 *   threads_p    threads with exe and cmdline of their process (the one
 *                started last before the thread; for a thread of the
 *                start-up snapshot, start_ts 0, the latest)
 *
 * The views hold no data; they are rewritten into queries over the event
 * tables, so a ts range on them still skips chunks.
 */
#ifndef KSCOPE_VIEWS_H
#define KSCOPE_VIEWS_H

#include <sqlite3.h>

/* SQLITE_OK or an SQLite error code (message in sqlite3_errmsg). */
int views_register(sqlite3 *db);

#endif
