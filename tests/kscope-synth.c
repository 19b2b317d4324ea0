/*
 * kscope-synth - write a deterministic synthetic trace (tests/synth.h).
 *
 *     kscope-synth -o t.kscope -n 10000000                 10M syscalls + the rest
 *     kscope-synth -o t.kscope -n 1000 --seed 7 --kinds syscall,net
 *     kscope-synth -o t.kscope --planted sleeper           synth_sleeper.h
 *     kscope-synth -o t.kscope --planted halfseen          synth_halfseen.h
 *     kscope-synth -o t.kscope --planted reuse             synth_reuse.h
 *     kscope-synth -o t.kscope --planted why               synth_why.h
 *     kscope-synth -o t.kscope --planted causes            synth_causes.h
 *     kscope-synth --tables        each event kind's number and table, as
 *                                  KIND:TABLE lines (for the shell tests)
 *
 * -n counts syscall events; scheduler, process and network events come in
 * proportion.  --kinds takes event classes (syscall, sched, proc, net) or
 * table names (sched_switch, ...).  Same arguments, same file contents.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/synth.h"
#include "tests/synth_halfseen.h"
#include "tests/synth_reuse.h"
#include "tests/synth_sleeper.h"
#include "tests/synth_why.h"
#include "tests/synth_causes.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: kscope-synth -o FILE [-n SYSCALLS] [--seed S] "
		   "[--kinds LIST]\n"
		   "                    [--cpus N] [--procs N] [--rate PER_SEC] "
		   "[--chunk EVENTS]\n"
		   "  LIST: comma-separated syscall,sched,proc,net or "
		   "table names (default all)\n"
		   "       kscope-synth --tables\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	double mult = 1;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	if (*end == 'k' || *end == 'K')
		mult = 1e3, end++;
	else if (*end == 'M')
		mult = 1e6, end++;
	else if (*end == 'G')
		mult = 1e9, end++;
	if (*end)
		return -1;
	*out = (uint64_t)(v * mult);
	return 0;
}

static int parse_kinds(const char *list, unsigned *mask)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	*mask = 0;
	for (char *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const struct ev_desc *d = ev_desc_by_table(tok);
		unsigned c = 0;

		while (ev_class_name(c) && strcmp(tok, ev_class_name(c)))
			c++;
		if (d)
			*mask |= 1u << d->kind;
		else if (ev_class_name(c))
			*mask |= ev_class_kinds(c);
		else if (strcmp(tok, "all") == 0)
			*mask |= EV_KIND_ALL;
		else
			return -1;
	}
	return *mask ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "syscalls", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "kinds", required_argument, NULL, 'k' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "procs", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "chunk", required_argument, NULL, 'C' },
		{ "planted", required_argument, NULL, 'P' },
		{ "tables", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct synth_opts o = SYNTH_OPTS_INIT;
	struct store_writer_opts wo = { .force = 1 };
	struct synth_info info;
	char err[STORE_ERRLEN] = "";
	const char *out = NULL, *planted = NULL;
	uint64_t v;
	int c;

	o.writer = &wo;
	o.info = &info;
	o.errbuf = err;
	while ((c = getopt_long(argc, argv, "o:n:s:k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
		case 's':
		case 'c':
		case 'p':
		case 'r':
		case 'C':
			if (parse_u64(optarg, &v) < 0) {
				fprintf(stderr, "kscope-synth: bad number "
					"'%s'\n", optarg);
				return 2;
			}
			if (c == 'n')
				o.syscalls = v;
			else if (c == 's')
				o.seed = v;
			else if (c == 'c')
				o.cpus = (unsigned)v;
			else if (c == 'p')
				o.procs = (unsigned)v;
			else if (c == 'r')
				o.rate = (double)v;
			else
				wo.chunk_events = (uint32_t)v;
			break;
		case 'k':
			if (parse_kinds(optarg, &o.kinds) < 0) {
				fprintf(stderr, "kscope-synth: bad --kinds "
					"'%s'\n", optarg);
				return 2;
			}
			break;
		case 'P':
			planted = optarg;
			break;
		case 'T':
			for (unsigned k = 0; k < EV_KIND_COUNT; k++)
				printf("%u:%s\n", k, ev_desc(k)->table);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!out || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (planted) {
		int prc = !strcmp(planted, "sleeper") ?
				  synth_sleeper_write(out) :
			  !strcmp(planted, "halfseen") ?
				  synth_halfseen_write(out, "kscope record -o t "
						       "-- make") :
			  !strcmp(planted, "reuse") ?
				  synth_reuse_write(out) :
			  !strcmp(planted, "why") ?
				  synth_why_write(out) :
			  !strcmp(planted, "causes") ?
				  synth_causes_write(out) : -2;
		if (prc == -2)
			fprintf(stderr, "kscope-synth: unknown planted trace "
				"'%s' (sleeper, halfseen, reuse, why, "
				"causes)\n",
				planted);
		return prc == 0 ? 0 : prc == -2 ? 2 : 1;
	}
	int rc = synth_write(out, &o);
	if (rc < 0) {
		fprintf(stderr, "kscope-synth: %s\n",
			err[0] ? err : strerror(-rc));
		return 1;
	}
	struct stat st;
	uint64_t total = 0;
	for (int k = 0; k < EV_KIND_COUNT; k++)
		total += info.events[k];
	printf("%s: %llu events (", out, (unsigned long long)total);
	for (int k = 0; k < EV_KIND_COUNT; k++)
		printf("%s%s %llu", k ? ", " : "", ev_desc(k)->table,
		       (unsigned long long)info.events[k]);
	printf("), %u processes, %u threads, %u cpus, %.3f s",
	       info.processes, info.threads, info.cpus,
	       total ? (info.ts_last - info.ts_first) / 1e9 : 0.0);
	if (stat(out, &st) == 0)
		printf(", %lld bytes", (long long)st.st_size);
	printf("\n");
	return 0;
}
