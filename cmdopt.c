/*
 * cmdopt.c - getopt_long for the commands, with their usage errors in one
 * wording (see cmdopt.h).
 */
#include "config.h"
#include "analyze/output/textesc.h"
#include "cmdopt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int cmdopt_next(struct cmdopt *co)
{
	const char *opt;
	int c;

	if (!co->started) {
		/* ':' first: a missing value is ':', not '?'; '+' stays
		 * in front of it */
		int plus = co->shortopts[0] == '+';

		snprintf(co->opts, sizeof(co->opts), "%s:%s", plus ? "+" : "",
			 co->shortopts + plus);
		co->started = 1;
		opterr = 0;
		optind = 0; /* glibc: start again, for each command */
	}
	c = getopt_long(co->argc, co->argv, co->opts, co->longopts, NULL);
	co->ind = optind;
	if (c != ':' && c != '?')
		return c;
	/* the option as given: a short one may share its word with others */
	opt = co->argv[optind - 1];
	if (c == ':') {
		snprintf(co->err, sizeof(co->err), "%s needs a value; see "
			 "'kscope %s --help'", TEXTESC_Q(opt), co->cmd);
	} else if (optopt) {
		char o = (char)optopt;

		snprintf(co->err, sizeof(co->err), "unknown option '-%s'; see "
			 "'kscope %s --help'", TEXTESC_QN(&o, 1), co->cmd);
	} else {
		snprintf(co->err, sizeof(co->err), "unknown option '%s'; see "
			 "'kscope %s --help'", TEXTESC_Q(opt), co->cmd);
	}
	return c;
}

int cmdopt_exit(const struct cmdopt *co, int c)
{
	if (c == 'h' && co->usage) {
		co->usage(stdout);
		return 0;
	}
	return cmdopt_usage(co, "%s", co->err);
}

int cmdopt_usage(const struct cmdopt *co, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kscope: %s: ", co->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

int cmdopt_operands(const struct cmdopt *co, int max, const char *too_many)
{
	if (co->ind >= co->argc)
		return cmdopt_usage(co, "no trace file given; see 'kscope %s "
				    "--help'", co->cmd);
	if (max > 0 && co->argc - co->ind > max)
		return cmdopt_usage(co, "%s", too_many);
	return 0;
}

int cmdopt_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}
