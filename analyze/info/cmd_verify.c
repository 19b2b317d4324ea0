/*
 * cmd_verify.c - `kscope verify FILE`: check every chunk of a trace.
 *
 *     kscope verify t.kscope && scp t.kscope laptop:
 *
 * Opens the trace (which checks its chunk index: store_open), then
 * decodes every column of every chunk and compares each chunk with its
 * index row (store_verify_each).  Prints a summary on standard output;
 * each problem is one line on standard error, at most VERIFY_MAX_LINES of
 * them, then how many more.  Exit codes: 0 every chunk is good, 1 a
 * problem (or the file does not open), 2 bad usage.
 */
#include "config.h"
#include "kscope.h"
#include "analyze/output/plural.h"
#include "cmdopt.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define VERIFY_MAX_LINES 20

static void verify_usage(FILE *fp)
{
	fprintf(fp,
"usage: kscope verify FILE\n"
"\n"
"Check every chunk of the trace FILE: its index row, its checksums and\n"
"sizes, every column decoded, its event count and ts order against the\n"
"index.  Prints a summary; each problem found is one line on standard\n"
"error naming the chunk (at most %d, then how many more).  Exit status\n"
"0 when every chunk is good, 1 when not.  Reads the whole file.\n"
"\n"
"  -h, --help         show this help\n", VERIFY_MAX_LINES);
}

struct verify_out {
	uint64_t lines;
};

static int report(const char *problem, void *arg)
{
	struct verify_out *o = arg;

	if (o->lines++ < VERIFY_MAX_LINES)
		fprintf(stderr, "kscope: verify: %s\n", problem);
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmdopt co = CMDOPT_INIT("verify", argc, argv, "h", longopts,
				       verify_usage);
	struct store_verify_sum sum;
	struct verify_out o = { 0 };
	char err[STORE_ERRLEN];
	struct store *st;
	int c, rc;

	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 1, "one trace file at a time")))
		return rc;
	st = store_open(argv[co.ind], err);
	if (!st) {
		fprintf(stderr, "kscope: verify: %s\n", err);
		return 1;
	}
	rc = store_verify_each(st, report, &o, &sum);
	if (rc < 0) {
		fprintf(stderr, "kscope: verify: %s\n", store_errmsg(st));
		store_close(st);
		return 1;
	}
	if (o.lines > VERIFY_MAX_LINES)
		fprintf(stderr, "kscope: verify: ... and %llu more %s\n",
			(unsigned long long)(o.lines - VERIFY_MAX_LINES),
			plural(o.lines - VERIFY_MAX_LINES, "problem",
			       "problems"));
	printf("%s: %llu %s, %llu %s", argv[co.ind],
	       (unsigned long long)sum.chunks,
	       plural(sum.chunks, "chunk", "chunks"),
	       (unsigned long long)sum.events,
	       plural(sum.events, "event", "events"));
	if (sum.skipped)
		printf(", %llu %s of kinds this kscope does not know "
		       "(skipped)", (unsigned long long)sum.skipped,
		       plural(sum.skipped, "chunk", "chunks"));
	if (sum.bad)
		printf(": %llu bad %s\n", (unsigned long long)sum.bad,
		       plural(sum.bad, "chunk", "chunks"));
	else
		printf(": ok\n");
	store_close(st);
	return sum.bad ? 1 : 0;
}
