/*
 * report.c - the report dispatcher: the table of reports and the run.
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
 *
 * What the reports share lives beside this file, one purpose each:
 * frame.c (the header and the notes around the tables), tables.c (tables,
 * histograms, notes, SQL over the window), cells.c (formatted cells),
 * scan.c (scans with progress, --comm, threads and process names) and
 * strtab.c (growing arrays, interned strings).  Each report_NAME.c holds
 * reports; report_int.h is the interface between them.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/output/textesc.h"
#include "analyze/timearg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct report_desc report_descs[] = {
	{ "summary", "span, host, events, losses, busiest processes, worst "
		     "latencies, errors: where to look next",
	  report_summary_run, NULL },
	{ "syscalls", "per syscall: calls, errors, total time, p50/p90/p99/"
		      "max; histograms for NAMEs", report_syscalls_run,
	  report_syscalls_merge },
	{ "slow", "the slowest calls with process, thread, path/fd/address",
	  report_slow_run, report_slow_merge },
	{ "errors", "failed calls by syscall, errno and process, with example "
		    "paths", report_errors_run, report_errors_merge },
	{ "procs", "process tree: exec argv, start, end, exit code or signal, "
		   "lifetime", report_procs_run, NULL },
	{ "cpu", "on-CPU time per process and thread; CPU utilization over "
		 "time", report_cpu_run, NULL },
	{ "runqlat", "run queue latency histogram; threads that waited "
		     "longest", report_runqlat_run, report_runqlat_merge },
	{ "offcpu", "off-CPU time per thread by state, and the syscall it "
		    "blocked in", report_offcpu_run, NULL },
	{ "net", "TCP connections: endpoints, process, lifetime, connect "
		 "latency, bytes, retransmits, resets", report_net_run,
	  report_net_merge },
	{ "files", "most opened paths, failed opens, file activity per "
		   "process", report_files_run, report_files_merge },
	{ "io", "block I/O per device and submitting process: requests, "
		"bytes, latency p50/p99/max, errors", report_io_run, NULL },
	{ "why", "a thread's time: running, waiting for a CPU, blocked by "
		 "cause; who woke its longest waits", report_why_run, NULL },
	{ NULL, NULL, NULL, NULL },
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

void report_free(struct report *r)
{
	if (r->out)
		output_close(r->out);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	for (size_t i = 0; i < r->nlost; i++)
		free(r->lost[i].class);
	free(r->lost);
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
				 "this trace's architecture",
				 TEXTESC_Q(o->names[i]));
			return -EINVAL;
		}
	}
	return 0;
}

int report_flush(struct report *r, int rc)
{
	if (fflush(r->fp) != 0 || ferror(r->fp)) {
		int e = errno ? errno : EIO;
		if (rc == 0 || rc != -e)
			rc = report_fail(r, -e, "write error: %s",
					 strerror(e));
	}
	return rc;
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
	if ((rc = report_lost_gather(&r)) < 0)
		goto out;
	errno = 0;
	if ((rc = report_header_print(&r)) < 0)
		goto out;
	rc = d->run(&r);
	if (rc == 0)
		rc = report_notes_print(&r);
	rc = report_flush(&r, rc);
out:
	report_free(&r);
	return rc;
}
