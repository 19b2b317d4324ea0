/*
 * report.c - the report dispatcher and what every report shares.
 *
 *     rc = report_run(st, report_find("cpu"), &opts, stdout, err, errlen);
 *
 * report_run resolves the window (--from/--to, else the trace's span),
 * counts the events the trace lost in it (the lost table: a second [ts,
 * ts+1s) is in the window when it overlaps it), prints the header, runs the
 * report's function from the table below, then the notes.  The output
 * shapes (docs/ANALYZE.md):
 *
 *   text  a header (window, filters, lost events), then each table with its
 *         title, then "next:" advice;
 *   json  one object per report: {"report", "trace", "window", "filter",
 *         "lost": {"events", "by_class"}, "tables": {KEY: [rows]},
 *         "notes": [...]};
 *   csv   "# report" and a one-row table (window, filters, lost_events,
 *         lost_by_class), then for each table "# KEY" and its rows; tables
 *         are separated by an empty line.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/info/info.h"
#include "analyze/output/progress.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/timearg.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct report_desc report_descs[] = {
	{ "summary", "span, host, events, losses, busiest processes, worst "
		     "latencies, errors: where to look next",
	  report_summary_run },
	{ "syscalls", "per syscall: calls, errors, total time, p50/p90/p99/"
		      "max; histograms for NAMEs", report_syscalls_run },
	{ "slow", "the slowest calls with process, thread, path/fd/address",
	  report_slow_run },
	{ "errors", "failed calls by syscall, errno and process, with example "
		    "paths", report_errors_run },
	{ "procs", "process tree: exec argv, start, end, exit code or signal, "
		   "lifetime", report_procs_run },
	{ "cpu", "on-CPU time per process and thread; CPU utilization over "
		 "time", report_cpu_run },
	{ "runqlat", "wakeup-to-run latency histogram; threads that waited "
		     "longest", report_runqlat_run },
	{ "offcpu", "off-CPU time per thread by state, and the syscall it "
		    "blocked in", report_offcpu_run },
	{ "net", "TCP connections: endpoints, process, lifetime, connect "
		 "latency, bytes, retransmits, resets", report_net_run },
	{ "files", "most opened paths, failed opens, file activity per "
		   "process", report_files_run },
	{ NULL, NULL, NULL },
};

const struct report_desc *report_find(const char *name)
{
	for (const struct report_desc *d = report_descs; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

void report_names_list(char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (const struct report_desc *d = report_descs; d->name && n < size;
	     d++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				      d == report_descs ? "" : ", ", d->name);
}

/* ---- errors --------------------------------------------------------- */

int report_fail(struct report *r, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	for (char *p = r->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return rc;
}

int report_store_fail(struct report *r, int rc)
{
	if (rc == -ENOMEM)
		return report_fail(r, rc, "out of memory");
	return report_fail(r, rc, "%s", store_errmsg(r->st));
}

int report_sql_fail(struct report *r, const char *what)
{
	return report_fail(r, -EIO, "%s: %s", what, sqlite3_errmsg(r->db));
}

/* ---- small containers ----------------------------------------------- */

int report_grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

static size_t map_slot(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

int report_map_get(const struct report_map *m, uint64_t key, uint32_t *val)
{
	if (!m->cap)
		return 0;
	for (size_t i = map_slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->vals[i] == UINT32_MAX)
			return 0;
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return 1;
		}
	}
}

int report_map_put(struct report_map *m, uint64_t key, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct report_map g = { 0 };

		g.cap = m->cap ? m->cap * 2 : 64;
		g.keys = malloc(g.cap * sizeof(*g.keys));
		g.vals = malloc(g.cap * sizeof(*g.vals));
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			return -ENOMEM;
		}
		memset(g.vals, 0xff, g.cap * sizeof(*g.vals));
		for (size_t j = 0; j < m->cap; j++)
			if (m->vals[j] != UINT32_MAX)
				report_map_put(&g, m->keys[j], m->vals[j]);
		report_map_free(m);
		*m = g;
	}
	for (i = map_slot(key, m->cap); m->vals[i] != UINT32_MAX;
	     i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return 0;
		}
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 0;
}

void report_map_free(struct report_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

int report_str_intern(struct report_strtab *t, const char *s, uint32_t *ix)
{
	uint64_t h = str_hash(s);
	uint32_t v;

	/* a hash shared by different strings moves on to h + 1 */
	while (report_map_get(&t->map, h, &v)) {
		if (!strcmp(t->s[v], s)) {
			*ix = v;
			return 0;
		}
		h++;
	}
	if (report_grow(&t->s, &t->cap, t->n + 1, sizeof(*t->s)) < 0 ||
	    !(t->s[t->n] = strdup(s)))
		return -ENOMEM;
	if (report_map_put(&t->map, h, (uint32_t)t->n) < 0) {
		free(t->s[t->n]);
		return -ENOMEM;
	}
	*ix = (uint32_t)t->n++;
	return 0;
}

void report_strtab_free(struct report_strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	report_map_free(&t->map);
	memset(t, 0, sizeof(*t));
}

/* ---- cells ---------------------------------------------------------- */

static char *cell_buf(struct report *r)
{
	return r->cellbuf[r->ncell++ % REPORT_CELLBUFS];
}

struct output_cell report_dur(struct report *r, int64_t ns)
{
	char *b;

	if (r->o->fmt != OUTPUT_FORMAT_TABLE)
		return OUTPUT_INT(ns);
	b = cell_buf(r);
	sqlfn_fmt_dur(b, sizeof(r->cellbuf[0]), ns);
	return OUTPUT_TEXT(b);
}

struct output_cell report_ts(struct report *r, int64_t ts)
{
	char *b;

	if (r->o->fmt != OUTPUT_FORMAT_TABLE)
		return OUTPUT_INT(ts);
	b = cell_buf(r);
	if (r->has_offset) {
		char full[64];
		/* "2026-11-25 10:17:18.123456 UTC": the time of day */
		info_wall_format(full, sizeof(full), r->offset, (uint64_t)ts,
				 0);
		snprintf(b, sizeof(r->cellbuf[0]), "%.15s",
			 strlen(full) > 11 ? full + 11 : full);
	} else {
		snprintf(b, sizeof(r->cellbuf[0]), "+%.6f",
			 ((double)ts - (double)r->span_from) / 1e9);
	}
	return OUTPUT_TEXT(b);
}

struct output_cell report_text(const char *s)
{
	return s ? OUTPUT_TEXT(s) : OUTPUT_NULL;
}

struct output_cell report_text_cut(struct report *r, const char *s)
{
	char *b;
	size_t n;

	if (!s || r->o->fmt != OUTPUT_FORMAT_TABLE ||
	    strlen(s) < sizeof(r->longbuf[0]))
		return report_text(s);
	b = r->longbuf[r->nlong++ % 4];
	n = sizeof(r->longbuf[0]) - 4;
	/* do not cut a UTF-8 sequence */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(b, s, n);
	memcpy(b + n, "...", 4);
	return OUTPUT_TEXT(b);
}

struct output_cell report_textf(struct report *r, const char *fmt, ...)
{
	char *b = cell_buf(r);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(r->cellbuf[0]), fmt, ap);
	va_end(ap);
	return OUTPUT_TEXT(b);
}

struct output_cell report_errno(struct report *r, int64_t ret)
{
	return OUTPUT_TEXT(sqlfn_errno_label(ret, cell_buf(r),
					     sizeof(r->cellbuf[0])));
}

struct output_cell report_sysname(struct report *r, int nr)
{
	const char *s = store_syscall_name(r->st, nr);

	return s ? OUTPUT_TEXT(s) : report_textf(r, "sys_%d", nr);
}

/* ---- tables --------------------------------------------------------- */

int report_table_begin(struct report *r, const char *key, const char *title,
		       int ncols, const char *const *names)
{
	const char *shown[64];
	int rc;

	if (ncols > 64)
		return report_fail(r, -EINVAL, "too many columns");
	r->out = output_open(r->fp, r->o->fmt, NULL);
	if (!r->out)
		return report_fail(r, -ENOMEM, "out of memory");
	switch (r->o->fmt) {
	case OUTPUT_FORMAT_TABLE:
		fprintf(r->fp, "\n%s\n", title);
		break;
	case OUTPUT_FORMAT_CSV:
		fprintf(r->fp, "\r\n# %s\r\n", key);
		break;
	case OUTPUT_FORMAT_JSON:
		fputs(r->ntables ? ",\n" : "\n", r->fp);
		output_json_string(r->fp, key, strlen(key));
		fputs(": ", r->fp);
		break;
	}
	r->ntables++;
	r->nrows = 0;
	for (int c = 0; c < ncols; c++) {
		static char strip[64][40];
		size_t n = strlen(names[c]);

		shown[c] = names[c];
		if (r->o->fmt == OUTPUT_FORMAT_TABLE && n > 3 && n < 40 &&
		    !strcmp(names[c] + n - 3, "_ns")) {
			memcpy(strip[c], names[c], n - 3);
			strip[c][n - 3] = '\0';
			shown[c] = strip[c];
		}
	}
	rc = output_begin(r->out, ncols, shown);
	if (rc < 0)
		return report_fail(r, rc, "%s", output_errmsg(r->out));
	return 0;
}

int report_table_row(struct report *r, const struct output_cell *cells)
{
	int rc = output_row(r->out, cells);

	r->ncell = 0;
	r->nrows++;
	if (rc < 0)
		return report_fail(r, rc, "%s", output_errmsg(r->out));
	return 0;
}

int report_table_end(struct report *r)
{
	int rc = output_end(r->out);

	if (rc == 0 && r->nrows == 0 && r->o->fmt == OUTPUT_FORMAT_TABLE)
		fputs("(none)\n", r->fp);
	if (rc < 0)
		report_fail(r, rc, "%s", output_errmsg(r->out));
	output_close(r->out);
	r->out = NULL;
	return rc;
}

int report_table_stmt(struct report *r, const char *key, const char *title,
		      sqlite3_stmt *s)
{
	int ncols = sqlite3_column_count(s), rc, src;
	const char *names[64];
	struct output_cell cells[64];
	char kind[64]; /* 'd' duration, 't' timestamp, 0 as is */

	if (ncols > 64) {
		sqlite3_finalize(s);
		return report_fail(r, -EINVAL, "too many columns");
	}
	for (int c = 0; c < ncols; c++) {
		const char *n = sqlite3_column_name(s, c);
		size_t len = strlen(n);

		names[c] = n;
		kind[c] = len > 3 && !strcmp(n + len - 3, "_ns") ? 'd' :
			  !strcmp(n, "ts") || (len > 3 &&
			  !strcmp(n + len - 3, "_ts")) ? 't' : 0;
	}
	rc = report_table_begin(r, key, title, ncols, names);
	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		for (int c = 0; c < ncols; c++) {
			int t = sqlite3_column_type(s, c);

			if (t == SQLITE_INTEGER && kind[c] == 'd')
				cells[c] = report_dur(r,
						sqlite3_column_int64(s, c));
			else if (t == SQLITE_INTEGER && kind[c] == 't')
				cells[c] = report_ts(r,
						sqlite3_column_int64(s, c));
			else if (t == SQLITE_INTEGER)
				cells[c] = OUTPUT_INT(sqlite3_column_int64(s,
									   c));
			else if (t == SQLITE_FLOAT)
				cells[c] = OUTPUT_REAL(sqlite3_column_double(s,
									     c));
			else if (t == SQLITE_NULL)
				cells[c] = OUTPUT_NULL;
			else
				cells[c] = (struct output_cell){
					.type = SQLITE_TEXT,
					.p = sqlite3_column_text(s, c),
					.n = (size_t)sqlite3_column_bytes(s, c)
				};
		}
		rc = report_table_row(r, cells);
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, key);
	sqlite3_finalize(s);
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}

int report_hist_print(struct report *r, const char *key, const char *title,
		      const char *unit, const uint64_t *counts, int nbuckets)
{
	char lo_name[16], hi_name[16], range[16];
	uint64_t max = 0;
	int last = -1, rc;

	for (int k = 0; k < nbuckets; k++) {
		if (counts[k])
			last = k;
		if (counts[k] > max)
			max = counts[k];
	}
	snprintf(lo_name, sizeof(lo_name), "lo_%s", unit);
	snprintf(hi_name, sizeof(hi_name), "hi_%s", unit);
	snprintf(range, sizeof(range), "%s", unit);
	if (r->o->fmt == OUTPUT_FORMAT_TABLE) {
		const char *cols[] = { range, "count", "distribution" };
		rc = report_table_begin(r, key, title, 3, cols);
	} else {
		const char *cols[] = { lo_name, hi_name, "count" };
		rc = report_table_begin(r, key, title, 3, cols);
	}
	for (int k = 0; rc == 0 && k <= last; k++) {
		uint64_t lo = k ? 1ull << k : 0, hi = (2ull << k) - 1;

		if (r->o->fmt == OUTPUT_FORMAT_TABLE) {
			char bar[48];
			int w = max ? (int)(40 * counts[k] / max) : 0;

			if (counts[k] && !w)
				w = 1;
			memset(bar, '*', (size_t)w);
			memset(bar + w, ' ', (size_t)(40 - w));
			bar[40] = '\0';
			rc = report_table_row(r, (struct output_cell[]){
				report_textf(r, "%" PRIu64 " -> %" PRIu64, lo, hi),
				OUTPUT_INT((int64_t)counts[k]),
				report_textf(r, "|%s|", bar) });
		} else {
			rc = report_table_row(r, (struct output_cell[]){
				OUTPUT_INT((int64_t)lo), OUTPUT_INT((int64_t)hi),
				OUTPUT_INT((int64_t)counts[k]) });
		}
	}
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}

int report_note(struct report *r, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return report_fail(r, -ENOMEM, "out of memory");
	char **v = realloc(r->notes, (r->nnotes + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return report_fail(r, -ENOMEM, "out of memory");
	}
	r->notes = v;
	r->notes[r->nnotes++] = s;
	return 0;
}

sqlite3_stmt *report_prepare(struct report *r, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(r->db, sql, -1, &s, NULL) != SQLITE_OK) {
		report_sql_fail(r, "query");
		sqlite3_finalize(s);
		return NULL;
	}
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_int64(s, 1, (int64_t)r->from);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, r->to > INT64_MAX ? INT64_MAX :
				   (int64_t)r->to);
	return s;
}

/* ---- filters, threads ----------------------------------------------- */

int report_comm_ok(struct report *r, const struct store_batch *b,
		   unsigned field, uint32_t i)
{
	int64_t ix;
	const char *s;
	int rc;

	if (!r->o->comm)
		return 1;
	if (r->comm_chunk != b->chunk || r->comm_kind != (int)b->kind) {
		r->comm_chunk = b->chunk;
		r->comm_kind = (int)b->kind;
		if (r->comm_cap)
			memset(r->comm_memo, 0, r->comm_cap);
	}
	/* a store error is kept for report_scan to return */
	if ((rc = store_batch_int(b, field, i, &ix)) < 0) {
		r->comm_err = rc;
		return 0;
	}
	if (ix < 0)
		return 0;
	if ((size_t)ix < r->comm_cap && r->comm_memo[ix])
		return r->comm_memo[ix] > 0;
	if ((size_t)ix >= r->comm_cap) {
		size_t old = r->comm_cap;
		if (report_grow(&r->comm_memo, &r->comm_cap, (size_t)ix + 1,
				1) < 0)
			return 0;
		memset(r->comm_memo + old, 0, r->comm_cap - old);
	}
	if ((rc = store_batch_str(b, field, i, &s)) < 0) {
		r->comm_err = rc;
		return 0;
	}
	r->comm_memo[ix] = s && !strcmp(s, r->o->comm) ? 1 : -1;
	return r->comm_memo[ix] > 0;
}

int report_threads_load(struct report *r)
{
	sqlite3_stmt *s;
	int rc = 0, src;

	if (r->threads)
		return 0;
	/* per tid, the row that started last before the window's end (else
	 * the earliest): later rows replace earlier ones */
	s = report_prepare(r, "SELECT tid, pid, comm, start_ts FROM threads"
			   " ORDER BY tid, (start_ts > ?2), start_ts");
	if (!s)
		return -EIO;
	r->threads = calloc(1, sizeof(*r->threads));
	if (!r->threads) {
		sqlite3_finalize(s);
		return report_fail(r, -ENOMEM, "out of memory");
	}
	size_t cap = 1;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		uint32_t tid = (uint32_t)sqlite3_column_int64(s, 0), ix;
		const char *comm = (const char *)sqlite3_column_text(s, 2);
		int late = r->to < (uint64_t)sqlite3_column_int64(s, 3);

		if (report_map_get(&r->thread_ix, tid, &ix)) {
			if (late)
				continue; /* keep the one before the end */
		} else {
			if (report_grow(&r->threads, &cap, r->nthreads + 1,
					sizeof(*r->threads)) < 0 ||
			    report_map_put(&r->thread_ix, tid,
					   (uint32_t)r->nthreads) < 0) {
				rc = report_fail(r, -ENOMEM, "out of memory");
				break;
			}
			ix = (uint32_t)r->nthreads++;
			r->threads[ix].comm = NULL;
		}
		r->threads[ix].tid = tid;
		r->threads[ix].pid = (uint32_t)sqlite3_column_int64(s, 1);
		free(r->threads[ix].comm);
		r->threads[ix].comm = comm ? strdup(comm) : NULL;
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "threads");
	sqlite3_finalize(s);
	return rc;
}

const struct report_thread *report_thread(struct report *r, uint32_t tid)
{
	uint32_t ix;

	if (report_map_get(&r->thread_ix, tid, &ix))
		return &r->threads[ix];
	return NULL;
}

int report_thread_ok(struct report *r, uint32_t tid)
{
	const struct report_thread *t;

	if (r->o->pid < 0 && !r->o->comm)
		return 1;
	t = report_thread(r, tid);
	if (!t)
		return 0;
	if (r->o->pid >= 0 && t->pid != (uint64_t)r->o->pid)
		return 0;
	return !r->o->comm || (t->comm && !strcmp(t->comm, r->o->comm));
}

char *report_proc_comm(struct report *r, uint32_t pid)
{
	/* the processes table, else the process's main thread */
	sqlite3_stmt *s = report_prepare(r, "SELECT comm FROM (SELECT comm,"
					 " start_ts FROM processes WHERE pid = ?3"
					 " UNION ALL SELECT comm, start_ts - 1e18"
					 " FROM threads WHERE tid = ?3) ORDER BY"
					 " (start_ts > ?2), start_ts DESC LIMIT 1");
	char *comm = NULL;

	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 3, pid);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		comm = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return comm;
}

int report_field(enum ev_kind kind, const char *name)
{
	return ev_field_index(ev_desc(kind), name);
}

/* ---- scans with progress ------------------------------------------- */

struct scan_wrap {
	store_scan_fn *fn;
	void *arg;
	struct progress *pg;
	uint64_t done;
};

static int scan_each(const struct store_batch *b, void *arg)
{
	struct scan_wrap *w = arg;

	w->done += b->n;
	progress_update(w->pg, w->done, w->done);
	return w->fn(b, w->arg);
}

int report_scan(struct report *r, enum ev_kind kind, uint64_t fields,
		store_scan_fn *fn, void *arg)
{
	return report_scan_range(r, kind, fields, r->from, r->to, fn, arg);
}

int report_scan_range(struct report *r, enum ev_kind kind, uint64_t fields,
		      uint64_t from, uint64_t to, store_scan_fn *fn, void *arg)
{
	struct store_kind_stats ks;
	struct scan_wrap w = { fn, arg, NULL, 0 };
	int rc;

	if (r->o->progress && store_kind_stats(r->st, kind, &ks) == 0) {
		snprintf(r->progress_what, sizeof(r->progress_what),
			 "report %s, reading %s", r->d->name,
			 ev_desc(kind)->table);
		w.pg = progress_new(r->progress_what, 0, ks.events, -1);
	}
	rc = store_scan(r->st, kind, fields, from, to, scan_each, &w);
	progress_free(w.pg);
	if (rc == 0 && r->comm_err)
		rc = r->comm_err;
	if (rc < 0 && !r->err[0])
		return report_store_fail(r, rc);
	return rc;
}

/* ---- the run -------------------------------------------------------- */

static int lost_gather(struct report *r)
{
	/* a lost row covers the second [ts, ts + 1 s) */
	sqlite3_stmt *s = report_prepare(r, "SELECT class, sum(count) FROM"
					 " lost WHERE ts <= ?2 AND ts + 1000000000"
					 " > ?1 GROUP BY class ORDER BY class");
	int src, rc = 0;

	if (!s)
		return -EIO;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_lost *v = realloc(r->lost, (r->nlost + 1) *
						sizeof(*v));
		const char *c = (const char *)sqlite3_column_text(s, 0);

		if (!v) {
			rc = report_fail(r, -ENOMEM, "out of memory");
			break;
		}
		r->lost = v;
		v[r->nlost].class = strdup(c ? c : "?");
		v[r->nlost].count = (uint64_t)sqlite3_column_int64(s, 1);
		r->lost_total += v[r->nlost].count;
		r->nlost++;
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "lost");
	sqlite3_finalize(s);
	return rc;
}

static void lost_classes(struct report *r, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nlost && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s %" PRIu64,
				      i ? ", " : "", r->lost[i].class,
				      r->lost[i].count);
}

static void header_text(struct report *r)
{
	char a[64], b[64], c[32], cls[256];

	fprintf(r->fp, "kscope report %s: %s\n", r->d->name,
		store_path(r->st));
	if (r->has_offset) {
		info_wall_format(a, sizeof(a), r->offset, r->from, 0);
		info_wall_format(b, sizeof(b), r->offset, r->to, 0);
	} else {
		/* signed: a window may start before the trace */
		snprintf(a, sizeof(a), "%+.6f s", ((double)r->from -
						    (double)r->span_from) / 1e9);
		snprintf(b, sizeof(b), "%+.6f s", ((double)r->to -
						    (double)r->span_from) / 1e9);
	}
	info_duration_format(c, sizeof(c), r->to - r->from);
	fprintf(r->fp, "window  %s .. %s (%s%s)\n", a, b, c,
		r->from == r->span_from && r->to == r->span_to ?
		", the whole trace" : "");
	if (r->o->pid >= 0 || r->o->comm) {
		fputs("filter ", r->fp);
		if (r->o->pid >= 0)
			fprintf(r->fp, " pid %" PRId64, r->o->pid);
		if (r->o->comm)
			fprintf(r->fp, " comm '%s'", r->o->comm);
		putc('\n', r->fp);
	}
	if (r->lost_total) {
		lost_classes(r, cls, sizeof(cls));
		fprintf(r->fp, "LOST    %" PRIu64 " events in this window (%s):"
			" the figures below undercount\n", r->lost_total, cls);
	} else {
		fputs("lost    none in this window\n", r->fp);
	}
}

static void header_json(struct report *r)
{
	char a[64];
	const char *path = store_path(r->st);

	fputs("{\"report\": ", r->fp);
	output_json_string(r->fp, r->d->name, strlen(r->d->name));
	fputs(", \"trace\": ", r->fp);
	output_json_string(r->fp, path, strlen(path));
	fprintf(r->fp, ",\n\"window\": {\"from_ts\": %" PRIu64 ", \"to_ts\": %"
		PRIu64 ", \"duration_ns\": %" PRIu64, r->from, r->to,
		r->to - r->from);
	if (r->has_offset) {
		info_wall_format(a, sizeof(a), r->offset, r->from, 1);
		fprintf(r->fp, ", \"from\": \"%s\"", a);
		info_wall_format(a, sizeof(a), r->offset, r->to, 1);
		fprintf(r->fp, ", \"to\": \"%s\"", a);
	}
	fputs("},\n\"filter\": {\"pid\": ", r->fp);
	if (r->o->pid >= 0)
		fprintf(r->fp, "%" PRId64, r->o->pid);
	else
		fputs("null", r->fp);
	fputs(", \"comm\": ", r->fp);
	if (r->o->comm)
		output_json_string(r->fp, r->o->comm, strlen(r->o->comm));
	else
		fputs("null", r->fp);
	fprintf(r->fp, "},\n\"lost\": {\"events\": %" PRIu64 ", \"by_class\": "
		"{", r->lost_total);
	for (size_t i = 0; i < r->nlost; i++) {
		fputs(i ? ", " : "", r->fp);
		output_json_string(r->fp, r->lost[i].class,
				   strlen(r->lost[i].class));
		fprintf(r->fp, ": %" PRIu64, r->lost[i].count);
	}
	fputs("}},\n\"tables\": {", r->fp);
}

static int header_csv(struct report *r)
{
	static const char *const cols[] = {
		"report", "trace", "from_ts", "to_ts", "pid", "comm",
		"lost_events", "lost_by_class"
	};
	char cls[256];
	struct output *o = output_open(r->fp, OUTPUT_FORMAT_CSV, NULL);
	int rc;

	if (!o)
		return report_fail(r, -ENOMEM, "out of memory");
	lost_classes(r, cls, sizeof(cls));
	fputs("# report\r\n", r->fp);
	rc = output_begin(o, 8, cols);
	if (rc == 0)
		rc = output_row(o, (struct output_cell[]){
			OUTPUT_TEXT(r->d->name), OUTPUT_TEXT(store_path(r->st)),
			OUTPUT_INT((int64_t)r->from), OUTPUT_INT((int64_t)r->to),
			r->o->pid >= 0 ? OUTPUT_INT(r->o->pid) : OUTPUT_NULL,
			report_text(r->o->comm),
			OUTPUT_INT((int64_t)r->lost_total), OUTPUT_TEXT(cls) });
	if (rc == 0)
		rc = output_end(o);
	if (rc < 0)
		report_fail(r, rc, "%s", output_errmsg(o));
	output_close(o);
	return rc;
}

static int notes_print(struct report *r)
{
	if (r->o->fmt == OUTPUT_FORMAT_TABLE) {
		if (r->nnotes)
			fputs("\nnext:\n", r->fp);
		for (size_t i = 0; i < r->nnotes; i++)
			fprintf(r->fp, "  %s\n", r->notes[i]);
		return 0;
	}
	if (r->o->fmt == OUTPUT_FORMAT_JSON) {
		fputs("},\n\"notes\": [", r->fp);
		for (size_t i = 0; i < r->nnotes; i++) {
			fputs(i ? ",\n  " : "\n  ", r->fp);
			output_json_string(r->fp, r->notes[i],
					   strlen(r->notes[i]));
		}
		fputs(r->nnotes ? "\n]}\n" : "]}\n", r->fp);
		return 0;
	}
	if (!r->nnotes)
		return 0;
	const char *col = "note";
	int rc = report_table_begin(r, "notes", "next", 1, &col);
	for (size_t i = 0; rc == 0 && i < r->nnotes; i++)
		rc = report_table_row(r, (struct output_cell[]){
					OUTPUT_TEXT(r->notes[i]) });
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}

static void report_free(struct report *r)
{
	if (r->out)
		output_close(r->out);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	for (size_t i = 0; i < r->nlost; i++)
		free(r->lost[i].class);
	free(r->lost);
	for (size_t i = 0; i < r->nthreads; i++)
		free(r->threads[i].comm);
	free(r->threads);
	report_map_free(&r->thread_ix);
	free(r->comm_memo);
}

int report_opts_check(struct store *st, const struct report_opts *o,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < o->nnames; i++) {
		int found = 0;

		for (int nr = 0; nr < 1024 && !found; nr++) {
			const char *n = store_syscall_name(st, nr);
			found = n && !strcmp(n, o->names[i]);
		}
		if (!found) {
			snprintf(err, errlen, "'%s' is not a syscall name on "
				 "this trace's architecture", o->names[i]);
			return -EINVAL;
		}
	}
	return 0;
}

int report_run(struct store *st, const struct report_desc *d,
	       const struct report_opts *o, FILE *fp, char *err,
	       size_t errlen)
{
	struct report r = {
		.st = st, .db = store_db(st), .d = d, .o = o, .fp = fp,
		.err = err, .errlen = errlen, .comm_chunk = -1,
	};
	const char *off = store_meta(st, "clock_offset_ns");
	char *end;
	int rc;

	err[0] = '\0';
	r.top = o->top ? o->top : REPORT_TOP_DEFAULT;
	if (off) {
		errno = 0;
		r.offset = strtoll(off, &end, 10);
		r.has_offset = !errno && end != off && !*end;
	}
	rc = timearg_span(st, &r.span_from, &r.span_to);
	if (rc < 0) {
		r.span_from = 0;
		r.span_to = 0;
	}
	r.from = o->has_from ? o->from : r.span_from;
	r.to = o->has_to ? o->to : r.span_to;
	if (r.to < r.from)
		return report_fail(&r, -EINVAL, "the window is empty: the trace "
				   "spans +0 s to %+.6f s", ((double)r.span_to -
				   (double)r.span_from) / 1e9);
	if ((rc = lost_gather(&r)) < 0)
		goto out;
	errno = 0;
	if (o->fmt == OUTPUT_FORMAT_TABLE)
		header_text(&r);
	else if (o->fmt == OUTPUT_FORMAT_JSON)
		header_json(&r);
	else if ((rc = header_csv(&r)) < 0)
		goto out;
	rc = d->run(&r);
	if (rc == 0)
		rc = notes_print(&r);
	if (fflush(fp) != 0 || ferror(fp)) {
		int e = errno ? errno : EIO;
		if (rc == 0 || rc != -e)
			rc = report_fail(&r, -e, "write error: %s",
					 strerror(e));
	}
out:
	report_free(&r);
	return rc;
}
