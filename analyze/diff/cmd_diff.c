/*
 * cmd_diff.c - `kscope diff BEFORE AFTER [--format text|json|csv]`: what
 * changed between two traces, ranked by impact, each change tested
 * against the noise within the traces (docs/DIFF.md).
 *
 * Each trace is folded once (collect.h), the lines built and ranked
 * (rank.h) and printed (output.h).
 */
#include "config.h"
#include "kscope.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "analyze/diff/output.h"
#include "analyze/output/textesc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void diff_usage(FILE *fp)
{
	fprintf(fp,
"usage: kscope diff BEFORE AFTER [--format text|json|csv] [--top N]\n"
"\n"
"What changed between two traces, ranked by impact: per syscall name the\n"
"calls, errors, time and latency (p50/p90/p99, histograms side by side);\n"
"errors by syscall and errno; processes by command and executable, and\n"
"their exit codes; on-CPU time per command; off-CPU time per command and\n"
"cause; run-queue latency; TCP connections per peer.  Rates are per\n"
"second of each trace, so traces of different lengths compare.  Impact\n"
"is the change of time per second for time figures.  Each line says\n"
"whether its change is significant against the noise within the traces:\n"
"|z| >= 3.29, rates by a compound Poisson model, latencies by a\n"
"Mann-Whitney U test (docs/DIFF.md).\n"
"\n"
"  -F, --format FMT   text (the default), json or csv\n"
"  -n, --top N        lines of each text table (default %d); json and\n"
"                     csv print every line\n"
"  -h, --help         show this help\n", DIFF_TOP_DEFAULT);
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmdopt co = CMDOPT_INIT("diff", argc, argv, "F:n:h", longopts,
				       diff_usage);
	enum output_format fmt = OUTPUT_FORMAT_TABLE;
	unsigned top = DIFF_TOP_DEFAULT;
	struct store *st[2] = { NULL, NULL };
	struct diff d = { 0 };
	char err[DIFF_ERRLEN] = "";
	uint64_t v;
	int c, rc;

	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'F':
			if (output_format_parse(optarg, &fmt) < 0)
				return cmdopt_usage(&co, "unknown format '%s' "
						    "(text, json or csv)",
						    TEXTESC_Q(optarg));
			break;
		case 'n':
			if (cmdopt_uint(optarg, 1000000, &v) < 0 || v == 0)
				return cmdopt_usage(&co, "bad --top '%s' (a "
						    "number from 1)",
						    TEXTESC_Q(optarg));
			top = (unsigned)v;
			break;
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 2, "two trace files: BEFORE AFTER")))
		return rc;
	if (co.ind + 2 != argc)
		return cmdopt_usage(&co, "two trace files needed: BEFORE "
				    "AFTER");
	for (int i = 0; i < 2; i++) {
		char oerr[STORE_ERRLEN];

		if (!(st[i] = analyze_trace_open(argv[co.ind + i], oerr))) {
			fprintf(stderr, "kscope: %s\n", oerr);
			rc = 1;
			goto out;
		}
	}
	for (int i = 0; i < 2; i++)
		if (diff_collect(st[i], argv[co.ind + i], &d.side[i],
				 err) < 0) {
			fprintf(stderr, "kscope: diff: %s\n", err);
			rc = 1;
			goto out;
		}
	if (diff_rank(&d) < 0) {
		fprintf(stderr, "kscope: diff: out of memory\n");
		rc = 1;
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	rc = diff_print(&d, fmt, top, stdout, err);
	if (rc < 0 && rc != -EPIPE) {
		fprintf(stderr, "kscope: diff: %s\n", err);
		rc = 1;
	} else {
		rc = 0;
	}
out:
	diff_free(&d);
	store_close(st[0]);
	store_close(st[1]);
	return rc;
}
