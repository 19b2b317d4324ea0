/*
 * selfcost.c - what recording costs the host, measured as it goes: the
 * recorder's own CPU (getrusage: user and system, which includes draining
 * the ring, converting, compressing and writing) and the run time of its
 * BPF programs in the kernel, charged to whatever task they ran in.  The
 * latter is known only while the kernel's run-time statistics are on
 * (rec_session_stats_on or sysctl kernel.bpf_stats_enabled=1).
 *
 * Used at the end of a recording (meta recorder_*), and by anything that
 * watches the cost while recording.
 */
#include "config.h"
#include "record/record.h"

#include <errno.h>
#include <sys/resource.h>

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

int rec_cost_read(struct rec_session *s, struct rec_cost *c)
{
	struct rec_prog_stats st;
	struct rusage ru;
	int rc;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return -errno;
	c->user_ns = tv_ns(&ru.ru_utime);
	c->sys_ns = tv_ns(&ru.ru_stime);
	if ((rc = rec_session_prog_stats(s, &st)) < 0)
		return rc;
	c->bpf_ns = st.run_ns;
	c->bpf_runs = st.runs;
	c->bpf_known = st.runs > 0;
	return 0;
}

double rec_cost_pct(const struct rec_cost *a, const struct rec_cost *b,
		    uint64_t wall_ns)
{
	uint64_t ua = a->user_ns + a->sys_ns + a->bpf_ns,
		 ub = b->user_ns + b->sys_ns + b->bpf_ns;

	if (!wall_ns || ub < ua)
		return 0;
	return 100.0 * (double)(ub - ua) / (double)wall_ns;
}
