/*
 * redact-bench.c - what redaction costs the recorder's converter: the
 * same path-heavy ring records (openat of a long path, a read of the fd,
 * its close) converted into a trace (convert.c and the store writer, as
 * the recorder's main thread does) without redaction and with each kind
 * of it, interleaved, best of R runs; events per second of the process's
 * CPU time (wall time on a loaded machine says more about the load than
 * about the code) and the ratio to no redaction in the same run.
 *
 *     bench/redact-bench [-n EVENTS] [-r RUNS] [-o FILE]
 *
 * No root and no BPF: the records are built here, as the BPF side lays
 * them out (bpf/kscope_bpf.h).  The pid is above any pid_max, so the fd
 * table reads nothing from /proc.
 */
#include "config.h"
#include "record/record.h"
#include "record/redact.h"
#include "store/systab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PID 0x7ffffff0u

struct rec {
	size_t len;
	union {
		struct ks_syscall_ext x;
		char bytes[sizeof(struct ks_syscall_ext) + KS_PATH_MAX];
	} u;
};

/* CPU seconds of the process (all its threads). */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Record I of the workload: openat, read, close, one file each time. */
static void make_rec(struct rec *r, size_t i, int nr_open, int nr_read,
		     int nr_close)
{
	struct ks_syscall *s = &r->u.x.sc;
	int fd = 3 + (int)(i / 3 % 64);

	memset(r, 0, sizeof(*r));
	s->hdr.ts = 1000000 + i * 1000;
	s->hdr.tid = s->hdr.pid = PID;
	s->dur = 500;
	switch (i % 3) {
	case 0: {
		int n = snprintf(r->u.bytes + sizeof(r->u.x), KS_PATH_MAX,
				 "/home/alice/projects/kscope-%zu/src/module"
				 "-%zu/file-%zu.c", i % 7, i % 101, i);

		s->hdr.type = KS_REC_SYSCALL_EXT;
		s->hdr.nr = nr_open;
		s->args[0] = (uint64_t)-100; /* AT_FDCWD */
		s->ret = fd;
		r->u.x.path_len = (uint16_t)n;
		r->len = sizeof(r->u.x) + (size_t)n;
		return;
	}
	case 1:
		s->hdr.nr = nr_read;
		s->args[0] = (uint64_t)fd;
		s->ret = 4096;
		break;
	default:
		s->hdr.nr = nr_close;
		s->args[0] = (uint64_t)fd;
		break;
	}
	s->hdr.type = KS_REC_SYSCALL;
	r->len = sizeof(struct ks_syscall);
}

/* Convert the N records into a new trace FILE with RD; events/s. */
static double run(const char *file, const struct rec_plan *plan,
		  const struct rec *recs, size_t n, const struct redact *rd)
{
	struct store_writer_opts wo = { .force = 1 };
	char err[STORE_ERRLEN];
	struct store_writer *w = store_writer_open(file, &wo, err);
	struct rec_conv *c;
	double t0;

	if (!w || !(c = rec_conv_new(w, plan, 1))) {
		fprintf(stderr, "redact-bench: %s\n",
			w ? "out of memory" : err);
		exit(1);
	}
	rec_conv_redact(c, rd);
	t0 = now();
	for (size_t i = 0; i < n; i++)
		if (rec_conv_record(c, &recs[i].u, recs[i].len) < 0) {
			fprintf(stderr, "redact-bench: %s\n",
				store_writer_errmsg(w));
			exit(1);
		}
	rec_conv_free(c);
	if (store_writer_close(w, err) < 0) {
		fprintf(stderr, "redact-bench: %s\n", err);
		exit(1);
	}
	return (double)n / (now() - t0);
}

int main(int argc, char **argv)
{
	static const char *const pats[] = {
		"sk_live_[A-Za-z0-9]+", "password=[^ ]*", "[0-9]{16}",
	};
	struct {
		const char *name;
		unsigned what;
		size_t npats;
		struct redact *rd;
		double best;
	} cfg[] = {
		{ "off", 0, 0, NULL, 0 },
		{ "--redact paths,addrs", REDACT_PATHS | REDACT_ADDRS, 0,
		  NULL, 0 },
		{ "3 patterns", 0, 3, NULL, 0 },
		{ "--redact all + 3 patterns", REDACT_ALL, 3, NULL, 0 },
	};
	const size_t ncfg = sizeof(cfg) / sizeof(*cfg);
	const char *file = "/tmp/redact-bench.kscope";
	size_t n = 600000, runs = 5;
	struct rec_plan plan;
	struct rec *recs;
	char err[256];
	int opt;

	while ((opt = getopt(argc, argv, "n:r:o:")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'r': runs = strtoul(optarg, NULL, 0); break;
		case 'o': file = optarg; break;
		default:
			fprintf(stderr, "usage: redact-bench [-n EVENTS] "
				"[-r RUNS] [-o FILE]\n");
			return 2;
		}
	}
	if (rec_plan_init(&plan, "x86_64") < 0 ||
	    !(recs = calloc(n, sizeof(*recs)))) {
		fprintf(stderr, "redact-bench: cannot set up\n");
		return 1;
	}
	int nr_open = systab_nr("x86_64", "openat");
	int nr_read = systab_nr("x86_64", "read");
	int nr_close = systab_nr("x86_64", "close");

	for (size_t i = 0; i < n; i++)
		make_rec(&recs[i], i, nr_open, nr_read, nr_close);
	for (size_t k = 1; k < ncfg; k++)
		if (!(cfg[k].rd = redact_new(cfg[k].what, pats, cfg[k].npats,
					     err, sizeof(err)))) {
			fprintf(stderr, "redact-bench: %s\n", err);
			return 1;
		}
	for (size_t r = 0; r < runs; r++)
		for (size_t k = 0; k < ncfg; k++) {
			double v = run(file, &plan, recs, n, cfg[k].rd);

			if (v > cfg[k].best)
				cfg[k].best = v;
		}
	printf("converter, %zu path-heavy events (openat, read, close), "
	       "best of %zu\n", n, runs);
	for (size_t k = 0; k < ncfg; k++)
		printf("  %-28s %10.0f events/CPU-s  %5.2fx\n", cfg[k].name,
		       cfg[k].best, cfg[0].best / cfg[k].best);
	for (size_t k = 0; k < ncfg; k++)
		redact_free(cfg[k].rd);
	free(recs);
	unlink(file);
	return 0;
}
