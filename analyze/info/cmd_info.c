/*
 * cmd_info.c - `kscope info FILE [--format text|json]`.
 *
 *     kscope info t.kscope
 *     kscope info t.kscope --format json | jq .lost
 *
 * Prints what the trace holds: host, kernel, time span, events per kind,
 * lost events, size, bytes per event, compression (info.h).  Exit codes:
 * 0 success, 1 cannot open or read the trace, 2 bad usage.
 */
#include "config.h"
#include "kscope.h"
#include "analyze/output/textesc.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "analyze/info/info.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void info_usage(FILE *fp)
{
	fprintf(fp,
"usage: kscope info FILE [--format text|json]\n"
"\n"
"Summarize the trace FILE: recording host and kernel, time span (wall\n"
"clock), events per kind, lost events, file size, bytes per event,\n"
"compression, and what the recording cost.  Reads only the chunk index:\n"
"fast on any size of trace.\n"
"\n"
"  -F, --format FMT   text (the default) or json\n"
"  -h, --help         show this help\n");
}

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmdopt co = CMDOPT_INIT("info", argc, argv, "F:h", longopts,
				       info_usage);
	char err[STORE_ERRLEN];
	int json = 0, c, rc;
	struct store *st;
	struct info *in;

	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'F':
			if (!strcmp(optarg, "json")) {
				json = 1;
			} else if (!strcmp(optarg, "text")) {
				json = 0;
			} else {
				return cmdopt_usage(&co, "unknown format '%s' "
						    "(text or json)",
						    TEXTESC_Q(optarg));
			}
			break;
		case ':':
			return cmdopt_usage(&co, "--format needs a value (text "
					    "or json)");
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 1, "one trace file at a time")))
		return rc;

	st = analyze_trace_open(argv[co.ind], err);
	if (!st) {
		fprintf(stderr, "kscope: %s\n", err);
		return 1;
	}
	in = info_gather(st, err, sizeof(err));
	if (!in) {
		fprintf(stderr, "kscope: info: %s\n", err);
		store_close(st);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	rc = json ? info_json_print(in, stdout) : info_text_print(in, stdout);
	info_free(in);
	store_close(st);
	if (rc == -EPIPE)
		return 0;
	if (rc < 0) {
		fprintf(stderr, "kscope: info: write error: %s\n",
			strerror(-rc));
		return 1;
	}
	return 0;
}
