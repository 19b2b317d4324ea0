/*
 * synth_sleeper.c - the trace of synth_sleeper.h.
 */
#include "config.h"
#include "tests/synth_sleeper.h"

#include <stdio.h>

#include "tests/synth.h"

#define MS 1000000ull
#define T0 (2000 * 1000000000ull)
#define DEAD 128

/* the comm of TID (at any time) */
static const char *comm_of(uint32_t tid, uint64_t us)
{
	(void)us;
	return tid == SL_SLEEPER ? "sleeper" : tid == SL_PREEMPTED ?
	       "preempted" : tid == SL_HOG ? "hog" : tid ? "worker" :
	       "swapper/0";
}

/* a switch at S->at us after T0 */
static int sw_put(struct store_writer *w, const struct synth_switch *s)
{
	return synth_switch_put(w, s, T0, 1000, comm_of);
}

int synth_sleeper_write(const char *path)
{
	static const struct synth_switch cpu0[] = {
		{ 100000, 0, 0, 0, SL_SLEEPER },
		{ 110000, 0, SL_SLEEPER, 1, 0 },
		{ 200000, 0, 0, 0, SL_PREEMPTED },
		{ 300000, 0, SL_PREEMPTED, 0, SL_HOG },
		{ 305000, 0, SL_HOG, 1, SL_PREEMPTED },
		{ 400000, 0, SL_PREEMPTED, DEAD, 0 },
		{ 1900000, 0, 0, 0, SL_SLEEPER },
		{ 1910000, 0, SL_SLEEPER, DEAD, 0 },
	};
	struct store_writer_opts wo = { .force = 1, .chunk_events = 256 };
	char err[STORE_ERRLEN];
	struct store_writer *w = store_writer_open(path, &wo, err);
	uint32_t cur[4] = { 0, 0, 0, 0 };
	size_t k = 0;
	int rc = 0;

	if (!w) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	/* time order: the workers every 100 us, cpu0's planted switches
	 * where they fall */
	for (uint64_t us = 0; us <= 2000000 && !rc; us += 100) {
		while (k < sizeof(cpu0) / sizeof(cpu0[0]) && cpu0[k].at <= us &&
		       !rc)
			rc = sw_put(w, &cpu0[k++]);
		for (uint32_t c = 1; c < 4 && !rc; c++) {
			uint32_t next = SL_WORKER + (uint32_t)((us / 100 + c) %
							       6);
			struct synth_switch s = { us + c, c, cur[c],
						  (us / 100) % 2 ? 1 : 0,
						  next };
			if (next == cur[c] || next == cur[1] ||
			    next == cur[2] || next == cur[3])
				continue;	/* running elsewhere */
			rc = sw_put(w, &s);
			cur[c] = next;
		}
	}
	for (uint32_t t = 0; t < 9 && !rc; t++) {
		uint32_t tid = t < 6 ? SL_WORKER + t : t == 6 ? SL_SLEEPER :
			       t == 7 ? SL_PREEMPTED : SL_HOG;
		struct store_process p = {
			.pid = tid, .ppid = 1, .comm = comm_of(tid, 0),
			.start_ts = T0 - 1000 * MS,
		};
		rc = store_writer_process(w, &p);
		if (!rc)
			rc = store_writer_thread(w, tid, tid, comm_of(tid, 0),
						 p.start_ts);
	}
	return synth_finish(w, rc, "kscope record -a", T0, T0 + 2000 * MS);
}
