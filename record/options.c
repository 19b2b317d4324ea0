/*
 * options.c - the command line of `kscope record`, parsed into struct
 * rec_opts (record.h).  No printing: errors come back as -EINVAL with a
 * one-line message for cmd_record to print.
 *
 *     struct rec_opts o;
 *     rc = rec_opts_parse(argc, argv, &o, err, sizeof(err));
 *     ...                                  // REC_OPTS_HELP, 0 or -EINVAL
 *     rec_opts_free(&o);
 */
#include "config.h"
#include "record/record.h"
#include "record/redact.h"
#include "cmdopt.h"
#include "analyze/output/textesc.h"
#include "bpf/filter.h"
#include "store/systab.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "10", "1.5s", "500ms", "200us", "2m", "1h" -> seconds; -1 when
 * malformed. */
double rec_parse_duration(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || !(v >= 0) || isinf(v))
		return -1;
	if (!*end || !strcmp(end, "s"))
		return v;
	if (!strcmp(end, "ms"))
		return v / 1000;
	if (!strcmp(end, "us"))
		return v / 1e6;
	if (!strcmp(end, "ns"))
		return v / 1e9;
	if (!strcmp(end, "m") || !strcmp(end, "min"))
		return v * 60;
	if (!strcmp(end, "h"))
		return v * 3600;
	return -1;
}

/* "4096", "64K", "16M", "1G" (powers of 1024, optional "B"/"iB") -> bytes;
 * 0 when malformed. */
uint64_t rec_parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1;

	if (end == s || !(v > 0))
		return 0;
	switch (*end) {
	case 'k': case 'K': mul = 1024.0; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	case 't': case 'T': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
	}
	if (!strcmp(end, "iB") || !strcmp(end, "B"))
		end += strlen(end);
	if (*end || v * mul > 1e18)
		return 0;
	return (uint64_t)(v * mul);
}

int rec_parse_classes(const char *s, unsigned *out)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned c;

		if (!strcmp(tok, "all")) {
			*out |= REC_CLASS_ALL;
			continue;
		}
		for (c = 0; c < KS_CLASS_COUNT; c++)
			if (!strcmp(tok, ev_class_name(c)))
				break;
		if (c == KS_CLASS_COUNT)
			return -1;
		*out |= REC_CLASS_BIT(c);
	}
	return *out ? 0 : -1;
}

static int parse_pids(const char *s, struct rec_opts *o)
{
	const char *p = s;

	while (*p) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		uint32_t *np;

		if (end == p || v == 0 || v > 0x7fffffff || (*end && *end != ','))
			return -1;
		np = realloc(o->pids, (o->npids + 1) * sizeof(*np));
		if (!np)
			return -1;
		o->pids = np;
		o->pids[o->npids++] = (uint32_t)v;
		p = *end ? end + 1 : end;
	}
	return o->npids ? 0 : -1;
}

int rec_opts_parse(int argc, char **argv, struct rec_opts *o, char *err,
		   size_t errlen)
{
	enum { OPT_CGROUP = 256, OPT_MAX_SIZE, OPT_RING, OPT_BUFFER,
	       OPT_NO_STACKS, OPT_NO_COMPACT,
	       /* redact */
	       OPT_REDACT, OPT_REDACT_PATTERN,
	       /* trig */
	       OPT_SNAPSHOT, OPT_TRIGGER, OPT_TRIGGER_AFTER,
	       /* filt */
	       OPT_SYSCALLS, OPT_SLOWER_THAN, OPT_ERRORS_ONLY, OPT_NO_ERRORS,
	       OPT_COMM,
	       /* budget */
	       OPT_BUDGET,
	       /* snap */
	       OPT_SNAPLEN };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "events", required_argument, NULL, 'e' },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "ring", no_argument, NULL, OPT_RING },
		{ "buffer-size", required_argument, NULL, OPT_BUFFER },
		{ "no-stacks", no_argument, NULL, OPT_NO_STACKS },
		{ "no-compact", no_argument, NULL, OPT_NO_COMPACT },
		/* redact */
		{ "redact", required_argument, NULL, OPT_REDACT },
		{ "redact-pattern", required_argument, NULL,
		  OPT_REDACT_PATTERN },
		/* trig */
		{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
		{ "trigger", required_argument, NULL, OPT_TRIGGER },
		{ "trigger-after", required_argument, NULL, OPT_TRIGGER_AFTER },
		/* filt */
		{ "syscalls", required_argument, NULL, OPT_SYSCALLS },
		{ "slower-than", required_argument, NULL, OPT_SLOWER_THAN },
		{ "errors-only", no_argument, NULL, OPT_ERRORS_ONLY },
		{ "no-errors", no_argument, NULL, OPT_NO_ERRORS },
		{ "comm", required_argument, NULL, OPT_COMM },
		/* budget */
		{ "budget", required_argument, NULL, OPT_BUDGET },
		/* snap */
		{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
		{ "quiet", no_argument, NULL, 'q' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* '+': the options end at CMD, whose own options follow */
	struct cmdopt co = CMDOPT_INIT("record", argc, argv, "+o:d:p:ae:qfh",
				       longopts, NULL);
	int c, after_given = 0;

	memset(o, 0, sizeof(*o));
	o->trigger_after = REC_DEFAULT_TRIGGER_AFTER;
	o->out = REC_DEFAULT_FILE;
	o->classes = REC_CLASS_ALL;
	o->ring_bytes = REC_DEFAULT_RING;
	o->stacks = 1;
	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'd':
			if ((o->duration = rec_parse_duration(optarg)) <= 0) {
				snprintf(err, errlen, "bad duration '%s' "
					"(try 10s, 500ms, 2m)",
					TEXTESC_Q(optarg));
				return -EINVAL;
			}
			break;
		case 'p':
			if (parse_pids(optarg, o) < 0) {
				snprintf(err, errlen, "bad pid list '%s'",
					TEXTESC_Q(optarg));
				return -EINVAL;
			}
			break;
		case 'a':
			o->all = 1;
			break;
		case 'e':
			if (rec_parse_classes(optarg, &o->classes) < 0) {
				snprintf(err, errlen, "bad event classes "
					"'%s' (pick from syscall,sched,proc,net,block)",
					TEXTESC_Q(optarg));
				return -EINVAL;
			}
			break;
		case OPT_CGROUP:
			o->cgroup = optarg;
			break;
		case OPT_MAX_SIZE:
			if (!(o->max_size = rec_parse_size(optarg))) {
				snprintf(err, errlen, "bad size '%s'",
					TEXTESC_Q(optarg));
				return -EINVAL;
			}
			break;
		case OPT_RING:
			o->ring = 1;
			break;
		case OPT_BUFFER:
			if (!(o->ring_bytes = rec_parse_size(optarg)) ||
			    o->ring_bytes > (1ull << 30)) {
				snprintf(err, errlen, "bad buffer size "
					"'%s' (64K to 1G)", TEXTESC_Q(optarg));
				return -EINVAL;
			}
			break;
		case OPT_NO_STACKS:
			o->stacks = 0;
			break;
		case OPT_NO_COMPACT:
			o->no_compact = 1;
			break;
		/* redact */
		case OPT_REDACT:
			if (redact_parse_what(optarg, &o->redact) < 0) {
				snprintf(err, errlen, "bad --redact list '%s' "
					"(pick from argv,env,paths,addrs,"
					"payload,all)", TEXTESC_Q(optarg));
				return -EINVAL;
			}
			break;
		case OPT_REDACT_PATTERN: {
			const char **np = realloc(o->redact_pats,
				(o->nredact_pats + 1) * sizeof(*np));

			if (!np) {
				snprintf(err, errlen, "out of memory");
				return -EINVAL;
			}
			o->redact_pats = np;
			o->redact_pats[o->nredact_pats++] = optarg;
			break;
		}
		/* trig */
		case OPT_SNAPSHOT: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (end == optarg || *end || !v || v > 0x7fffffff) {
				snprintf(err, errlen, "bad pid '%s'",
					 TEXTESC_Q(optarg));
				return -EINVAL;
			}
			o->snapshot_pid = (uint32_t)v;
			break;
		}
		case OPT_TRIGGER:
			o->trigger = optarg;
			break;
		case OPT_TRIGGER_AFTER:
			if ((o->trigger_after = rec_parse_duration(optarg)) < 0) {
				snprintf(err, errlen, "bad duration '%s' "
					"(try 1s, 500ms, 0)", TEXTESC_Q(optarg));
				return -EINVAL;
			}
			after_given = 1;
			break;
		/* filt */
		case OPT_SYSCALLS:
			if (rec_filter_syscalls(&o->filter, optarg,
						systab_host_arch(), err,
						errlen) < 0)
				return -EINVAL;
			break;
		case OPT_SLOWER_THAN: {
			double d = rec_parse_duration(optarg);

			if (!(d > 0) || d > 1e9) {
				snprintf(err, errlen, "bad duration '%s' "
					"(try 10ms, 1.5s, 200us)",
					TEXTESC_Q(optarg));
				return -EINVAL;
			}
			o->filter.slower_ns = (uint64_t)(d * 1e9 + 0.5);
			break;
		}
		case OPT_ERRORS_ONLY:
		case OPT_NO_ERRORS:
			if (o->filter.errors) {
				snprintf(err, errlen, "give --errors-only or "
					 "--no-errors, not both");
				return -EINVAL;
			}
			o->filter.errors = c == OPT_ERRORS_ONLY ?
				KS_ERRORS_ONLY : KS_ERRORS_NONE;
			break;
		case OPT_COMM:
			if (rec_filter_comm_add(&o->filter, optarg) < 0) {
				snprintf(err, errlen, "bad --comm '%s' (a "
					 "name of one line, %d names at most)",
					 TEXTESC_Q(optarg), KS_COMM_NAMES);
				return -EINVAL;
			}
			break;
		/* budget */
		case OPT_BUDGET:
			if (rec_budget_parse(optarg, &o->budget) < 0) {
				snprintf(err, errlen, "bad budget '%s' (try "
					 "cpu=5,rate=2M/s)", TEXTESC_Q(optarg));
				return -EINVAL;
			}
			o->has_budget = 1;
			break;
		/* snap */
		case OPT_SNAPLEN: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (end == optarg || *end || optarg[0] == '-' ||
			    v > KS_SNAP_MAX) {
				snprintf(err, errlen, "bad snaplen '%s' (0 to "
					 "%u bytes)", TEXTESC_Q(optarg),
					 KS_SNAP_MAX);
				return -EINVAL;
			}
			o->snaplen = (uint32_t)v;
			break;
		}
		case 'q':
			o->quiet = 1;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'h':
			return REC_OPTS_HELP;
		default:
			snprintf(err, errlen, "%s", co.err);
			return -EINVAL;
		}
	}
	if (co.ind < argc)
		o->cmd = argv + co.ind;
	if (o->cmd && o->npids) {
		snprintf(err, errlen, "give -p or a command, not both");
		return -EINVAL;
	}
	if (o->all && o->npids) {
		snprintf(err, errlen, "give -p or -a, not both");
		return -EINVAL;
	}
	if (o->snapshot_pid && (argc > 3 || o->cmd)) {
		snprintf(err, errlen, "--snapshot PID takes no other options");
		return -EINVAL;
	}
	if (after_given && !o->trigger) {
		snprintf(err, errlen, "--trigger-after needs --trigger");
		return -EINVAL;
	}
	if (o->filter.errors == KS_ERRORS_NONE && !o->filter.slower_ns) {
		snprintf(err, errlen, "--no-errors needs --slower-than (failed "
			 "calls are kept for failing only with it)");
		return -EINVAL;
	}
	if (o->ring && !o->max_size) {
		snprintf(err, errlen, "--ring needs --max-size");
		return -EINVAL;
	}
	/* The ring buffer is a power of two of pages. */
	uint64_t r = 64 * 1024;

	while (r < o->ring_bytes)
		r <<= 1;
	o->ring_bytes = r;
	return 0;
}

void rec_opts_free(struct rec_opts *o)
{
	rec_filter_free(&o->filter);
	free(o->pids);
	o->pids = NULL;
	o->npids = 0;
	free(o->redact_pats);
	o->redact_pats = NULL;
	o->nredact_pats = 0;
}
