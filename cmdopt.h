/*
 * cmdopt.h - the command line of a kscope command: getopt_long, and the
 * usage errors every command words the same way.
 *
 *     static const struct option longopts[] = {
 *             { "format", required_argument, NULL, 'F' },
 *             { "help", no_argument, NULL, 'h' },
 *             { NULL, 0, NULL, 0 },
 *     };
 *     struct cmdopt co = CMDOPT_INIT("info", argc, argv, "F:h", longopts,
 *                                    info_usage);
 *
 *     while ((c = cmdopt_next(&co)) != -1) {
 *             switch (c) {
 *             case 'F':
 *                     if (bad)
 *                             return cmdopt_usage(&co, "unknown format "
 *                                                 "'%s'", optarg);  // 2
 *                     break;
 *             default:                  // -h: the usage, 0; else ERR, 2
 *                     return cmdopt_exit(&co, c);
 *             }
 *     }
 *     if ((rc = cmdopt_operands(&co, 1, "one trace file at a time")))
 *             return rc;
 *     path = argv[co.ind];
 *
 * cmdopt_next is getopt_long (options may stand before or after the
 * operands, unless SHORTOPTS starts with '+'), restarted for each
 * command, that never prints: it returns ':' for an option missing its
 * value ("--format needs a value; see 'kscope info --help'" in ERR) and
 * '?' for an unknown one ("unknown option '--bogus'; see 'kscope info
 * --help'").  cmdopt_usage prints "kscope: CMD: MESSAGE" on stderr and
 * returns 2, the exit code of bad usage (kscope.h).
 */
#ifndef KSCOPE_CMDOPT_H
#define KSCOPE_CMDOPT_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

struct cmdopt {
	const char *cmd;	/* "info": messages read "kscope: info: ..." */
	int argc;
	char **argv;
	const char *shortopts;	/* as getopt's, without the leading ':' */
	const struct option *longopts;
	void (*usage)(FILE *fp); /* the --help text */
	int ind;		/* after the options: the first operand */
	int started;
	char opts[64];		/* SHORTOPTS with ':' put in front */
	char err[160];		/* why cmdopt_next returned ':' or '?' */
};

#define CMDOPT_INIT(cmd, argc, argv, shortopts, longopts, usage) \
	{ (cmd), (argc), (argv), (shortopts), (longopts), (usage), 0, 0, \
	  "", "" }

/* The next option as getopt_long returns it (optarg set), -1 after the
 * last (then IND indexes the first operand), ':' or '?' with ERR set. */
int cmdopt_next(struct cmdopt *co);

/* What the command exits with when cmdopt_next returned C and the
 * command has nothing of its own to do with it: for 'h' the usage on
 * stdout, 0; else (':', '?') ERR on stderr as cmdopt_usage prints it, 2. */
int cmdopt_exit(const struct cmdopt *co, int c);

/* "kscope: CMD: " and the message on stderr; returns 2. */
int cmdopt_usage(const struct cmdopt *co, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The operands after the options: the trace file, then at most MAX - 1
 * more (MAX 0: any number).  0, or 2 after printing "no trace file given;
 * see 'kscope CMD --help'" or TOO_MANY. */
int cmdopt_operands(const struct cmdopt *co, int max, const char *too_many);

/* S as a decimal number from 0 to MAX (no sign, no other character):
 * 0 and *OUT, or -1. */
int cmdopt_uint(const char *s, uint64_t max, uint64_t *out);

#endif
