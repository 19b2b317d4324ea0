/*
 * synth_reuse.c - the trace of synth_reuse.h.
 */
#include "config.h"
#include "tests/synth_reuse.h"

#include <stdio.h>

#include "tests/synth.h"

#define MS 1000000ull
#define T0 (3000 * 1000000000ull)
#define DEAD 128
enum { SERVER = RU_SERVER, REUSED = RU_REUSED, MAIN = RU_REUSED_MAIN,
       CLIENT = RU_CLIENT, ROWLESS = RU_ROWLESS };

/* the comm of TID MS ms after T0: a reused tid's changes with its life */
static const char *comm_of(uint32_t tid, uint64_t ms)
{
	switch (tid) {
	case SERVER:
		return "server";
	case CLIENT:
		return "client";
	case REUSED:
		return ms < 50 ? "server-worker" : "client-worker";
	case MAIN:
		return ms < 50 ? "server-worker" : "sh";
	case ROWLESS:
		return "poller";
	}
	return "swapper";
}

int synth_reuse_write(const char *path)
{
	static const struct synth_switch sw[] = {
		{ 0, 1, 0, 0, SERVER },
		{ 10, 0, 0, 0, REUSED },
		{ 12, 2, 0, 0, MAIN },
		{ 20, 0, REUSED, 1, 0 },
		{ 22, 2, MAIN, 1, 0 },
		{ 27, 2, 0, 0, MAIN },
		{ 30, 0, 0, 0, REUSED },
		{ 35, 2, MAIN, DEAD, 0 },
		{ 40, 0, REUSED, DEAD, 0 },
		{ 42, 0, 0, 0, ROWLESS },
		{ 49, 0, ROWLESS, DEAD, 0 },
		{ 50, 1, SERVER, 1, 0 },
		{ 60, 0, 0, 0, REUSED },
		{ 65, 0, REUSED, 0, CLIENT },
		{ 70, 2, 0, 0, MAIN },
		{ 75, 2, MAIN, 1, 0 },
		{ 80, 0, CLIENT, 1, REUSED },
		{ 85, 2, 0, 0, MAIN },
		{ 90, 1, 0, 0, SERVER },
		{ 95, 2, MAIN, DEAD, 0 },
		{ 100, 0, REUSED, DEAD, 0 },
		{ 100, 1, SERVER, DEAD, 0 },
		{ 105, 1, 0, 0, CLIENT },
		{ 108, 1, CLIENT, DEAD, 0 },
	};
	/* processes, then threads: the later lives' rows first */
	static const struct {
		uint32_t pid;
		int64_t start_ms, end_ms;	/* after T0 */
	} pr[] = {
		{ SERVER, -1000, 100 }, { CLIENT, 58, 108 }, { MAIN, 70, 95 },
	};
	static const struct {
		uint32_t tid, pid;
		int64_t start_ms;
	} th[] = {
		{ CLIENT, CLIENT, 58 }, { REUSED, CLIENT, 60 },
		{ MAIN, MAIN, 70 },
		{ SERVER, SERVER, -1000 }, { REUSED, SERVER, 5 },
		{ MAIN, SERVER, 6 },
	};
	struct store_writer_opts wo = { .force = 1 };
	char err[STORE_ERRLEN];
	struct store_writer *w = store_writer_open(path, &wo, err);
	int rc = 0;

	if (!w) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]) && !rc; i++)
		rc = synth_switch_put(w, &sw[i], T0, MS, comm_of);
	for (size_t i = 0; i < sizeof(pr) / sizeof(pr[0]) && !rc; i++) {
		struct store_process p = {
			.pid = pr[i].pid, .ppid = 1,
			.comm = comm_of(pr[i].pid, (uint64_t)pr[i].end_ms),
			.start_ts = T0 + (uint64_t)(pr[i].start_ms *
						    (int64_t)MS),
		};
		rc = store_writer_process(w, &p);
		if (!rc)
			rc = store_writer_process_exit(w, pr[i].pid, T0 +
						       (uint64_t)pr[i].end_ms *
						       MS, 0, 0);
	}
	for (size_t i = 0; i < sizeof(th) / sizeof(th[0]) && !rc; i++) {
		uint64_t start = T0 + (uint64_t)(th[i].start_ms * (int64_t)MS);

		rc = store_writer_thread(w, th[i].tid, th[i].pid,
					 comm_of(th[i].tid,
						 th[i].pid == SERVER ? 0 : 100),
					 start);
	}
	/* the thread with no row calls getpid() as a thread of the server */
	struct ev_syscall call = {
		.ts = T0 + 45 * MS, .dur = MS, .pid = SERVER, .tid = ROWLESS,
		.comm = comm_of(ROWLESS, 45), .nr = 39, .ret = SERVER,
		.fd = -1,
	};
	if (!rc)
		rc = store_writer_append(w, EV_SYSCALL, &call);
	if (!rc)
		rc = store_writer_meta(w, "arch", "x86_64");
	return synth_finish(w, rc, "kscope record -a", T0, T0 + 110 * MS);
}
