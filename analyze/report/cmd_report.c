/*
 * cmd_report.c - `kscope report FILE [NAME...] [options]`.
 *
 *     kscope report t.kscope                        the summary
 *     kscope report t.kscope slow errors --top 20
 *     kscope report t.kscope syscalls read fsync    with histograms
 *     kscope report t.kscope cpu --pid 1234 --from +10s --to +20s
 *     kscope report t.kscope net --format json | jq .tables.connections
 *     kscope report a.kscope b.kscope errors          each trace in turn
 *     kscope report a.kscope b.kscope --merge         syscalls, errors of both
 *
 * The first operand and those after it that open as traces are the traces
 * (traceargs.h); then NAMEs: reports (report.h lists them); after
 * `syscalls`, names that are not reports are syscalls to draw a latency
 * histogram for (as --syscall).  A name that looks like a file (an
 * existing one, a '/' or ".kscope") is a trace that did not open: its
 * one-line error.  With several traces, each trace's reports in turn, or
 * with --merge each report over all of them (report_run_merged).
 * Exit codes: 0 success (also when the reader of our output went away),
 * 1 cannot open or read the trace, 2 bad usage.  A progress line goes to
 * standard error while a report scans, only when it is a terminal.
 */
#include "config.h"
#include "analyze/output/textesc.h"
#include "analyze/empty.h"
#include "kscope.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "analyze/report/report.h"
#include "analyze/timearg.h"
#include "analyze/traceargs.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "  NAME      SUMMARY", the summary wrapped at spaces under 80 columns
 * and indented under its first line. */
static void summary_print(FILE *fp, const char *name, const char *summary)
{
	const int indent = 12, width = 78;
	const char *p = summary;
	int col = fprintf(fp, "  %-9s ", name);

	while (*p) {
		size_t w = strcspn(p, " ");

		if (p != summary && col + 1 + (int)w > width) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		} else if (p != summary) {
			fputc(' ', fp);
			col++;
		}
		col += fprintf(fp, "%.*s", (int)w, p);
		p += w;
		p += strspn(p, " ");
	}
	fputc('\n', fp);
}

static void report_usage(FILE *fp)
{
	char names[256];

	report_names_list(names, sizeof(names));
	fprintf(fp,
"usage: kscope report FILE [FILE...] [NAME...] [--merge] [options]\n"
"\n"
"Print ready-made reports over the trace FILE (default: summary).  With\n"
"several traces, each trace's reports in turn, headed by trace and host;\n"
"with --merge, one report over all of them as if they were one.\n"
"\n");
	for (const struct report_desc *d = report_descs; d->name; d++)
		summary_print(fp, d->name, d->summary);
	fprintf(fp,
"\n"
"  -p, --pid PID       only this process (procs: and its descendants)\n"
"  -c, --comm NAME     only threads or processes with this command name\n"
"      --tid TID       why: this thread (else those of --pid, --comm, or\n"
"                      the one that waited most)\n"
"      --from T        start of the window; --to T its end.  T is\n"
"      --to T          " TIMEARG_FORMS_1 "\n"
"                      " TIMEARG_FORMS_2 "\n"
"  -n, --top N         rows of each ranked table (default 10; summary 5)\n"
"  -s, --syscall NAME  syscalls: a latency histogram of NAME (repeatable;\n"
"                      also 'syscalls NAME...')\n"
"  -F, --format FMT    text (the default), csv or json\n"
"      --merge         several traces as one: counts, times, histograms\n"
"                      summed, syscalls by name, processes by host and\n"
"                      pid: syscalls, errors (the default), slow,\n"
"                      runqlat, files, net\n"
"  -h, --help          show this help\n"
"\n"
"Every report says how many events the trace lost in its window.  See\n"
"kscope(1), and docs/ANALYZE.md for how each figure is computed.\n");
}

/* Whether ARG, which names no report, is meant as a trace: an existing
 * file, or a name with a '/' or a ".kscope" ending (syscall names have
 * neither). */
static int looks_like_file(const char *arg)
{
	size_t n = strlen(arg);

	return !access(arg, F_OK) || strchr(arg, '/') ||
	       (n > 7 && !strcmp(arg + n - 7, ".kscope"));
}

/* Open trace T and resolve its window and O's checks against it; what
 * will leave the tables empty is said once, on stderr.  0, 1 (cannot
 * open) or 2 (bad usage). */
static int trace_prepare(struct report_trace *t, const struct report_opts *o,
			 const char *from, const char *to)
{
	char err[REPORT_ERRLEN], why[EMPTY_LEN], who[300] = "";
	struct store *st = t->st = analyze_trace_open(t->name, err);

	if (!st) {
		fprintf(stderr, "kscope: %s\n", err);
		return 1;
	}
	if (o->multi)
		snprintf(who, sizeof(who), "%s: ", TEXTESC_Q(t->name));
	if (timearg_window(st, from, to, &t->from, &t->to, err,
			   sizeof(err)) < 0 ||
	    report_opts_check(st, o, err, sizeof(err)) < 0) {
		fprintf(stderr, "kscope: report: %s%s\n", who, err);
		return 2;
	}
	t->has_from = from != NULL;
	t->has_to = to != NULL;
	/* a window with one bound outside the trace is report_run's error */
	if ((t->has_from && t->has_to &&
	     empty_window(st, t->from, t->to, why, sizeof(why))) ||
	    (o->pid >= 0 && empty_task(st, "pid", o->pid, why, sizeof(why))) ||
	    (o->tid >= 0 && empty_task(st, "tid", o->tid, why, sizeof(why))) ||
	    (o->comm && empty_comm(st, o->comm, why, sizeof(why))))
		fprintf(stderr, "kscope: report: %s%s\n", who, why);
	return 0;
}

/* Report D over trace J of T, or over all NT merged when J is SIZE_MAX.
 * 0, 1 (a trace could not be read), 2 (bad usage), or -EPIPE when the
 * reader of our output went away. */
static int report_one(const struct report_trace *t, size_t nt, size_t j,
		      const struct report_desc *d, const struct report_opts *o)
{
	char err[REPORT_ERRLEN];
	struct report_opts oj = *o;
	int e;

	if (j == SIZE_MAX) {
		e = report_run_merged(t, nt, d, o, stdout, err, sizeof(err));
	} else {
		oj.has_from = t[j].has_from;
		oj.has_to = t[j].has_to;
		oj.from = t[j].from;
		oj.to = t[j].to;
		e = report_run(t[j].st, d, &oj, stdout, err, sizeof(err));
	}
	if (e == -EPIPE)
		return e;
	if (e == -EINVAL) {
		fprintf(stderr, "kscope: report: %s\n", err);
		return 2;
	}
	if (e < 0) {
		fprintf(stderr, "kscope: report: %s: %s\n", d->name, err);
		return 1;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "tid", required_argument, NULL, 'T' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'n' },
		{ "syscall", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ "merge", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts o = REPORT_OPTS_INIT;
	const char *from = NULL, *to = NULL;
	const char **names = NULL;
	const struct report_desc **runs = NULL;
	size_t nnames = 0, nruns = 0;
	char err[REPORT_ERRLEN], list[256];
	struct store *st = NULL;
	struct report_trace *t = NULL;
	size_t nt = 0;
	int merge = 0;
	struct cmdopt co = CMDOPT_INIT("report", argc, argv, "p:c:n:s:F:h",
				       longopts, report_usage);
	uint64_t v;
	int c, rc = 2;

	names = calloc((size_t)argc + 1, sizeof(*names));
	runs = calloc((size_t)argc + 1, sizeof(*runs));
	if (!names || !runs) {
		fprintf(stderr, "kscope: report: out of memory\n");
		rc = 1;
		goto out;
	}
	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'p':
			if (cmdopt_uint(optarg, INT32_MAX, &v) < 0) {
				rc = cmdopt_usage(&co, "bad pid '%s'",
						  TEXTESC_Q(optarg));
				goto out;
			}
			o.pid = (int64_t)v;
			break;
		case 'c':
			o.comm = optarg;
			break;
		case 'T':
			if (cmdopt_uint(optarg, INT32_MAX, &v) < 0) {
				rc = cmdopt_usage(&co, "bad tid '%s'",
						  TEXTESC_Q(optarg));
				goto out;
			}
			o.tid = (int64_t)v;
			break;
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'n':
			if (cmdopt_uint(optarg, 1000000, &v) < 0 || v == 0) {
				rc = cmdopt_usage(&co, "bad --top '%s' (a "
						  "number from 1 to 1000000)",
						  TEXTESC_Q(optarg));
				goto out;
			}
			o.top = (unsigned)v;
			break;
		case 's':
			names[nnames++] = optarg;
			break;
		case 'M':
			merge = 1;
			break;
		case 'F':
			if (!strcmp(optarg, "text") || !strcmp(optarg, "table"))
				o.fmt = OUTPUT_FORMAT_TABLE;
			else if (output_format_parse(optarg, &o.fmt) < 0) {
				rc = cmdopt_usage(&co, "unknown format '%s' "
						  "(text, csv or json)",
						  TEXTESC_Q(optarg));
				goto out;
			}
			break;
		default:
			rc = cmdopt_exit(&co, c);
			goto out;
		}
	}
	if ((rc = cmdopt_operands(&co, 0, NULL)))
		goto out;
	rc = 2;
	/* the traces: the first operand, and those after it that open as
	 * traces (a report's name is never one) */
	t = calloc((size_t)argc, sizeof(*t));
	if (!t) {
		fprintf(stderr, "kscope: report: out of memory\n");
		rc = 1;
		goto out;
	}
	int i = co.ind;
	t[nt++].name = argv[i++];
	while (i < argc && !report_find(argv[i]) &&
	       traceargs_is_trace(argv[i]))
		t[nt++].name = argv[i++];
	for (int after_syscalls = 0; i < argc; i++) {
		const struct report_desc *d = report_find(argv[i]);

		if (d) {
			runs[nruns++] = d;
			after_syscalls = !strcmp(d->name, "syscalls");
		} else if (looks_like_file(argv[i])) {
			/* a trace that does not open: say why */
			if ((st = analyze_trace_open(argv[i], err)))
				snprintf(err, sizeof(err), "report: '%s' is a "
					 "trace: the traces come before the "
					 "report names", TEXTESC_Q(argv[i]));
			fprintf(stderr, "kscope: %s\n", err);
			rc = st ? 2 : 1;
			goto out;
		} else if (after_syscalls) {
			names[nnames++] = argv[i];
		} else {
			report_names_list(list, sizeof(list));
			fprintf(stderr, "kscope: report: no report called "
				"'%s'; the reports are: %s\n",
				TEXTESC_Q(argv[i]), list);
			goto out;
		}
	}
	if (nnames) {
		int has = 0;
		for (size_t k = 0; k < nruns; k++)
			has |= !strcmp(runs[k]->name, "syscalls");
		if (!has)
			runs[nruns++] = report_find("syscalls");
	}
	if (!nruns && merge) {	/* the reports that merge */
		runs[nruns++] = report_find("syscalls");
		runs[nruns++] = report_find("errors");
	} else if (!nruns) {
		runs[nruns++] = &report_descs[0];
	}
	o.names = names;
	o.nnames = nnames;
	o.progress = isatty(STDERR_FILENO);
	o.multi = nt > 1;

	for (size_t k = 0; k < nt; k++)
		if ((rc = trace_prepare(&t[k], &o, from, to)))
			goto out;
	signal(SIGPIPE, SIG_IGN);
	rc = 0;
	/* each trace's reports in turn, or each report over all merged */
	for (size_t j = 0; j < (merge ? 1 : nt) && rc == 0; j++) {
		for (size_t k = 0; k < nruns && rc == 0; k++) {
			if ((k || j) && o.fmt == OUTPUT_FORMAT_TABLE)
				fputs("\n", stdout);
			rc = report_one(t, nt, merge ? SIZE_MAX : j, runs[k],
					&o);
		}
	}
	if (rc == -EPIPE)
		rc = 0;
out:
	for (size_t k = 0; t && k < nt; k++)
		store_close(t[k].st);
	free(t);
	store_close(st);
	free(names);
	free(runs);
	return rc;
}
