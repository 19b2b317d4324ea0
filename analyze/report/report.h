/*
 * report.h - ready-made troubleshooting reports over a trace
 * (`kscope report FILE [NAME...]`).
 *
 *     struct report_opts o = REPORT_OPTS_INIT;     // whole trace, top 10
 *     o.fmt = OUTPUT_FORMAT_JSON;
 *     const struct report_desc *d = report_find("slow");
 *     rc = report_run(st, d, &o, stdout, err, sizeof(err));
 *     rc = report_run_merged(traces, n, d, &o, stdout, err, errlen);
 *
 * Each report is one entry of a table (report_descs, in report.c) that
 * names it and points at its run function in its own module
 * (report_summary.c, report_syscalls.c, ...).  A report prints tables
 * through analyze/output/output.h, so --format text|csv|json works the same for
 * all, with a header saying which window and filters it covers and how
 * many events the trace lost in that window (docs/ANALYZE.md).
 *
 * report_run returns 0, -EPIPE when the reader of FP went away, or another
 * negative errno with one line in ERR (a corrupt chunk's message names the
 * chunk).  Nothing here prints to stderr except the progress line, and
 * only when opts.progress is set.
 */
#ifndef KSCOPE_REPORT_H
#define KSCOPE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/output/output.h"
#include "store/store.h"

#define REPORT_ERRLEN 512
#define REPORT_TOP_DEFAULT 10

struct report_opts {
	/* window, boot-clock ns, inclusive; has_* 0: the trace's edge */
	int has_from, has_to;
	uint64_t from, to;
	int64_t pid;            /* -1: every process */
	int64_t tid;            /* why: this thread; -1: --pid/--comm's */
	const char *comm;       /* NULL: every command */
	unsigned top;           /* rows of "top" tables; 0 = 10 */
	/* names given after the report names that are not reports (the
	 * syscalls report draws a histogram for each), and --syscall */
	const char *const *names;
	size_t nnames;
	enum output_format fmt; /* TABLE is the text format */
	int progress;           /* progress line on stderr */
	int multi;              /* one of several traces: headers name the
				 * host too */
};

#define REPORT_OPTS_INIT { .pid = -1, .tid = -1 }

struct report;

struct report_desc {
	const char *name;
	const char *summary;
	int (*run)(struct report *r);
	/* the report over several traces as one (report_run_merged); NULL
	 * when it cannot be merged honestly: the report then says so */
	int (*merge)(struct report *r);
};

/* The reports, NULL-terminated, summary first. */
extern const struct report_desc report_descs[];

/* The report called NAME, or NULL. */
const struct report_desc *report_find(const char *name);
/* "summary, syscalls, slow, ..." into BUF. */
void report_names_list(char *buf, size_t size);

/* Check O against the trace before any output: every name in o->names is
 * a syscall of the trace's architecture.  0, or -EINVAL with ERR. */
int report_opts_check(struct store *st, const struct report_opts *o,
		      char *err, size_t errlen);

int report_run(struct store *st, const struct report_desc *d,
	       const struct report_opts *o, FILE *fp, char *err,
	       size_t errlen);

/* One trace of a merged report: the open trace, its name as given on the
 * command line, and its window (boot-clock ns of that trace, inclusive;
 * has_* as in report_opts). */
struct report_trace {
	struct store *st;
	const char *name;
	int has_from, has_to;
	uint64_t from, to;
};

/* Report D over the N traces T as if they were one (`report --merge`,
 * report_merge.c): counts, times and histograms summed, syscalls by name,
 * processes keyed by (host, pid); a header listing every trace with its
 * window and lost events.  O's window fields are ignored (T has them).
 * Same returns as report_run. */
int report_run_merged(const struct report_trace *t, size_t n,
		      const struct report_desc *d, const struct report_opts *o,
		      FILE *fp, char *err, size_t errlen);

#endif
