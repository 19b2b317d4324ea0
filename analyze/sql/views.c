/*
 * views.c - the TEMP views of views.h, one CREATE per entry of a table.
 *
 *     SELECT name, cmdline, count(*) FROM syscalls_p GROUP BY 1, 2;
 *
 * The process of a syscall is looked up by a correlated subquery on the
 * processes primary key (pid, start_ts): the latest start at or before ts
 * whose end (if any) is not before ts.
 */
#include "config.h"
#include "analyze/sql/views.h"
#include "store/store_sql.h"

#include <stddef.h>

/* The process alive under pid X.pid at X.ts, as a processes rowid. */
#define PROC_AT(x)                                                        \
	"(SELECT rowid FROM main.processes q WHERE q.pid = " x ".pid AND "  \
	"q.start_ts <= " x ".ts AND (q.end_ts IS NULL OR " x ".ts <= "      \
	"q.end_ts) ORDER BY q.start_ts DESC LIMIT 1)"

static const struct {
	const char *name;
	const char *select;
} views[] = {
	{ "syscalls_p",
	  "SELECT s.*, p.ppid AS ppid, p.exe AS exe, p.cmdline AS cmdline, "
	  "p.cgroup AS cgroup, p.container AS container "
	  "FROM syscalls s LEFT JOIN main.processes p ON p.rowid = "
	  PROC_AT("s") },
	{ "errors",
	  "SELECT ts, dur, cpu, pid, tid, comm, name, ret, "
	  "errno_name(ret) AS errno, fd, path, addr FROM syscalls "
	  "WHERE ret < 0 AND ret >= -4095" },
	{ "threads_p",
	  "SELECT t.tid AS tid, t.pid AS pid, t.comm AS comm, "
	  "t.start_ts AS start_ts, p.exe AS exe, p.cmdline AS cmdline "
	  "FROM main.threads t LEFT JOIN main.processes p ON p.rowid = "
	  "(SELECT rowid FROM main.processes q WHERE q.pid = t.pid AND "
	  "q.start_ts <= CASE WHEN t.start_ts > 0 THEN t.start_ts ELSE "
	  "9223372036854775807 END ORDER BY q.start_ts DESC LIMIT 1)" },
};

int views_register(sqlite3 *db)
{
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		int rc = store_sql_execf(db, "CREATE TEMP VIEW IF NOT EXISTS "
					 "\"%w\" AS %s", views[i].name,
					 views[i].select);

		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}
