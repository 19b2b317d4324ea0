/*
 * report_summary.c - `kscope report FILE` (the summary): one screen that
 * says where to look next.
 *
 *     kscope report t.kscope
 *     kscope report t.kscope summary --from +10s --to +20s --format json
 *
 * What it shows: the recording host and span (meta), events per table (a
 * store_scan of each table that reads no column but the syscalls'),
 * where the trace lost events (the lost table, consecutive seconds of a
 * class merged into one window), and from ONE store_scan of the syscalls
 * columns: the busiest processes, the syscalls that took the most time,
 * the slowest calls and the commonest errors.  The figures are folded by
 * analyze/fold/ (ovw, tasks, sysc, errs: the TUI's Overview, Processes,
 * Syscalls and Errors fold with the same code); this file prints them.
 * Process exits and TCP events are counted with small SQL aggregates.
 * Then what points at a cause (summary_causes.c: failed calls before a
 * non-zero exit, deaths by signal, calls still running, busy polling,
 * time runnable, fd exhaustion), its notes first, each with the command
 * to run next on this trace file; then notes that point at the report to
 * run next.
 */
#include "config.h"
#include "analyze/report/summary_int.h"
#include "analyze/output/plural.h"
#include "analyze/fold/errs.h"
#include "analyze/fold/ovw.h"
#include "analyze/fold/sysc.h"
#include "analyze/fold/tasks.h"
#include "analyze/info/info.h"
#include "analyze/sql/sqlfn.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct sum_scan {
	struct report *r;
	struct fold_sysc sc;
	struct fold_tasks tk;
	struct fold_errs er;
	struct fold_ovw ov;
	struct report_slowest slow;
	struct sum_causes ca;
};

#define SUM_FIELDS (FOLD_SYSC_FIELDS | FOLD_TASKS_FIELDS | FOLD_ERRS_FIELDS | \
		    FOLD_OVW_FIELDS(EV_SYSCALL) | SUM_CAUSES_FIELDS)

static int sum_each(void *arg, const struct store_batch *b,
		    const uint8_t *keep)
{
	struct sum_scan *s = arg;
	struct report *r = s->r;
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	int rc;

	/* the events table counts every event of the window */
	if ((rc = fold_sysc_batch(&s->sc, b, keep)) < 0 ||
	    (rc = fold_tasks_batch(&s->tk, b, keep)) < 0 ||
	    (rc = fold_errs_batch(&s->er, b, keep)) < 0 ||
	    (rc = fold_ovw_batch(&s->ov, b, NULL)) < 0 ||
	    (rc = summary_causes_batch(&s->ca, b, keep)) < 0)
		return rc;
	for (uint32_t i = 0; i < b->n; i++) {
		if (!fold_kept(keep, i) ||
		    !report_slowest_wants(&s->slow, r->top, (uint64_t)dur[i]))
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					     dur[i])) < 0)
			return rc;
		if (rc == 0 && (rc = report_slowest_offer(r, &s->slow, b,
							  i)) < 0)
			return rc;
	}
	return 0;
}

/* Events of the other tables, every one of the window. */
static int ovw_each(const struct store_batch *b, void *arg)
{
	return fold_ovw_batch(arg, b, NULL);
}

static int task_cmp(const void *a, const void *b)
{
	const struct fold_task *x = a, *y = b;

	if (x->syscalls != y->syscalls)
		return x->syscalls < y->syscalls ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int nr_cmp(const void *a, const void *b)
{
	const struct fold_sysc_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int trace_table(struct report *r)
{
	static const char *const cols[] = { "field", "value" };
	static const char *const keys[] = {
		"host", "kernel", "arch", "cpus", "options"
	};
	char a[64], b[64];
	int rc = report_table_begin(r, "trace", "Trace", 2, cols);

	for (size_t k = 0; rc == 0 && k < sizeof(keys) / sizeof(*keys); k++)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(keys[k]),
			report_text(store_meta(r->st, keys[k])) });
	if (rc == 0 && r->has_offset) {
		info_wall_format(a, sizeof(a), r->offset, r->span_from, 1);
		info_wall_format(b, sizeof(b), r->offset, r->span_to, 1);
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT("start"), OUTPUT_TEXT(a) });
		if (rc == 0)
			rc = report_table_row(r, (struct output_cell[]){
				OUTPUT_TEXT("end"), OUTPUT_TEXT(b) });
	}
	if (rc == 0) {
		info_duration_format(a, sizeof(a), r->span_to - r->span_from);
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT("duration"), OUTPUT_TEXT(a) });
	}
	return report_table_close(r, rc);
}

static int events_table(struct report *r, const struct fold_ovw *ov)
{
	static const char *const cols[] = { "table", "events" };
	int rc = report_table_begin(r, "events", "Events in the window", 2,
				    cols);

	for (int k = 0; k < EV_KIND_COUNT && rc == 0; k++)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(ev_desc(k)->table),
			OUTPUT_INT((int64_t)ov->events[k]) });
	return report_table_close(r, rc);
}

/* Lost events: runs of consecutive seconds of one class. */
static int lost_table(struct report *r)
{
	static const char *const cols[] = {
		"from_ts", "to_ts", "class", "events"
	};
	sqlite3_stmt *s;
	int rc, src, have = 0;
	uint64_t from = 0, last = 0, count = 0;
	char cls[32] = "";

	if (r->o->fmt == OUTPUT_FORMAT_TABLE && !r->lost_total)
		return 0;
	s = report_prepare(r, "SELECT class, ts, sum(count) FROM lost WHERE"
			   " ts <= ?2 AND ts + 1000000000 > ?1 GROUP BY class,"
			   " ts ORDER BY class, ts");
	if (!s)
		return -EIO;
	rc = report_table_begin(r, "lost_windows", "Where the trace lost "
				"events (consecutive seconds merged)", 4, cols);
	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		uint64_t ts = (uint64_t)sqlite3_column_int64(s, 1);
		uint64_t n = (uint64_t)sqlite3_column_int64(s, 2);

		c = c ? c : "?";
		if (have && !strcmp(c, cls) && ts == last + 1000000000ull) {
			last = ts;
			count += n;
			continue;
		}
		if (have)
			rc = report_table_row(r, (struct output_cell[]){
				report_ts(r, (int64_t)from),
				report_ts(r, (int64_t)(last + 999999999)),
				OUTPUT_TEXT(cls), OUTPUT_INT((int64_t)count) });
		have = 1;
		snprintf(cls, sizeof(cls), "%s", c);
		from = last = ts;
		count = n;
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "lost");
	if (rc == 0 && have)
		rc = report_table_row(r, (struct output_cell[]){
			report_ts(r, (int64_t)from),
			report_ts(r, (int64_t)(last + 999999999)),
			OUTPUT_TEXT(cls), OUTPUT_INT((int64_t)count) });
	sqlite3_finalize(s);
	return report_table_close(r, rc);
}

/* A count from SQL over the window, or 0. */
static uint64_t sql_count(struct report *r, const char *sql)
{
	sqlite3_stmt *s = report_prepare(r, sql);
	uint64_t n = 0;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		n = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Fold the window: syscalls into every accumulator, the other tables
 * into the overview's counts. */
static int sum_fold(struct report *r, struct sum_scan *s)
{
	int rc;

	s->r = r;
	if ((rc = fold_sysc_init(&s->sc, 0)) < 0 ||
	    (rc = fold_tasks_init(&s->tk, 0)) < 0 ||
	    (rc = fold_errs_init(&s->er)) < 0 ||
	    (rc = fold_ovw_init(&s->ov)) < 0)
		return report_fail(r, rc, "out of memory");
	if ((rc = summary_causes_init(r, &s->ca)) < 0)
		return rc;
	if ((rc = report_fold(r, EV_SYSCALL, SUM_FIELDS, sum_each, s)) < 0)
		return rc;
	for (int k = 0; k < EV_KIND_COUNT; k++)
		if (k != EV_SYSCALL &&
		    (rc = report_scan(r, k, FOLD_OVW_FIELDS(k), ovw_each,
				      &s->ov)) < 0)
			return rc;
	return 0;
}

int report_summary_run(struct report *r)
{
	static const char *const pcols[] = {
		"pid", "comm", "calls", "errors", "syscall_time_ns"
	};
	static const char *const ncols[] = {
		"syscall", "calls", "errors", "total_ns", "max_ns"
	};
	static const char *const ecols[] = { "syscall", "error", "count" };
	struct sum_scan *s = calloc(1, sizeof(*s));
	unsigned top = r->o->top ? r->o->top : 5, saved = r->top;
	int rc;

	if (!s)
		return report_fail(r, -ENOMEM, "out of memory");
	r->top = top;	/* the slowest heap's size */
	if ((rc = sum_fold(r, s)) < 0 || (rc = trace_table(r)) < 0 ||
	    (rc = events_table(r, &s->ov)) < 0 || (rc = lost_table(r)) < 0)
		goto out;

	report_sort(s->tk.procs.v, s->tk.procs.n, sizeof(*s->tk.procs.v),
		    task_cmp);
	rc = report_table_begin(r, "busiest_processes", "Busiest processes "
				"(by system calls)", 5, pcols);
	for (size_t i = 0; rc == 0 && i < s->tk.procs.n && i < top; i++) {
		const struct fold_task *p = &s->tk.procs.v[i];
		char *comm = report_proc_comm(r, p->id);

		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(p->id), report_text(comm),
			OUTPUT_INT((int64_t)p->syscalls),
			OUTPUT_INT((int64_t)p->errors),
			report_dur(r, (int64_t)p->sys_ns) });
		free(comm);
	}
	rc = report_table_close(r, rc);

	report_sort(s->sc.v, s->sc.n, sizeof(*s->sc.v), nr_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "top_syscalls", "System calls that "
					"took the most time", 5, ncols);
	for (size_t i = 0; rc == 0 && i < s->sc.n && i < top; i++) {
		const struct fold_sysc_row *q = &s->sc.v[i];
		rc = report_table_row(r, (struct output_cell[]){
			report_sysname(r, q->nr),
			OUTPUT_INT((int64_t)q->calls),
			OUTPUT_INT((int64_t)q->errors),
			report_dur(r, (int64_t)q->total),
			report_dur(r, (int64_t)q->max) });
	}
	rc = report_table_close(r, rc);

	if (rc == 0)
		rc = report_slowest_print(r, &s->slow, "slowest", "Slowest "
					  "calls");

	report_sort(s->er.k, s->er.nk, sizeof(*s->er.k), fold_errs_key_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "errors", "Commonest errors", 3,
					ecols);
	for (size_t i = 0; rc == 0 && i < s->er.nk && i < top; i++)
		rc = report_table_row(r, (struct output_cell[]){
			report_sysname(r, s->er.k[i].nr),
			report_errno(r, s->er.k[i].ret),
			OUTPUT_INT((int64_t)s->er.k[i].count) });
	rc = report_table_close(r, rc);
	/* what points at a cause, with its notes first */
	if (rc < 0 || (rc = summary_causes_print(r, &s->ca, &s->er,
						 s->ov.events[EV_SWITCH])) < 0)
		goto out;

	/* where to look next */
	if (r->lost_total)
		rc = report_note(r, "the trace lost %" PRIu64 " %s in this "
				 "window (lost_windows): counts undercount "
				 "there", r->lost_total,
				 plural(r->lost_total, "event", "events"));
	if (rc == 0 && s->sc.errors)
		rc = report_note(r, "%" PRIu64 " of %" PRIu64 " %s failed: "
				 "kscope report %s errors (by errno, "
				 "process, path)", s->sc.errors, s->sc.calls,
				 plural(s->sc.calls, "call", "calls"),
				 s->ca.file);
	if (rc == 0 && s->slow.n) {
		const struct report_top_call *c = &s->slow.v[0];
		const char *name = store_syscall_name(r->st, c->nr);
		char d[32];

		sqlfn_fmt_dur(d, sizeof(d), (int64_t)c->dur);
		rc = report_note(r, "slowest call: %s in %s (pid %u): kscope "
				 "report %s slow; kscope report %s syscalls %s "
				 "for its latency histogram", d,
				 name ? name : "?", c->pid, s->ca.file,
				 s->ca.file, name ? name : "NAME");
	}
	if (rc == 0 && s->ov.events[EV_SWITCH])
		rc = report_note(r, "%" PRIu64 " context %s: 'cpu' (who "
				 "ran), 'runqlat' (waiting for a CPU), 'offcpu'"
				 " (waiting for I/O or locks)",
				 s->ov.events[EV_SWITCH],
				 plural(s->ov.events[EV_SWITCH], "switch",
					"switches"));
	if (rc == 0 && s->ov.events[EV_PROC]) {
		uint64_t bad = sql_count(r, "SELECT count(*) FROM proc_events"
					 " WHERE ts BETWEEN ?1 AND ?2 AND kind"
					 " = 'exit' AND tid = pid AND"
					 " (exit_code != 0 OR exit_signal != 0)");
		rc = report_note(r, "%" PRIu64 " process %s, %" PRIu64
				 " %s with an error or a signal: 'procs'",
				 s->ov.events[EV_PROC],
				 plural(s->ov.events[EV_PROC], "event",
					"events"), bad,
				 plural(bad, "exit", "exits"));
	}
	if (rc == 0 && s->ov.events[EV_NET]) {
		uint64_t resets = sql_count(r, "SELECT count(*) FROM net_events"
					    " WHERE ts BETWEEN ?1 AND ?2 AND"
					    " kind IN ('reset_sent',"
					    " 'reset_recv')");
		rc = report_note(r, "%" PRIu64 " TCP %s, %" PRIu64
				 " %s: 'net' (connections, latency, "
				 "bytes)", s->ov.events[EV_NET],
				 plural(s->ov.events[EV_NET], "event",
					"events"), resets,
				 plural(resets, "reset", "resets"));
	}
out:
	r->top = saved;
	report_slowest_free(&s->slow);
	fold_sysc_free(&s->sc);
	fold_tasks_free(&s->tk);
	fold_errs_free(&s->er);
	fold_ovw_free(&s->ov);
	summary_causes_free(&s->ca);
	free(s);
	return rc;
}
