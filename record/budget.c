/*
 * budget.c - `kscope record --budget cpu=PCT,rate=SIZE/s`: keep the
 * recorder's cost under a budget by shedding detail, never whole classes
 * of events, and account for every call it sheds.
 *
 *     struct rec_budget b;
 *     rec_budget_parse("cpu=5,rate=2M/s", &b);
 *     rec_budget_nr(&plan, arch, so.budget_nr);   // before the load
 *     struct rec_shed *sh = rec_shed_new(session, &b, arch);
 *     every REC_SHED_TICK_NS:  rec_shed_tick(sh, now_mono, bytes_drained);
 *     every second:            rec_shed_rows(sh, writer, now_boot);
 *     rec_shed_free(sh);
 *
 * Measured (rec_shed_tick): the recorder's CPU, user + system (getrusage)
 * plus its BPF programs' run time (the kernel's run-time statistics, on
 * for the recording when cpu= is given), in percent of one CPU; and the
 * bytes drained from the ring buffer per second (the records as the
 * kernel wrote them, before conversion and compression).  The controller
 * (shedctl.c) turns those into a step, which goes to the kernel side
 * (bpf/budget.bpf.h) as shed.level and shed.shift.
 *
 * Accounted (rec_shed_rows): the kernel counts, per CPU, syscall and
 * rate, every call it sampled out and every call whose strings it
 * dropped; each second the increments become rows of the trace's shed
 * table, as the lost table gets lost events.
 */
#include "config.h"
#include "record/record.h"
#include "store/systab.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Always kept whole, whatever the budget: the process life cycle,
 * signals, and the start of connections. */
static const char *const keep_calls[] = {
	"clone", "clone3", "fork", "vfork", "execve", "execveat", "exit",
	"exit_group", "kill", "tkill", "tgkill", "rt_sigqueueinfo",
	"rt_tgsigqueueinfo", "pidfd_send_signal", "connect", "accept",
	"accept4", "listen", "shutdown",
};

/* "5", "2.5" -> percent of one CPU; -1 when malformed. */
static double parse_pct(const char *s, size_t n)
{
	char buf[32], *end;
	double v;

	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (buf[n - 1] == '%')
		buf[--n] = '\0';
	v = strtod(buf, &end);
	return end != buf && !*end && v > 0 && v <= 100 * 4096 ? v : -1;
}

/* "2M/s", "64K/s" -> bytes per second; 0 when malformed. */
static uint64_t parse_rate(const char *s, size_t n)
{
	char buf[32];

	if (n < 3 || n >= sizeof(buf) || strncmp(s + n - 2, "/s", 2))
		return 0;
	memcpy(buf, s, n - 2);
	buf[n - 2] = '\0';
	return rec_parse_size(buf);
}

int rec_budget_parse(const char *s, struct rec_budget *b)
{
	memset(b, 0, sizeof(*b));
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *eq = memchr(s, '=', n);

		if (!eq)
			return -1;
		size_t kl = (size_t)(eq - s), vl = n - kl - 1;

		if (kl == 3 && !strncmp(s, "cpu", 3) && !b->cpu_pct) {
			if ((b->cpu_pct = parse_pct(eq + 1, vl)) < 0)
				return -1;
		} else if (kl == 4 && !strncmp(s, "rate", 4) && !b->rate_bps) {
			if (!(b->rate_bps = parse_rate(eq + 1, vl)))
				return -1;
		} else {
			return -1;
		}
		s += n;
		if (*s == ',' && !*++s)
			return -1;
	}
	return b->cpu_pct > 0 || b->rate_bps ? 0 : -1;
}

void rec_budget_describe(const struct rec_budget *b, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (b->cpu_pct > 0)
		n += (size_t)snprintf(buf, len, "cpu=%g%%", b->cpu_pct);
	if (b->rate_bps && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%srate=%" PRIu64 "/s",
				      n ? "," : "", b->rate_bps);
	if (n < len)
		snprintf(buf + n, len - n, ",slow=%uns", KS_SHED_SLOW_NS);
}

void rec_budget_nr(const struct rec_plan *plan, const char *arch,
		   uint8_t nr[KS_NR_MAX])
{
	memset(nr, 0, KS_NR_MAX);
	for (int i = 0; i < KS_NR_MAX; i++)
		if (plan->fdop[i])
			nr[i] |= KS_BUDGET_FDTAB;
	for (size_t i = 0; i < sizeof(keep_calls) / sizeof(keep_calls[0]); i++) {
		int k = arch ? systab_nr(arch, keep_calls[i]) : -1;

		if (k >= 0 && k < KS_NR_MAX)
			nr[k] |= KS_BUDGET_KEEP;
	}
}

/* ---- while recording ---------------------------------------------------- */

#define SHED_KEYS (KS_SHED_SLOTS * KS_NR_MAX)

struct rec_shed {
	struct rec_session *s;
	struct shedctl ctl;
	const char *arch;
	int ncpus;
	uint64_t *prev, *now;   /* shed_dropped, [cpu][slot * KS_NR_MAX + nr] */
	struct rec_cost cost;   /* at the last tick */
	uint64_t tick_ns;       /* monotonic, of the last tick; 0 = none */
	uint64_t bytes;         /* drained, at the last tick */
	uint64_t sampled, stripped; /* totals written to the shed table */
};

struct rec_shed *rec_shed_new(struct rec_session *s, const struct rec_budget *b,
			      const char *arch)
{
	struct rec_shed *sh = calloc(1, sizeof(*sh));
	size_t n;

	if (!sh)
		return NULL;
	sh->s = s;
	sh->arch = arch;
	sh->ncpus = rec_session_ncpus(s);
	n = (size_t)sh->ncpus * SHED_KEYS;
	sh->prev = calloc(n, sizeof(uint64_t));
	sh->now = calloc(n, sizeof(uint64_t));
	if (!sh->prev || !sh->now) {
		rec_shed_free(sh);
		return NULL;
	}
	shedctl_init(&sh->ctl, b->cpu_pct, (double)b->rate_bps);
	/* The programs' run time is part of the cost: known only with the
	 * kernel's statistics on.  Without them the figure is user space's
	 * alone (docs/RECORD.md). */
	if (b->cpu_pct > 0)
		rec_session_stats_on(s);
	return sh;
}

void rec_shed_free(struct rec_shed *sh)
{
	if (!sh)
		return;
	free(sh->prev);
	free(sh->now);
	free(sh);
}

int rec_shed_tick(struct rec_shed *sh, uint64_t now_ns, uint64_t bytes)
{
	struct rec_cost c;
	int rc;

	if ((rc = rec_cost_read(sh->s, &c)) < 0)
		return rc;
	if (sh->tick_ns && now_ns > sh->tick_ns) {
		uint64_t wall = now_ns - sh->tick_ns;
		double rate = (double)(bytes - sh->bytes) * 1e9 / (double)wall;

		if (shedctl_step(&sh->ctl, rec_cost_pct(&sh->cost, &c, wall),
				 rate) &&
		    (rc = rec_session_shed_set(sh->s, sh->ctl.level,
					       sh->ctl.shift)) < 0)
			return rc;
	}
	sh->cost = c;
	sh->tick_ns = now_ns;
	sh->bytes = bytes;
	return 0;
}

int rec_shed_rows(struct rec_shed *sh, struct store_writer *w,
		  uint64_t now_boot)
{
	int rc = rec_session_shed_read(sh->s, sh->now);

	if (rc < 0)
		return rc;
	for (int cpu = 0; cpu < sh->ncpus; cpu++) {
		for (uint32_t k = 0; k < SHED_KEYS; k++) {
			size_t i = (size_t)cpu * SHED_KEYS + k;
			uint64_t d = sh->now[i] - sh->prev[i];
			uint32_t slot = k / KS_NR_MAX;
			int nr = (int)(k % KS_NR_MAX);
			const char *name;
			char nbuf[24];

			if (!d)
				continue;
			sh->prev[i] = sh->now[i];
			name = sh->arch ? systab_name(sh->arch, nr) : NULL;
			if (!name) {
				snprintf(nbuf, sizeof(nbuf), "syscall_%d", nr);
				name = nbuf;
			}
			*(slot ? &sh->sampled : &sh->stripped) += d;
			if ((rc = store_writer_shed(w, now_boot, (uint32_t)cpu,
						    "syscall", name,
						    slot ? "sample" : "payload",
						    slot ? 1u << slot : 0, d)) < 0)
				return rc;
		}
	}
	return 0;
}

void rec_shed_totals(const struct rec_shed *sh, uint64_t *sampled,
		     uint64_t *stripped)
{
	*sampled = sh->sampled;
	*stripped = sh->stripped;
}
