/*
 * cmd_info.c - `kscope info FILE [FILE...] [--format text|json]`.
 *
 *     kscope info t.kscope
 *     kscope info t.kscope --format json | jq .lost
 *     kscope info a.kscope b.kscope --format json | jq '.[].host'
 *
 * Prints what the trace holds: host, kernel, time span, events per kind,
 * lost events, size, bytes per event, compression (info.h).  With several
 * traces, each one's summary in turn: in text under a line "==> FILE
 * (host HOST) <==" with an empty line between; in JSON one array of
 * {"trace": FILE, "host": HOST, "info": {...}}.  One trace prints as it
 * always did.  Every trace is opened before anything is printed.  Exit
 * codes: 0 success, 1 cannot open or read a trace, 2 bad usage.
 */
#include "config.h"
#include "kscope.h"
#include "analyze/output/textesc.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "analyze/info/info.h"
#include "analyze/output/output.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void info_usage(FILE *fp)
{
	fprintf(fp,
"usage: kscope info FILE [FILE...] [--format text|json]\n"
"\n"
"Summarize the trace FILE: recording host and kernel, time span (wall\n"
"clock), events per kind, lost events, file size, bytes per event,\n"
"compression, and what the recording cost.  Reads only the chunk index:\n"
"fast on any size of trace.  With several traces, each one in turn under\n"
"a line '==> FILE (host HOST) <=='; in JSON an array of objects\n"
"{\"trace\", \"host\", \"info\"}.\n"
"\n"
"  -F, --format FMT   text (the default) or json\n"
"  -h, --help         show this help\n");
}

/* One trace's summary, headed when it is one of several (the file
 * comment).  0 or a negative errno from writing. */
static int info_one(const struct info *in, const char *path, int json,
		    int multi, int first, FILE *fp)
{
	const char *host = in->host;
	int rc;

	if (!multi)
		return json ? info_json_print(in, fp) : info_text_print(in, fp);
	if (json) {
		fputs(first ? "[\n{\"trace\":" : ",\n{\"trace\":", fp);
		output_json_string(fp, path, strlen(path));
		fputs(",\"host\":", fp);
		if (host)
			output_json_string(fp, host, strlen(host));
		else
			fputs("null", fp);
		fputs(",\"info\":", fp);
		if ((rc = info_json_print(in, fp)) < 0)
			return rc;
		fputs("}", fp);
		return ferror(fp) ? -EIO : 0;
	}
	fprintf(fp, "%s==> %s (host %s) <==\n", first ? "" : "\n",
		TEXTESC_Q(path), host ? TEXTESC_Q(host) : "unknown");
	return info_text_print(in, fp);
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
	int json = 0, c, rc, n = 0, ret = 1;
	struct store **sts = NULL;
	struct info **ins = NULL;

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
	if ((rc = cmdopt_operands(&co, 0, NULL)))
		return rc;
	n = argc - co.ind;
	sts = calloc((size_t)n, sizeof(*sts));
	ins = calloc((size_t)n, sizeof(*ins));
	if (!sts || !ins) {
		fprintf(stderr, "kscope: info: out of memory\n");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		sts[i] = analyze_trace_open(argv[co.ind + i], err);
		if (!sts[i]) {
			fprintf(stderr, "kscope: %s\n", err);
			goto out;
		}
		ins[i] = info_gather(sts[i], err, sizeof(err));
		if (!ins[i]) {
			fprintf(stderr, "kscope: info: %s\n", err);
			goto out;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = info_one(ins[i], argv[co.ind + i], json, n > 1, i == 0,
			      stdout);
	errno = 0;
	if (rc == 0 && json && n > 1 && (fputs("\n]\n", stdout) == EOF ||
					 fflush(stdout) == EOF))
		rc = errno ? -errno : -EIO;
	ret = 0;
	if (rc < 0 && rc != -EPIPE) {
		fprintf(stderr, "kscope: info: write error: %s\n",
			strerror(-rc));
		ret = 1;
	}
out:
	for (int i = 0; i < n && sts; i++) {
		if (ins)
			info_free(ins[i]);
		store_close(sts[i]);
	}
	free(ins);
	free(sts);
	return ret;
}
