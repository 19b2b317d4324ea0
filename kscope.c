/*
 * kscope.c - the one binary: dispatch to a subcommand.
 *
 *     kscope CMD [ARGS...]      run CMD
 *     kscope help CMD           same as kscope CMD --help
 *     kscope --help | --version
 */
#include "config.h"
#include "analyze/output/textesc.h"
#include "kscope.h"

#include <stdio.h>
#include <string.h>

static const struct kscope_cmd commands[] = {
	{ "info", cmd_info, "summarize a trace" },
	{ "query", cmd_query, "run SQL over one trace or several" },
	{ "record", cmd_record, "record kernel events into a trace" },
	{ "tui", cmd_tui, "browse a trace in the terminal" },
	{ "export", cmd_export, "write a trace as Perfetto JSON or CSV" },
	{ "replay", cmd_replay, "print a trace's events in time order" },
	{ "report", cmd_report, "print troubleshooting reports over a trace" },
	{ "verify", cmd_verify, "check every chunk of a trace" },
	{ "diff", cmd_diff, "show what changed between two traces" },
	{ "compact", cmd_compact, "make finished traces smaller" },
	{ NULL, NULL, NULL }, /* commands are added as their folders land */
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]) - 1)

static void usage(FILE *out)
{
	fprintf(out, "usage: kscope COMMAND [ARGS...]\n\n"
		     "Record what the Linux kernel saw, then analyze it offline.\n\n"
		     "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'kscope help COMMAND' or 'kscope COMMAND --help' for "
		     "a command's options;\n'man kscope' for the manual "
		     "(tables, columns, filters, reports).\n");
}

static const struct kscope_cmd *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct kscope_cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("kscope %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3 || !strcmp(argv[2], "--help") ||
		    !strcmp(argv[2], "-h")) {
			usage(stdout);
			return 0;
		}
		cmd = find(argv[2]);
		if (!cmd) {
			fprintf(stderr, "kscope: '%s' is not a kscope command; "
				"see 'kscope --help'\n", TEXTESC_Q(argv[2]));
			return 2;
		}
		char *hargv[] = { argv[2], "--help", NULL };
		return cmd->run(2, hargv);
	}
	cmd = find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "kscope: '%s' is not a kscope command; see "
				"'kscope --help'\n", TEXTESC_Q(argv[1]));
		return 2;
	}
	return cmd->run(argc - 1, argv + 1);
}
