/*
 * report_io.c - `kscope report FILE io`: block I/O per device and per
 * submitting process.
 *
 *     kscope report t.kscope io                 per device and operation;
 *                                               per process
 *     kscope report t.kscope io --pid 42 --format json
 *
 * Over block_io rows whose issue (ts) is in the window and that completed
 * (dur > 0; a request in flight at stop is counted in "in_flight" only):
 * requests, bytes, and the issue-to-completion latency's p50, p99 and max
 * (nearest rank: p50 is the value at rank ceil(n / 2) in increasing
 * order, p99 at ceil(99 n / 100)), and failed requests (error != 0).
 * --pid and --comm keep the requests that process submitted; requests
 * with no known submitter (the device's own flushes) are then left out.
 * One SQL statement per table, over the block_io virtual table.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/output/plural.h"

#include <errno.h>
#include <inttypes.h>

/* The rows of the window and filters, with their rank and count in
 * GROUP (a column list). */
#define IO_RANKED(group)                                                    \
	"WITH w AS (SELECT * FROM block_io WHERE ts BETWEEN ?1 AND ?2"     \
	" AND (?3 < 0 OR pid = ?3) AND (?4 IS NULL OR comm = ?4)),"        \
	" r AS (SELECT *, row_number() OVER (PARTITION BY " group          \
	" ORDER BY dur) AS rn, count(*) OVER (PARTITION BY " group         \
	") AS n FROM w WHERE dur > 0)"
/* Per group: requests, bytes, p50, p99, max, errors; then in flight. */
#define IO_FIGURES                                                          \
	" count(*), sum(bytes), max(CASE WHEN rn = (n + 1) / 2 THEN dur END),"\
	" max(CASE WHEN rn = (99 * n + 99) / 100 THEN dur END), max(dur),"  \
	" sum(error != 0)"

static sqlite3_stmt *io_prepare(struct report *r, const char *sql)
{
	sqlite3_stmt *s = report_prepare(r, sql);

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 3, r->o->pid);
	if (r->o->comm)
		sqlite3_bind_text(s, 4, r->o->comm, -1, SQLITE_STATIC);
	return s;
}

/* Print the rows of S: NKEY key columns (text, or the first an integer
 * when INT_KEY), then the figures of IO_FIGURES; add the requests of all
 * rows (not only the top ones printed) to *TOTAL unless it is NULL. */
static int io_rows(struct report *r, sqlite3_stmt *s, int nkey, int int_key,
		   uint64_t *total)
{
	int src, rc = 0;
	unsigned rows = 0;

	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct output_cell c[9];
		int k = 0;

		if (total)
			*total += (uint64_t)sqlite3_column_int64(s, nkey);
		if (rows++ >= r->top)
			continue;
		for (; k < nkey; k++)
			c[k] = k == 0 && int_key ?
				OUTPUT_INT(sqlite3_column_int64(s, k)) :
				report_text((const char *)
					    sqlite3_column_text(s, k));
		c[k++] = OUTPUT_INT(sqlite3_column_int64(s, nkey));
		c[k++] = OUTPUT_INT(sqlite3_column_int64(s, nkey + 1));
		for (int i = 2; i < 5; i++)
			c[k++] = report_dur(r, sqlite3_column_int64(s, nkey + i));
		c[k++] = OUTPUT_INT(sqlite3_column_int64(s, nkey + 5));
		rc = report_table_row(r, c);
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "block_io");
	sqlite3_finalize(s);
	return rc;
}

/* One table: SQL's rows under KEY and TITLE (see io_rows). */
static int io_table(struct report *r, const char *sql, const char *key,
		    const char *title, int ncols, const char *const *cols,
		    int int_key, uint64_t *total)
{
	sqlite3_stmt *s = io_prepare(r, sql);
	int rc;

	if (!s)
		return -EIO;
	rc = report_table_begin(r, key, title, ncols, cols);
	if (rc == 0)
		rc = io_rows(r, s, ncols - 6, int_key, total);
	else
		sqlite3_finalize(s);
	return report_table_close(r, rc);
}

int report_io_run(struct report *r)
{
	static const char *const dcols[] = {
		"dev", "op", "requests", "bytes", "p50_ns", "p99_ns", "max_ns",
		"errors"
	};
	static const char *const pcols[] = {
		"pid", "comm", "dev", "requests", "bytes", "p50_ns", "p99_ns",
		"max_ns", "errors"
	};
	uint64_t total = 0, inflight = 0;
	sqlite3_stmt *s;
	char file[512];
	int rc;

	rc = io_table(r, IO_RANKED("dev, op") " SELECT dev, op," IO_FIGURES
		      " FROM r GROUP BY dev, op ORDER BY sum(bytes) DESC,"
		      " count(*) DESC, dev, op", "by_device", "Block I/O by "
		      "device and operation (issued in the window, completed)",
		      8, dcols, 0, &total);
	if (rc == 0)
		rc = io_table(r, IO_RANKED("pid, comm, dev") " SELECT pid, comm,"
			      " dev," IO_FIGURES " FROM r GROUP BY pid, comm,"
			      " dev ORDER BY sum(bytes) DESC, count(*) DESC,"
			      " pid, dev", "by_process", "Block I/O by "
			      "submitting process (pid 0: not known, e.g. the "
			      "device's flushes)", 9, pcols, 1, NULL);
	if (rc < 0)
		return rc;

	s = io_prepare(r, IO_RANKED("dev") " SELECT count(*) FROM w"
		       " WHERE dur = 0");
	if (!s)
		return -EIO;
	if (sqlite3_step(s) == SQLITE_ROW)
		inflight = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (total)
		return report_note(r, "%" PRIu64 " %s completed%s; the "
				   "slowest: kscope query %s \"SELECT * FROM "
				   "block_io ORDER BY dur DESC LIMIT 20\"",
				   total,
				   plural(total, "request", "requests"),
				   inflight ? ", more in "
				   "flight at the end (dur 0)" : "",
				   report_file_word(r, file, sizeof(file)));
	return report_note(r, "no block I/O in the window (recorded with "
			   "'-e block', the default)");
}
