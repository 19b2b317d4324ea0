/*
 * report_summary.c - `kscope report FILE` (the summary): one screen that
 * says where to look next.
 *
 *     kscope report t.kscope
 *     kscope report t.kscope summary --from +10s --to +20s --format json
 *
 * What it shows: the recording host and span (meta), events per table (the
 * chunk index for the whole trace; a count(*) per table for a narrower
 * window), where the trace lost events (the lost table, consecutive seconds
 * of a class merged into one window), and from ONE store_scan of the
 * syscalls columns pid, nr, dur and ret: the busiest processes, the
 * syscalls that took the most time, the slowest calls and the commonest
 * errors.  Process exits and TCP events are counted with small SQL
 * aggregates.  It then writes notes that point at the report to run next.
 * Scheduler figures (run queue latency, off-CPU time) need a time-ordered
 * replay of sched_switch and are left to their reports.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/info/info.h"
#include "analyze/sql/sqlfn.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NRMAX 1024

struct sum_nr {
	uint64_t calls, errors, total, max;
};

struct sum_pid {
	uint32_t pid;
	uint64_t calls, errors, time;
};

struct sum_err {
	int32_t nr;
	int64_t ret;
	uint64_t count;
};

struct sum_scan {
	struct report *r;
	int pid, comm, nr, dur, ret, flags;
	struct sum_nr nrs[NRMAX];
	struct sum_pid *pids;
	size_t npids, cappids;
	struct hmap pidix;
	struct sum_err *errs;
	size_t nerrs, caperrs;
	struct hmap errix;
	struct report_slowest slow;
	uint64_t calls, errors, unfinished;
};

static int sum_each(const struct store_batch *b, void *arg)
{
	struct sum_scan *s = arg;
	struct report *r = s->r;
	const int64_t *pid = b->col[s->pid], *nr = b->col[s->nr];
	const int64_t *dur = b->col[s->dur], *ret = b->col[s->ret];
	uint32_t last_pid = 0, pix = 0;
	int have_pid = 0, rc;	/* pix is last_pid's row once have_pid */

	for (uint32_t i = 0; i < b->n; i++) {
		struct sum_pid *p;
		int fail;

		if (!report_pid_ok(r, pid[i]) ||
		    !report_comm_ok(r, b, (unsigned)s->comm, i))
			continue;
		if (!have_pid || (uint32_t)pid[i] != last_pid) {
			last_pid = (uint32_t)pid[i];
			have_pid = 1;
			if (!hmap_get(&s->pidix, last_pid, &pix)) {
				if (report_grow(&s->pids, &s->cappids,
						s->npids + 1,
						sizeof(*s->pids)) < 0 ||
				    hmap_put(&s->pidix, last_pid,
						   (uint32_t)s->npids) < 0)
					return report_fail(r, -ENOMEM,
							   "out of memory");
				s->pids[s->npids] = (struct sum_pid){
					.pid = last_pid };
				pix = (uint32_t)s->npids++;
			}
		}
		p = &s->pids[pix];
		p->calls++;
		s->calls++;
		if ((rc = report_unfinished(b, s->flags, i, dur[i])) < 0)
			return report_store_fail(r, rc);
		if (rc) {
			s->unfinished += rc == REPORT_SC_RUNNING;
			continue;
		}
		fail = report_failed(ret[i]);
		p->errors += fail;
		p->time = report_sum_add(p->time, dur[i]);
		s->errors += fail;
		if (nr[i] >= 0 && nr[i] < NRMAX) {
			struct sum_nr *n = &s->nrs[nr[i]];
			n->calls++;
			n->errors += fail;
			n->total = report_sum_add(n->total, dur[i]);
			if ((uint64_t)dur[i] > n->max)
				n->max = (uint64_t)dur[i];
		}
		if (fail) {
			uint64_t key = (uint64_t)(uint32_t)nr[i] << 32 |
				       (uint32_t)-ret[i];
			uint32_t ix;
			if (!hmap_get(&s->errix, key, &ix)) {
				if (report_grow(&s->errs, &s->caperrs,
						s->nerrs + 1,
						sizeof(*s->errs)) < 0 ||
				    hmap_put(&s->errix, key,
						   (uint32_t)s->nerrs) < 0)
					return report_fail(r, -ENOMEM,
							   "out of memory");
				s->errs[s->nerrs] = (struct sum_err){
					.nr = (int32_t)nr[i], .ret = ret[i] };
				ix = (uint32_t)s->nerrs++;
			}
			s->errs[ix].count++;
		}
		if (report_slowest_wants(&s->slow, r->top, (uint64_t)dur[i]) &&
		    (rc = report_slowest_offer(r, &s->slow, b, i)) < 0)
			return rc;
	}
	return 0;
}

static int pid_cmp(const void *a, const void *b)
{
	const struct sum_pid *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int err_cmp(const void *a, const void *b)
{
	const struct sum_err *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->ret < y->ret ? 1 : x->ret > y->ret ? -1 : 0;
}

static int end_table(struct report *r, int rc)
{
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
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
	return end_table(r, rc);
}

static int events_table(struct report *r, uint64_t *counts)
{
	static const char *const cols[] = { "table", "events" };
	int whole = r->from <= r->span_from && r->to >= r->span_to;
	int rc = 0;

	for (int k = 0; k < EV_KIND_COUNT && rc == 0; k++) {
		struct store_kind_stats ks;
		char sql[128];
		sqlite3_stmt *s;

		if (whole) {
			if ((rc = store_kind_stats(r->st, k, &ks)) < 0)
				return report_store_fail(r, rc);
			counts[k] = ks.events;
			continue;
		}
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE ts"
			 " BETWEEN ?1 AND ?2", ev_desc(k)->table);
		if (!(s = report_prepare(r, sql)))
			return -EIO;
		if (sqlite3_step(s) == SQLITE_ROW)
			counts[k] = (uint64_t)sqlite3_column_int64(s, 0);
		else
			rc = report_sql_fail(r, ev_desc(k)->table);
		sqlite3_finalize(s);
	}
	if (rc < 0)
		return rc;
	rc = report_table_begin(r, "events", "Events in the window", 2, cols);
	for (int k = 0; k < EV_KIND_COUNT && rc == 0; k++)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(ev_desc(k)->table),
			OUTPUT_INT((int64_t)counts[k]) });
	return end_table(r, rc);
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
	return end_table(r, rc);
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
	uint64_t counts[EV_KIND_COUNT] = { 0 };
	unsigned top = r->o->top ? r->o->top : 5, saved = r->top;
	int order[NRMAX], n = 0, rc;

	if (!s)
		return report_fail(r, -ENOMEM, "out of memory");
	s->r = r;
	r->top = top;	/* the slowest heap's size */
	s->pid = report_field(EV_SYSCALL, "pid");
	s->comm = report_field(EV_SYSCALL, "comm");
	s->nr = report_field(EV_SYSCALL, "nr");
	s->dur = report_field(EV_SYSCALL, "dur");
	s->ret = report_field(EV_SYSCALL, "ret");
	s->flags = report_field(EV_SYSCALL, "flags");
	if (s->pid < 0 || s->comm < 0 || s->nr < 0 || s->dur < 0 ||
	    s->ret < 0 || s->flags < 0) {
		rc = report_fail(r, -EINVAL, "syscalls table lacks a column "
				 "this build needs");
		goto out;
	}
	if ((rc = trace_table(r)) < 0 || (rc = events_table(r, counts)) < 0 ||
	    (rc = lost_table(r)) < 0)
		goto out;
	rc = report_scan(r, EV_SYSCALL, 1ull << s->pid | 1ull << s->nr |
			 1ull << s->dur | 1ull << s->ret,
			 sum_each, s);
	if (rc < 0)
		goto out;

	report_sort(s->pids, s->npids, sizeof(*s->pids), pid_cmp);
	rc = report_table_begin(r, "busiest_processes", "Busiest processes "
				"(by system calls)", 5, pcols);
	for (size_t i = 0; rc == 0 && i < s->npids && i < top; i++) {
		const struct sum_pid *p = &s->pids[i];
		char *comm = report_proc_comm(r, p->pid);

		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(p->pid), report_text(comm),
			OUTPUT_INT((int64_t)p->calls),
			OUTPUT_INT((int64_t)p->errors),
			report_dur(r, (int64_t)p->time) });
		free(comm);
	}
	rc = end_table(r, rc);

	for (int k = 0; k < NRMAX; k++)
		if (s->nrs[k].calls)
			order[n++] = k;
	for (int i = 1; i < n; i++)	/* by total time; n is small */
		for (int j = i; j > 0 && s->nrs[order[j]].total >
		     s->nrs[order[j - 1]].total; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	if (rc == 0)
		rc = report_table_begin(r, "top_syscalls", "System calls that "
					"took the most time", 5, ncols);
	for (int i = 0; rc == 0 && i < n && (unsigned)i < top; i++) {
		const struct sum_nr *q = &s->nrs[order[i]];
		rc = report_table_row(r, (struct output_cell[]){
			report_sysname(r, order[i]),
			OUTPUT_INT((int64_t)q->calls),
			OUTPUT_INT((int64_t)q->errors),
			report_dur(r, (int64_t)q->total),
			report_dur(r, (int64_t)q->max) });
	}
	rc = end_table(r, rc);

	if (rc == 0)
		rc = report_slowest_print(r, &s->slow, "slowest", "Slowest "
					  "calls");

	report_sort(s->errs, s->nerrs, sizeof(*s->errs), err_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "errors", "Commonest errors", 3,
					ecols);
	for (size_t i = 0; rc == 0 && i < s->nerrs && i < top; i++)
		rc = report_table_row(r, (struct output_cell[]){
			report_sysname(r, s->errs[i].nr),
			report_errno(r, s->errs[i].ret),
			OUTPUT_INT((int64_t)s->errs[i].count) });
	rc = end_table(r, rc);
	if (rc < 0)
		goto out;

	/* where to look next */
	if (r->lost_total)
		rc = report_note(r, "the trace lost %" PRIu64 " events in this "
				 "window (lost_windows): counts undercount "
				 "there", r->lost_total);
	if (rc == 0 && s->errors)
		rc = report_note(r, "%" PRIu64 " of %" PRIu64 " calls failed: "
				 "'kscope report FILE errors' (by errno, "
				 "process, path)", s->errors, s->calls);
	if (rc == 0 && s->slow.n) {
		const struct report_top_call *c = &s->slow.v[0];
		const char *name = store_syscall_name(r->st, c->nr);
		char d[32];

		sqlfn_fmt_dur(d, sizeof(d), (int64_t)c->dur);
		rc = report_note(r, "slowest call: %s in %s (pid %u): 'kscope "
				 "report FILE slow', 'syscalls %s' for its "
				 "latency histogram", d, name ? name : "?",
				 c->pid, name ? name : "NAME");
	}
	if (rc == 0 && s->unfinished)
		rc = report_note(r, "%" PRIu64 " calls were still running when "
				 "the recording stopped ('slow' lists them)",
				 s->unfinished);
	if (rc == 0 && counts[EV_SWITCH])
		rc = report_note(r, "%" PRIu64 " context switches: 'cpu' (who "
				 "ran), 'runqlat' (waiting for a CPU), 'offcpu'"
				 " (waiting for I/O or locks)",
				 counts[EV_SWITCH]);
	if (rc == 0 && counts[EV_PROC]) {
		uint64_t bad = sql_count(r, "SELECT count(*) FROM proc_events"
					 " WHERE ts BETWEEN ?1 AND ?2 AND kind"
					 " = 'exit' AND tid = pid AND"
					 " (exit_code != 0 OR exit_signal != 0)");
		rc = report_note(r, "%" PRIu64 " process events, %" PRIu64
				 " exits with an error or a signal: 'procs'",
				 counts[EV_PROC], bad);
	}
	if (rc == 0 && counts[EV_NET]) {
		uint64_t resets = sql_count(r, "SELECT count(*) FROM net_events"
					    " WHERE ts BETWEEN ?1 AND ?2 AND"
					    " kind IN ('reset_sent',"
					    " 'reset_recv')");
		rc = report_note(r, "%" PRIu64 " TCP events, %" PRIu64
				 " resets: 'net' (connections, latency, "
				 "bytes)", counts[EV_NET], resets);
	}
out:
	r->top = saved;
	report_slowest_free(&s->slow);
	free(s->pids);
	free(s->errs);
	hmap_free(&s->pidix);
	hmap_free(&s->errix);
	free(s);
	return rc;
}
