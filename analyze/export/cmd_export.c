/*
 * cmd_export.c - `kscope export FILE [FILE...] [FILTER] --format
 * perfetto|csv|clickhouse [-o OUT [-f]] [--from T] [--to T]`.
 *
 *     kscope export t.kscope --format perfetto -o t.json   # ui.perfetto.dev
 *     kscope export t.kscope -F perfetto 'comm = nginx' | gzip > t.json.gz
 *     kscope export t.kscope --format csv -o t-csv/         # one file a table
 *     kscope export a.kscope b.kscope -F csv -o ab/   # trace, host columns
 *     kscope export t.kscope --format clickhouse -o t-ch/   # docs/FLEET.md
 *
 * The first operand and those after it that open as traces are the
 * traces (traceargs.h); what follows is the filter.  Several traces make
 * one export (export_csv_multi, export_perfetto_multi); ClickHouse takes
 * one trace per directory (its load.sh appends to the same tables).
 *
 * Perfetto JSON goes to OUT (a new file, 0600) or to standard output;
 * CSV and ClickHouse need -o DIR (a new directory, 0700, of 0600 files;
 * ClickHouse's trace column is FILE's base name).  Both appear
 * whole, and an existing OUT is refused unless -f, which replaces a
 * regular file (perfetto) or an earlier export's directory (csv) and never
 * writes through a link (outfile.h).  FILTER and the window apply to the
 * events as in replay.  Exit codes: 0 done (also when the reader of standard output went
 * away), 1 cannot open / corrupt data / cannot write, 2 bad usage.
 */
#include "config.h"
#include "kscope.h"
#include "analyze/empty.h"
#include "analyze/output/textesc.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "analyze/export/export.h"
#include "analyze/replay/filter.h"
#include "analyze/output/outfile.h"
#include "analyze/output/progress.h"
#include "analyze/timearg.h"
#include "analyze/traceargs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void export_usage(FILE *fp)
{
	fprintf(fp,
"usage: kscope export FILE [FILE...] [FILTER]\n"
"                     --format perfetto|csv|clickhouse\n"
"                     [-o OUT [-f]] [--from T] [--to T]\n"
"\n"
"Write trace FILE in a format other tools read.  Several traces go into\n"
"one export: csv files get 'trace' and 'host' columns first, each\n"
"table's rows trace after trace; perfetto puts each trace in its own\n"
"process group (pids + 16777216 x its position), aligned by wall clock;\n"
"clickhouse takes one trace (export each, load them into the same tables).\n"
"\n"
"  -F, --format perfetto  Chrome/Perfetto trace-event JSON: open it in\n"
"                         ui.perfetto.dev or chrome://tracing.  One track\n"
"                         per thread with syscalls as slices, per-CPU tracks\n"
"                         of who ran, instants for fork/exec/exit and TCP.\n"
"                         To OUT, or standard output without -o.\n"
"  -F, --format csv       one CSV file per table (syscalls.csv, ...,\n"
"                         processes.csv, meta.csv) in the directory OUT\n"
"  -F, --format clickhouse  for ClickHouse (18.16 and later): in the\n"
"                         directory OUT, TABLE.sql (CREATE TABLE, MergeTree\n"
"                         ORDER BY host, ts) and TABLE.tsv\n"
"                         (TabSeparatedWithNames) for every table, with\n"
"                         host (meta host) and trace (FILE's base name)\n"
"                         columns, and load.sh: sh OUT/load.sh [--host H\n"
"                         --database D ...] runs clickhouse-client.  See\n"
"                         docs/FLEET.md\n"
"  -o, --output OUT       the file (perfetto) or directory (csv, clickhouse)\n"
"                         to create (0600 files; an existing OUT is\n"
"                         refused)\n"
"  -f, --force            replace OUT: a regular file, or a directory of an\n"
"                         earlier csv or clickhouse export (never a link\n"
"                         or a device)\n"
"      --from T           start of the window; --to T its end.  T is\n"
"      --to T             " TIMEARG_FORMS_1 "\n"
"                         " TIMEARG_FORMS_2 "\n"
"  -h, --help             show this help\n"
"\n"
"FILTER selects events as in 'kscope replay' (see kscope replay --help).\n");
}

enum { OPT_FROM = 256 };

/* Whether ARG, taken where a filter goes, names a trace file instead: an
 * existing file, or a word ending in ".kscope". */
static int named_trace(const char *arg)
{
	size_t n = strlen(arg);

	return !access(arg, F_OK) || (n > 7 && !strcmp(arg + n - 7, ".kscope")
				      && !strpbrk(arg, " =<>!'\""));
}

/* Write the N traces T (export.h): one trace as CSV files or Perfetto
 * JSON, several as one CSV directory with trace and host columns or one
 * Perfetto JSON.  A progress line on a terminal for one trace.  The exit
 * code, or -1 when the reader of standard output went away (exit 0, say
 * nothing more). */
static int export_write(const struct export_trace *t, size_t n,
			const char *format, const char *outpath,
			struct export_opts *o)
{
	char err[STORE_ERRLEN];
	struct outfile of;
	FILE *out = stdout;
	uint64_t first, last;
	int rc;

	o->from = t[0].from;
	o->to = t[0].to;
	if (!strcmp(format, "csv")) {
		o->progress = progress_new("export", 0, EV_KIND_COUNT + 4, -1);
		rc = n > 1 ? export_csv_multi(t, n, o, outpath, err,
					      sizeof(err)) :
			     export_csv(t[0].st, o, outpath, err, sizeof(err));
	} else if (!strcmp(format, "clickhouse")) {
		const char *base = strrchr(t[0].name, '/');
		struct store_kind_stats ks;
		uint64_t total = 0;

		for (unsigned k = 0; k < EV_KIND_COUNT; k++)
			if (store_kind_stats(t[0].st, k, &ks) == 0)
				total += ks.events;
		o->progress = progress_new("export", 0, total, -1);
		rc = export_clickhouse(t[0].st, o, outpath,
				       base ? base + 1 : t[0].name, err,
				       sizeof(err));
	} else {
		if (outpath && strcmp(outpath, "-")) {
			if (outfile_create(&of, outpath, 0, o->force, err,
					   sizeof(err)) < 0) {
				fprintf(stderr, "kscope: export: %s\n", err);
				return 1;
			}
			if (!(out = fdopen(of.fd, "w"))) {
				fprintf(stderr, "kscope: export: out of "
					"memory\n");
				close(of.fd);
				outfile_abort(&of);
				return 1;
			}
		}
		if (timearg_span(t[0].st, &first, &last) < 0)
			first = last = 0;
		if (n == 1)
			o->progress = progress_new("export", o->from > first ?
						   o->from : first, o->to <
						   last ? o->to : last,
						   fileno(out));
		rc = export_perfetto_multi(t, n, o, out, err, sizeof(err));
		if (out != stdout && fclose(out) == EOF && rc == 0) {
			rc = -errno;
			snprintf(err, sizeof(err), "cannot write: %s",
				 strerror(errno));
		}
		if (out != stdout && rc < 0)
			outfile_abort(&of);
		else if (out != stdout)
			rc = outfile_commit(&of, err, sizeof(err));
	}
	progress_free(o->progress);
	if (rc == -EPIPE && !outpath)
		return -1;
	if (rc < 0) {
		fprintf(stderr, "kscope: export: %s\n", err);
		return 1;
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outpath = NULL, *format = NULL, *ftext = NULL;
	const char *from_arg = NULL, *to_arg = NULL;
	char serr[STORE_ERRLEN], ferr[FILTER_ERRLEN];
	char why[EMPTY_LEN];
	uint64_t events = 0;
	struct export_opts o = { .from = 0, .to = UINT64_MAX,
				 .events = &events };
	int outside = 0;
	struct filter *flt = NULL;
	struct store *st = NULL;
	struct export_trace *t = NULL;
	size_t nt = 0;
	struct cmdopt co = CMDOPT_INIT("export", argc, argv, "F:o:fh", longopts,
				       export_usage);
	int c, rc, ret = 1;

	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'F':
			format = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'f':
			o.force = 1;
			break;
		case OPT_FROM:
			from_arg = optarg;
			break;
		case 't':
			to_arg = optarg;
			break;
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 0, NULL)))
		return rc;
	/* the traces: the first operand and those after it that open as
	 * traces; then the filter, if any */
	t = calloc((size_t)argc, sizeof(*t));
	if (!t) {
		fprintf(stderr, "kscope: export: out of memory\n");
		return 1;
	}
	int i = co.ind;
	t[nt++].name = argv[i++];
	while (i < argc && traceargs_is_trace(argv[i]))
		t[nt++].name = argv[i++];
	ftext = i < argc ? argv[i++] : NULL;
	if (ftext && (i < argc || named_trace(ftext))) {
		/* a file that is not a trace, or one too many arguments */
		const char *bad = named_trace(ftext) ? ftext : argv[i];

		if (named_trace(bad)) {
			if ((st = analyze_trace_open(bad, serr)))
				snprintf(serr, sizeof(serr), "export: '%s' "
					 "is a trace: the traces come before "
					 "the filter", TEXTESC_Q(bad));
			fprintf(stderr, "kscope: %s\n", serr);
			ret = st ? 2 : 1;
			goto out;
		}
		ret = cmdopt_usage(&co, "too many arguments (quote the filter "
				   "as one argument)");
		goto out;
	}
	if (!format) {
		ret = cmdopt_usage(&co, "which format? give --format "
				   "perfetto, csv or clickhouse");
		goto out;
	}
	if (strcmp(format, "perfetto") && strcmp(format, "csv") &&
	    strcmp(format, "clickhouse")) {
		ret = cmdopt_usage(&co, "unknown format '%s' (perfetto, csv "
				   "or clickhouse)", TEXTESC_Q(format));
		goto out;
	}
	if (strcmp(format, "perfetto") && !outpath) {
		ret = cmdopt_usage(&co, "%s writes %s per table: give the "
				   "directory with -o DIR", format,
				   strcmp(format, "csv") ? "files" :
				   "one file");
		goto out;
	}
	if (!strcmp(format, "clickhouse") && nt > 1) {
		ret = cmdopt_usage(&co, "clickhouse takes one trace per "
				   "directory: export each trace and load "
				   "them all (docs/FLEET.md)");
		goto out;
	}
	flt = filter_parse(ftext, ferr, sizeof(ferr));
	if (!flt) {
		ret = cmdopt_usage(&co, "%s", ferr);
		goto out;
	}
	o.filter = flt;
	for (size_t k = 0; k < nt; k++) {
		t[k].to = UINT64_MAX;	/* no --to: the trace's end */
		if (!(t[k].st = analyze_trace_open(t[k].name, serr))) {
			fprintf(stderr, "kscope: %s\n", serr);
			goto out;
		}
		if (timearg_window(t[k].st, from_arg, to_arg, &t[k].from,
				   &t[k].to, serr, sizeof(serr)) < 0) {
			ret = cmdopt_usage(&co, "%s%s%s", nt > 1 ?
					   TEXTESC_Q(t[k].name) : "", nt > 1 ?
					   ": " : "", serr);
			goto out;
		}
	}
	if (nt == 1 && (outside = empty_window(t[0].st, t[0].from, t[0].to,
					       why, sizeof(why))))
		fprintf(stderr, "kscope: export: %s\n", why);
	signal(SIGPIPE, SIG_IGN);
	if ((ret = export_write(t, nt, format, outpath, &o))) {
		ret = ret < 0 ? 0 : ret;
		goto out;
	}
	if (nt == 1 && !events && !outside) {
		empty_match(t[0].st, ftext, t[0].from, t[0].to, why,
			    sizeof(why));
		fprintf(stderr, "kscope: export: %s\n", why);
	}
out:
	for (size_t k = 0; t && k < nt; k++)
		store_close(t[k].st);
	store_close(st);
	free(t);
	filter_free(flt);
	return ret;
}
