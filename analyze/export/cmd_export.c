/*
 * cmd_export.c - `kscope export FILE [FILTER] --format
 * perfetto|csv|clickhouse [-o OUT [-f]] [--from T] [--to T]`.
 *
 *     kscope export t.kscope --format perfetto -o t.json   # ui.perfetto.dev
 *     kscope export t.kscope -F perfetto 'comm = nginx' | gzip > t.json.gz
 *     kscope export t.kscope --format csv -o t-csv/         # one file a table
 *     kscope export t.kscope --format clickhouse -o t-ch/   # docs/FLEET.md
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
"usage: kscope export FILE [FILTER] --format perfetto|csv|clickhouse\n"
"                     [-o OUT [-f]] [--from T] [--to T]\n"
"\n"
"Write trace FILE in a format other tools read.\n"
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
	const char *path, *outpath = NULL, *format = NULL, *ftext = NULL;
	const char *from_arg = NULL, *to_arg = NULL;
	char serr[STORE_ERRLEN], ferr[FILTER_ERRLEN], err[STORE_ERRLEN];
	char why[EMPTY_LEN];
	uint64_t events = 0;
	struct export_opts o = { .from = 0, .to = UINT64_MAX,
				 .events = &events };
	int outside;
	struct filter *flt = NULL;
	struct store *st = NULL;
	struct outfile of;
	FILE *out = NULL;
	uint64_t first, last;
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
	if ((rc = cmdopt_operands(&co, 2, "too many arguments (quote the "
				  "filter as one argument)")))
		return rc;
	path = argv[co.ind];
	ftext = co.ind + 1 < argc ? argv[co.ind + 1] : NULL;
	if (!format)
		return cmdopt_usage(&co, "which format? give --format perfetto, "
				    "csv or clickhouse");
	if (strcmp(format, "perfetto") && strcmp(format, "csv") &&
	    strcmp(format, "clickhouse"))
		return cmdopt_usage(&co, "unknown format '%s' (perfetto, csv "
				    "or clickhouse)", TEXTESC_Q(format));
	if (strcmp(format, "perfetto") && !outpath)
		return cmdopt_usage(&co, "%s writes %s per table: give the "
				    "directory with -o DIR", format,
				    strcmp(format, "csv") ? "files" :
				    "one file");
	flt = filter_parse(ftext, ferr, sizeof(ferr));
	if (!flt)
		return cmdopt_usage(&co, "%s", ferr);
	o.filter = flt;
	st = analyze_trace_open(path, serr);
	if (!st) {
		fprintf(stderr, "kscope: %s\n", serr);
		goto out;
	}
	if (timearg_window(st, from_arg, to_arg, &o.from, &o.to, serr,
			   sizeof(serr)) < 0) {
		ret = cmdopt_usage(&co, "%s", serr);
		goto out;
	}
	if (timearg_span(st, &first, &last) < 0)
		first = last = 0;
	if ((outside = empty_window(st, o.from, o.to, why, sizeof(why))))
		fprintf(stderr, "kscope: export: %s\n", why);

	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(format, "csv")) {
		o.progress = progress_new("export", 0, EV_KIND_COUNT + 4, -1);
		rc = export_csv(st, &o, outpath, err, sizeof(err));
	} else if (!strcmp(format, "clickhouse")) {
		const char *base = strrchr(path, '/');
		struct store_kind_stats ks;
		uint64_t total = 0;

		for (unsigned k = 0; k < EV_KIND_COUNT; k++)
			if (store_kind_stats(st, k, &ks) == 0)
				total += ks.events;
		o.progress = progress_new("export", 0, total, -1);
		rc = export_clickhouse(st, &o, outpath, base ? base + 1 : path,
				       err, sizeof(err));
	} else {
		if (outpath && strcmp(outpath, "-")) {
			if (outfile_create(&of, outpath, 0, o.force, err,
					   sizeof(err)) < 0) {
				fprintf(stderr, "kscope: export: %s\n", err);
				goto out;
			}
			if (!(out = fdopen(of.fd, "w"))) {
				fprintf(stderr, "kscope: export: out of "
					"memory\n");
				close(of.fd);
				outfile_abort(&of);
				goto out;
			}
		}
		o.progress = progress_new("export", o.from > first ? o.from :
					  first, o.to < last ? o.to : last,
					  fileno(out ? out : stdout));
		rc = export_perfetto(st, &o, out ? out : stdout, err,
				     sizeof(err));
		if (out && fclose(out) == EOF && rc == 0) {
			rc = -errno;
			snprintf(err, sizeof(err), "cannot write: %s",
				 strerror(errno));
		}
		if (out && rc < 0)
			outfile_abort(&of);
		else if (out)
			rc = outfile_commit(&of, err, sizeof(err));
		out = NULL;
	}
	progress_free(o.progress);
	if (rc < 0 && !(rc == -EPIPE && !outpath)) {
		fprintf(stderr, "kscope: export: %s\n", err);
		goto out;
	}
	if (rc == 0 && !events && !outside) {
		empty_match(st, ftext, o.from, o.to, why, sizeof(why));
		fprintf(stderr, "kscope: export: %s\n", why);
	}
	ret = 0;
out:
	store_close(st);
	filter_free(flt);
	return ret;
}
