/*
 * synth_halfseen.c - the trace of synth_halfseen.h.
 */
#include "config.h"
#include "tests/synth_halfseen.h"

#include <stdio.h>

#include "tests/synth.h"

#define MS HS_MS
#define SEC HS_SEC
#define T0 HS_T0
enum { MAKE = HS_MAKE, CC1 = HS_CC1, AS = HS_AS, LD = HS_LD, SH = HS_SH,
       RCU = HS_RCU, SED = HS_SED };

/* the comms the switches carry: the untraced tasks' own, "x" for the
 * others (the traced tasks are named by the threads table) */
static const char *comm_of(uint32_t tid, uint64_t ms)
{
	(void)ms;
	return tid == RCU ? "rcu_preempt" : tid == SED ? "sed" : "x";
}

int synth_halfseen_write(const char *path, const char *options)
{
	static const struct synth_switch sw[] = {
		{ 2, 1, 0, 0, CC1 },
		{ 10, 0, 0, 0, MAKE },
		{ 10, 2, 0, 0, LD },
		{ 12, 1, CC1, 1, 0 },
		{ 30, 0, MAKE, 0, RCU },
		{ 30, 1, 0, 0, CC1 },
		{ 45, 1, CC1, 128, AS },
		{ 50, 0, RCU, 0, MAKE },
		{ 55, 0, MAKE, 1, SED },
		{ 60, 1, AS, 1, 0 },
		{ 65, 1, 0, 0, SH },
		{ 75, 1, SED, 0, AS },
		{ 78, 1, AS, 1, 0 },
		{ 80, 2, LD, 1, 0 },
		{ 90, 0, SED, 0, MAKE },
		{ 95, 0, MAKE, 1, 0 },
	};
	static const struct {
		uint32_t tid, pid;
		const char *comm;
		int64_t start_ms;	/* after T0 */
	} th[] = {
		{ MAKE, MAKE, "make", -1000 }, { CC1, CC1, "cc1", 1 },
		{ AS, AS, "as", 1 }, { LD, LD, "ld", 1 }, { SH, SH, "sh", 1 },
	};
	struct store_writer_opts wo = { .force = 1 };
	char err[STORE_ERRLEN];
	struct store_writer *w = store_writer_open(path, &wo, err);
	int rc = 0;

	if (!w)
		return -1;
	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]) && !rc; i++)
		rc = synth_switch_put(w, &sw[i], T0, MS, comm_of);
	struct ev_wakeup wk[] = {
		{ .ts = T0 + 5 * MS, .cpu = 2, .tid = LD, .target_cpu = 2 },
		{ .ts = T0 + 85 * MS, .cpu = 0, .tid = MAKE, .target_cpu = 0 },
	};
	for (size_t i = 0; i < 2 && !rc; i++)
		rc = store_writer_append(w, EV_WAKEUP, &wk[i]);
	for (size_t i = 0; i < sizeof(th) / sizeof(th[0]) && !rc; i++) {
		struct store_process p = {
			.pid = th[i].pid, .ppid = 1, .comm = th[i].comm,
			.start_ts = T0 + (uint64_t)(th[i].start_ms * (int64_t)MS),
		};
		rc = store_writer_process(w, &p);
		if (!rc)
			rc = store_writer_thread(w, th[i].tid, th[i].pid,
						 th[i].comm, p.start_ts);
	}
	if (!rc)
		rc = store_writer_process_exit(w, CC1, T0 + 40 * MS, 0, 0);
	if (!rc)
		rc = store_writer_process_exit(w, SH, T0 + 70 * MS, 0, 0);
	/* lost on cpu2, counted in the second that ends at T0 + 25 ms: a
	 * hole from a second before that second to its end */
	if (!rc)
		rc = store_writer_lost(w, T0 + 25 * MS - SEC, 2, "sched", 3);
	return synth_finish(w, rc, options, T0, T0 + 100 * MS);
}
