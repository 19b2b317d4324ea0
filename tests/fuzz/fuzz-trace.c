/*
 * fuzz-trace.c - libFuzzer target: a whole trace file from arbitrary bytes.
 *
 *     make check                                  # a short fixed-seed run
 *     tests/fuzz/fuzz-trace -jobs=1 -max_total_time=600 \
 *         corpus-trace/ $(srcdir)/tests/fuzz/corpus-trace   # docs/FUZZING.md
 *
 * The input is written to a file in /dev/shm (or $TMPDIR when /dev/shm is
 * missing) and opened as the analysis commands open traces
 * (analyze_trace_open: store_open's checks plus the SQL functions).  Then,
 * for every event table: a full scan of every column and the rowid, a
 * ts-range scan (cross-checked against the same range filtered by SQLite
 * alone), a GROUP BY scan (the grouped plan), an ORDER BY ts scan (checked
 * to come out sorted), the SQL functions over it; the TEMP views of
 * analyze/sql/views.c; store_scan (reports' columnar scan, checked to keep
 * to its range); every report, whole and in a window; --from/--to
 * arguments at the clock's edges (timearg); then store_verify,
 * store_kind_stats, and a store_cursor walk over every kind (checked to
 * come out sorted) that formats each event as replay does, text and JSON
 * (evfmt); and the TUI's model (tui/model.h, no curses): opened, each
 * tab's aggregate computed and its first rows formatted, zoomed, moved.
 * Errors are fine; a crash, a sanitizer report or a result that is
 * silently wrong is not (abort()).
 *
 * Index mutations (the "index spans" class): an input may end in a trailer
 *
 *     op{n} n(1 byte) 'K' 'X' 'I' '1'      op = row(1) col(1) value(8, LE)
 *
 * which is cut off before the file is written; then, through a writable
 * connection, column COL % 8 of chunks row ROW (mod the rows, in id
 * order) is set to VALUE (to NULL when COL has bit 7, to text when bit
 * 6), as `UPDATE chunks SET ts_first = -5, ts_last = -1` would.  Byte
 * mutations of a page rarely hit those values; this hits them directly.
 * Whatever the file, no event may be hidden: when a table scan that reads
 * ts succeeds, it must count the events the index gives its kind.
 *
 * Built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, so chunk.c accepts
 * any checksum.
 *
 * Schema mutations: an input that starts with "KSQL" is "KSQL" SQL '\0'
 * TRACE.  TRACE is written, SQL is run on it first on a writable
 * connection (writable_schema allowed; no ATTACH or VACUUM, at most a
 * million steps), then the file is opened as above.  The seeds of this
 * mode (corpus-trace/schema-*) add generated columns, views, triggers,
 * indexes, columns and tables, rewrite CREATE statements, and change the
 * format versions; libFuzzer mutates both the SQL and the trace.  When a
 * mutated file opens, it must carry no view, trigger or generated or
 * hidden column and exactly the format's ten objects of format 1.1,
 * besides the index processes_by_comm that 1.3 added (checked on a
 * connection of its own), else abort().
 *
 * Built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, so chunk.c accepts
 * any checksum.
 */
#include "analyze/analyze.h"
#include "analyze/replay/evfmt.h"
#include "analyze/report/report.h"
#include "analyze/timearg.h"
#include "store/store.h"
#include "tui/model.h"

#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[256];

static void remove_files(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[300];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
}

static int write_input(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
				  getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		snprintf(path, sizeof(path), "%s/kscope-fuzz-%d.kscope", dir,
			 (int)getpid());
		atexit(remove_files);
	}
	remove_files();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	for (size_t off = 0; off < size;) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

/* Step S to the end reading every column; the rows, or -1 on an error.
 * With TS_COL >= 0, abort() unless that column comes out non-decreasing. */
static int64_t drain(sqlite3_stmt *s, int ts_col)
{
	int64_t rows = 0, prev = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const unsigned char *t = sqlite3_column_text(s, i);
			if (t)
				(void)strlen((const char *)t);
		}
		if (ts_col >= 0) {
			int64_t ts = sqlite3_column_int64(s, ts_col);
			if (rows && (uint64_t)ts < (uint64_t)prev) {
				fprintf(stderr, "ORDER BY ts out of order\n");
				abort();
			}
			prev = ts;
		}
		rows++;
	}
	return rc == SQLITE_DONE ? rows : -1;
}

/* Run SQL (with up to two integer parameters); rows or -1. */
static int64_t run(sqlite3 *db, const char *sql, int nparam, int64_t a,
		   int64_t b, int ts_col)
{
	sqlite3_stmt *s;
	int64_t rows;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (nparam > 0)
		sqlite3_bind_int64(s, 1, a);
	if (nparam > 1)
		sqlite3_bind_int64(s, 2, b);
	rows = drain(s, ts_col);
	sqlite3_finalize(s);
	return rows;
}

static int64_t one_int(sqlite3 *db, const char *sql, int kind)
{
	sqlite3_stmt *s;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(s, 1, kind);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column of SQL's first row, or -1 when it fails. */
static int64_t count_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	if (sqlite3_step(s) != SQLITE_DONE)
		v = -1;
	sqlite3_finalize(s);
	return v;
}

static void scan_table(struct store *st, const struct ev_desc *d)
{
	sqlite3 *db = store_db(st);
	const char *t = d->table;
	char sql[512];
	int key = -1;

	snprintf(sql, sizeof(sql), "SELECT rowid, * FROM %s", t);
	run(db, sql, 0, 0, 0, -1);

	/* A ts range inside the kind's span; the table's answer must match
	 * SQLite filtering every row itself (+ts is not handed to the table). */
	int64_t lo = one_int(db, "SELECT min(ts_first) FROM chunks WHERE"
			     " kind = ?", (int)d->kind);
	int64_t hi = one_int(db, "SELECT max(ts_last) FROM chunks WHERE"
			     " kind = ?", (int)d->kind);
	uint64_t third = ((uint64_t)hi - (uint64_t)lo) / 3;
	int64_t a = (int64_t)((uint64_t)lo + third);
	int64_t b = (int64_t)((uint64_t)hi - third);
	snprintf(sql, sizeof(sql), "SELECT count(*), sum(ts) FROM %s"
		 " WHERE ts BETWEEN ?1 AND ?2", t);
	int64_t n1 = run(db, sql, 2, a, b, -1);
	snprintf(sql, sizeof(sql), "SELECT ts FROM %s WHERE ts >= ?1 AND"
		 " ts < ?2", t);
	int64_t r1 = run(db, sql, 2, a, b, -1);
	snprintf(sql, sizeof(sql), "SELECT ts FROM %s WHERE +ts >= ?1 AND"
		 " +ts < ?2", t);
	int64_t r2 = run(db, sql, 2, a, b, -1);
	if (r1 >= 0 && r2 >= 0 && r1 != r2) {
		fprintf(stderr, "%s: range scan gives %lld rows, a filtered "
			"full scan %lld\n", t, (long long)r1, (long long)r2);
		abort();
	}
	(void)n1;

	/* GROUP BY an integer column: the grouped plan. */
	for (unsigned f = 1; f < d->nfields && key < 0; f++)
		if (d->fields[f].type != EVT_STR)
			key = (int)f;
	if (key > 0) {
		snprintf(sql, sizeof(sql), "SELECT \"%s\", count(*), sum(ts)"
			 " FROM %s GROUP BY 1", d->fields[key].name, t);
		run(db, sql, 0, 0, 0, -1);
		snprintf(sql, sizeof(sql), "SELECT \"%s\", count(*) FROM %s"
			 " WHERE ts >= ?1 GROUP BY 1", d->fields[key].name, t);
		run(db, sql, 1, a, 0, -1);
	}

	/* A join on a plain integer column: the keyed plan, against SQLite
	 * filtering the rows itself (+col is not handed to the table). */
	for (unsigned f = 1; f < d->nfields; f++) {
		enum ev_type ty = d->fields[f].type;
		if (ty != EVT_U32 && ty != EVT_I32 && ty != EVT_U64 &&
		    ty != EVT_I64)
			continue;
		const char *c = d->fields[f].name;
		snprintf(sql, sizeof(sql), "SELECT count(*), total(s.ts) FROM"
			 " (SELECT DISTINCT \"%s\" v FROM %s LIMIT 4) k JOIN %s"
			 " s ON s.\"%s\" = k.v", c, t, t, c);
		int64_t k1 = count_of(db, sql);
		snprintf(sql, sizeof(sql), "SELECT count(*), total(s.ts) FROM"
			 " (SELECT DISTINCT \"%s\" v FROM %s LIMIT 4) k JOIN %s"
			 " s ON +s.\"%s\" = k.v", c, t, t, c);
		int64_t k2 = count_of(db, sql);
		if (k1 >= 0 && k2 >= 0 && k1 != k2) {
			fprintf(stderr, "%s: keyed join gives %lld rows, a "
				"filtered scan %lld\n", t, (long long)k1,
				(long long)k2);
			abort();
		}
		break;
	}

	/* ORDER BY ts: the ordered plan (a merge), whole and in a range. */
	snprintf(sql, sizeof(sql), "SELECT ts, * FROM %s ORDER BY ts", t);
	run(db, sql, 0, 0, 0, 0);
	snprintf(sql, sizeof(sql), "SELECT ts FROM %s WHERE ts <= ?1"
		 " ORDER BY ts", t);
	run(db, sql, 1, b, 0, 0);

	/* The SQL functions reports use. */
	snprintf(sql, sizeof(sql), "SELECT wall(ts), fmt_dur(ts),"
		 " log2_bucket(ts), percentile(ts, 50) FROM %s", t);
	run(db, sql, 0, 0, 0, -1);
}

struct scan_range {
	uint64_t lo, hi;
	size_t rows;
};

/* store_scan's batch: every ts in range, every asked column readable. */
static int scan_each(const struct store_batch *b, void *arg)
{
	struct scan_range *r = arg;
	const char *s;

	for (uint32_t i = 0; i < b->n; i++) {
		uint64_t ts = (uint64_t)b->col[0][i];
		if (ts < r->lo || ts > r->hi) {
			fprintf(stderr, "store_scan: ts %llu outside [%llu, "
				"%llu]\n", (unsigned long long)ts,
				(unsigned long long)r->lo,
				(unsigned long long)r->hi);
			abort();
		}
	}
	/* the lazily decoded path, on a string field when there is one */
	for (unsigned f = 0; f < ev_desc(b->kind)->nfields; f++)
		if (ev_desc(b->kind)->fields[f].type == EVT_STR && b->n &&
		    store_batch_str(b, f, b->n - 1, &s) == 0 && s)
			(void)strlen(s);
	r->rows += b->n;
	return 0;
}

/* store_scan (what reports use) over kind D, whole and in a range. */
static void scan_kind(struct store *st, const struct ev_desc *d)
{
	sqlite3 *db = store_db(st);
	uint64_t lo = (uint64_t)one_int(db, "SELECT min(ts_first) FROM chunks"
					" WHERE kind = ?", (int)d->kind);
	uint64_t hi = (uint64_t)one_int(db, "SELECT max(ts_last) FROM chunks"
					" WHERE kind = ?", (int)d->kind);
	struct scan_range all = { 0, UINT64_MAX, 0 };
	struct scan_range part = { lo + (hi - lo) / 4, hi - (hi - lo) / 4, 0 };
	uint64_t fields = (1ull << (d->nfields < 32 ? d->nfields : 32)) - 1;

	store_scan(st, d->kind, fields, all.lo, all.hi, scan_each, &all);
	store_scan(st, d->kind, 1, part.lo, part.hi, scan_each, &part);
}

/* The TEMP views analyze_trace_open adds (analyze/sql/views.h), whole and in
 * a ts range. */
static void temp_views(struct store *st)
{
	static const char *const sql[] = {
		"SELECT * FROM syscalls_p",
		"SELECT * FROM syscalls_p WHERE ts BETWEEN ?1 AND ?2",
		"SELECT * FROM errors WHERE ts >= ?1",
		"SELECT * FROM threads_p",
	};
	sqlite3 *db = store_db(st);
	int64_t lo = one_int(db, "SELECT min(ts_first) + ?1 FROM chunks", 0);
	int64_t hi = one_int(db, "SELECT max(ts_first) + ?1 FROM chunks", 0);

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		run(db, sql[i], 2, lo, hi, -1);
}

/* Every report (analyze/report/report.h), over the whole trace as text and over
 * the middle of its span as JSON, into /dev/null: reports read hostile
 * traces too.  The input's size picks a pid filter now and then. */
static void reports(struct store *st, size_t size)
{
	static FILE *null;
	char err[REPORT_ERRLEN];
	sqlite3 *db = store_db(st);
	uint64_t lo = (uint64_t)one_int(db, "SELECT min(ts_first) FROM chunks"
					" WHERE ?1 = ?1", 0);
	uint64_t hi = (uint64_t)one_int(db, "SELECT max(ts_last) FROM chunks"
					" WHERE ?1 = ?1", 0);

	if (!null && !(null = fopen("/dev/null", "w")))
		return;
	for (const struct report_desc *d = report_descs; d->name; d++) {
		struct report_opts o = REPORT_OPTS_INIT;
		o.top = 3;
		if (size % 5 == 0)
			o.pid = (int64_t)(size % 7) + 1;
		report_run(st, d, &o, null, err, sizeof(err));
		o.has_from = o.has_to = 1;
		o.from = lo + (hi - lo) / 3;
		o.to = hi - (hi - lo) / 3;
		o.fmt = OUTPUT_FORMAT_JSON;
		report_run(st, d, &o, null, err, sizeof(err));
	}
	fflush(null);
}

/* --from / --to at and past the clock's edges: they parse or fail, and
 * never wrap (a date after the trace's clock ends is not before it). */
static void time_args(struct store *st)
{
	static const char *const args[] = {
		"+0", "+1.5s", "@0", "@18446744073709551615",
		"2500-01-01T00:00:00Z", "1000-01-01T00:00:00Z",
		"9999-12-31 23:59:59.999999999", "00:00:00", "23:59:59.5",
		"+18000000000000000000ns",
	};
	uint64_t ts, late = 0;
	char err[256];

	for (size_t i = 0; i < sizeof(args) / sizeof(*args); i++)
		timearg_parse(st, args[i], &ts, err, sizeof(err));
	if (timearg_parse(st, "2500-01-01T00:00:00Z", &late, err,
			  sizeof(err)) == 0 &&
	    timearg_parse(st, "2400-01-01T00:00:00Z", &ts, err,
			  sizeof(err)) == 0 && late < ts) {
		fprintf(stderr, "timearg: 2500 is before 2400\n");
		abort();
	}
}

/* The TUI's model: what the browser computes before it draws. */
static void tui_model(struct store *st)
{
	char err[512];
	struct model *m = model_open(st, err, sizeof(err));

	if (!m)
		return;
	model_layout(m, 20, 120, 64);
	for (int v = 0; v < VIEW_TABS; v++) {
		if (model_view_switch(m, (enum view_id)v) < 0)
			continue;
		for (int i = 0; i < 64 && model_work(m, 50000000ull) > 0; i++)
			;
		size_t rows = model_rows(m);
		const struct view *vw = model_view(m);
		for (size_t r = 0; r < rows && r < 5; r++)
			for (int c = 0; c < vw->ncols; c++)
				(void)strlen(model_cell_text(m, r, c));
	}
	model_view_switch(m, VIEW_OVERVIEW);
	model_zoom(m, 1);
	model_cursor_move(m, 3);
	model_zoom(m, 0);
	model_goto(m, "+1s");
	for (int i = 0; i < 16 && model_work(m, 50000000ull) > 0; i++)
		;
	model_close(m);
}

static void walk(struct store *st)
{
	struct store_cursor *c = store_cursor_open(st, EV_KIND_ALL, 0,
						   UINT64_MAX);
	struct evfmt *fmt = evfmt_new(st, 0);
	struct evbuf b = EVBUF_INIT;
	uint64_t prev = 0, n = 0;
	enum ev_kind kind;
	const void *ev;

	if (!c || !fmt) {
		store_cursor_close(c);
		evfmt_free(fmt);
		return;
	}
	while (store_cursor_next(c, &kind, &ev) > 0) {
		/* replay's text and JSON (the first events: bounded time) */
		if (n++ < 4096) {
			evbuf_clear(&b);
			evfmt_line(fmt, kind, ev, &b);
			evbuf_clear(&b);
			evfmt_json(fmt, kind, ev, &b);
		}
		const struct ev_desc *d = ev_desc(kind);
		for (unsigned f = 0; f < d->nfields; f++) {
			const struct ev_field *fl = &d->fields[f];
			if (fl->type == EVT_STR && !(fl->flags & EVF_DERIVED)) {
				const char *s = ev_get_str(fl, ev);
				if (s)
					(void)strlen(s);
			}
		}
		if (ev_ts(ev) < prev) {
			fprintf(stderr, "cursor out of order\n");
			abort();
		}
		prev = ev_ts(ev);
	}
	store_cursor_close(c);
	evbuf_free(&b);
	evfmt_free(fmt);
}

#define IXM_OP 10

/* Length of DATA without an index-mutation trailer; *OPS at its ops. */
static size_t ixm_split(const uint8_t *data, size_t size, const uint8_t **ops,
			unsigned *nops)
{
	*nops = 0;
	if (size < 5 || memcmp(data + size - 4, "KXI1", 4))
		return size;
	unsigned n = data[size - 5];
	if ((size_t)n * IXM_OP + 5 > size)
		return size;
	*nops = n;
	*ops = data + size - 5 - (size_t)n * IXM_OP;
	return size - 5 - (size_t)n * IXM_OP;
}

static void ixm_apply(const uint8_t *ops, unsigned nops)
{
	static const char *const cols[] = { "id", "kind", "ts_first",
		"ts_last", "count", "raw_size", "stored_size", "codec" };
	sqlite3 *db;

	if (!nops || sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
				     NULL) != SQLITE_OK) {
		if (nops)
			sqlite3_close(db);
		return;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	for (unsigned i = 0; i < nops; i++, ops += IXM_OP) {
		char sql[320];
		sqlite3_stmt *s;
		int64_t v;

		memcpy(&v, ops + 2, 8);
		snprintf(sql, sizeof(sql), "UPDATE main.chunks SET %s = ?1 WHERE"
			 " rowid = (SELECT rowid FROM main.chunks ORDER BY"
			 " rowid LIMIT 1 OFFSET ?2 %% max(1, (SELECT count(*)"
			 " FROM main.chunks)))", cols[ops[1] & 7]);
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
			break;
		if (ops[1] & 0x80)
			sqlite3_bind_null(s, 1);
		else if (ops[1] & 0x40)
			sqlite3_bind_text(s, 1, "x", 1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(s, 1, v);
		sqlite3_bind_int(s, 2, ops[0]);
		sqlite3_step(s);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

/* Nothing hidden: a scan of D's table that reads ts and succeeds counts
 * every event the chunk index gives the kind. */
static void all_counted(struct store *st, const struct ev_desc *d)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	char sql[160];
	int64_t got;

	snprintf(sql, sizeof(sql), "SELECT count(ts) FROM %s", d->table);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return;
	}
	got = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	int64_t want = one_int(db, "SELECT total(count) FROM main.chunks"
			       " WHERE kind = ?1", d->kind);
	if (got != want) {
		fprintf(stderr, "%s: a scan counts %lld events, the index "
			"%lld: events hidden\n", d->table, (long long)got,
			(long long)want);
		abort();
	}
}

/* Inputs per class, printed at exit: schema mutations (KSQL inputs),
 * those among them that declare a generated column, and how many of each
 * opened. */
static unsigned long n_sql, n_sql_open, n_gen, n_gen_open;

static void print_counts(void)
{
	fprintf(stderr, "fuzz-trace: schema mutations %lu (opened %lu), "
		"generated columns %lu (opened %lu)\n", n_sql, n_sql_open,
		n_gen, n_gen_open);
}

static int deny_attach(void *arg, int what, const char *a, const char *b,
		       const char *c, const char *d)
{
	(void)arg, (void)a, (void)b, (void)c, (void)d;
	return what == SQLITE_ATTACH || what == SQLITE_DETACH ? SQLITE_DENY :
	       SQLITE_OK;
}

static int steps_left(void *arg)
{
	int *left = arg;
	return --*left < 0;
}

/* Run SQL (NUL-terminated) on the file at path, writable; errors are
 * part of the game. */
static void mutate_schema(const char *sql)
{
	int left = 1000; /* progress ticks of 1000 steps */
	sqlite3 *db;

	for (const char *p = sql; *p; p++)
		if (!strncasecmp(p, "vacuum", 6) || !strncasecmp(p, "attach", 6))
			return;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK) {
		sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 0, NULL);
		sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
		sqlite3_set_authorizer(db, deny_attach, NULL);
		sqlite3_progress_handler(db, 1000, steps_left, &left);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	sqlite3_close(db);
}

/* A mutated file that opened: its schema must be the format's (an
 * oracle apart from store/schema_check.c). */
static void check_schema_kept(void)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM sqlite_schema"
		" WHERE name != 'processes_by_comm'),"
		" (SELECT count(*) FROM sqlite_schema WHERE type IN ('view',"
		" 'trigger')), (SELECT count(*) FROM sqlite_schema s,"
		" pragma_table_xinfo(s.name) x WHERE s.type = 'table' AND"
		" x.hidden != 0)";
	sqlite3_stmt *s = NULL;
	sqlite3 *db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW &&
	    (sqlite3_column_int(s, 0) != 10 || sqlite3_column_int(s, 1) ||
	     sqlite3_column_int(s, 2))) {
		fprintf(stderr, "a trace with %d objects, %d views or triggers"
			" and %d generated or hidden columns opened\n",
			sqlite3_column_int(s, 0), sqlite3_column_int(s, 1),
			sqlite3_column_int(s, 2));
		abort();
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[STORE_ERRLEN], *sql = NULL;
	struct store *st;
	const uint8_t *ops = NULL;
	unsigned nops;

	if (size >= 4 && !memcmp(data, "KSQL", 4)) {
		const uint8_t *end = memchr(data + 4, 0, size - 4);
		if (!end || !(sql = strndup((const char *)data + 4,
					   (size_t)(end - data) - 4)))
			return 0;
		size -= (size_t)(end + 1 - data);
		data = end + 1;
	}
	size = ixm_split(data, size, &ops, &nops);
	if (write_input(data, size) < 0) {
		free(sql);
		return 0;
	}
	ixm_apply(ops, nops);
	if (sql) {
		int gen = strcasestr(sql, "generated") || strcasestr(sql, "as (");
		static int counting;
		if (!counting++)
			atexit(print_counts);
		n_sql++;
		n_gen += gen;
		mutate_schema(sql);
		st = analyze_trace_open(path, err);
		n_sql_open += st != NULL;
		n_gen_open += st && gen;
		if (st)
			check_schema_kept();
	} else {
		st = analyze_trace_open(path, err);
	}
	free(sql);
	if (st) {
		for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
			struct store_kind_stats ks;
			all_counted(st, ev_desc(k));
			scan_table(st, ev_desc(k));
			scan_kind(st, ev_desc(k));
			store_kind_stats(st, k, &ks);
		}
		temp_views(st);
		reports(st, size);
		time_args(st);
		store_verify(st);
		walk(st);
		tui_model(st);
		(void)store_meta(st, "arch");
		store_close(st);
	}
	remove_files();
	return 0;
}
