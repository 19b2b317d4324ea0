/*
 * rank.c - the lines of `kscope diff` and their order (rank.h).
 */
#include "config.h"
#include "analyze/diff/rank.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const diff_sec_names[DIFF_NSECS] = {
	[DIFF_SYSCALLS] = "syscalls", [DIFF_ERRORS] = "errors",
	[DIFF_PROCS] = "processes", [DIFF_CPU] = "cpu",
	[DIFF_OFFCPU] = "offcpu", [DIFF_RUNQ] = "runqlat",
	[DIFF_CONNS] = "connections",
};

/* The figures of each section: row value V as METRIC in UNIT. */
static const struct metric {
	enum diff_sec sec;
	int v, timelike;
	const char *metric, *unit;
} metrics[] = {
	{ DIFF_SYSCALLS, 2, 1, "time", "ns" },
	{ DIFF_SYSCALLS, 0, 0, "calls", "calls" },
	{ DIFF_SYSCALLS, 1, 0, "errors", "calls" },
	{ DIFF_ERRORS, 0, 0, "errors", "calls" },
	{ DIFF_PROCS, 0, 0, "processes", "processes" },
	{ DIFF_PROCS, 1, 0, "failed_exits", "processes" },
	{ DIFF_CPU, 0, 1, "oncpu", "ns" },
	{ DIFF_OFFCPU, 0, 1, "offcpu", "ns" },
	{ DIFF_RUNQ, 2, 1, "wait", "ns" },
	{ DIFF_RUNQ, 0, 0, "waits", "waits" },
	{ DIFF_CONNS, 0, 0, "connections", "connections" },
	{ DIFF_CONNS, 1, 0, "failed", "connections" },
	{ DIFF_CONNS, 2, 0, "bytes", "bytes" },
};

static struct diff_line *line_new(struct diff *d, enum diff_sec sec,
				  const char *key, const struct diff_row *r0,
				  const struct diff_row *r1)
{
	struct diff_line *l;

	if (report_grow(&d->v, &d->cap, d->n + 1, sizeof(*d->v)) < 0)
		return NULL;
	l = memset(&d->v[d->n++], 0, sizeof(*d->v));
	l->sec = sec;
	l->key = key;
	l->row[0] = r0;
	l->row[1] = r1;
	return l;
}

static const char *status(double t0, double t1, double r0, double r1)
{
	if (t0 == 0)
		return "new";
	if (t1 == 0)
		return "gone";
	return r1 > r0 ? "up" : r1 < r0 ? "down" : "same";
}

/* Whether the non-zero exit codes in notes N0 and N1 (collect.h's
 * "CODE=COUNT ..."; 0 and running left out) differ as sets. */
static int codes_differ(const char *n0, const char *n1)
{
	const char *n[2] = { n0 ? n0 : "", n1 ? n1 : "" };

	for (int i = 0; i < 2; i++)
		for (const char *p = n[i]; *p; ) {
			size_t w = strcspn(p, "="), len;
			const char *q = n[!i];
			int found = 0;

			for (; *q; q += strcspn(q, " "), q += *q == ' ') {
				len = strcspn(q, "=");
				found |= len == w && !strncmp(p, q, w);
			}
			if (!found && strncmp(p, "0=", 2) &&
			    strncmp(p, "running=", 8))
				return 1;
			p += strcspn(p, " ");
			p += *p == ' ';
		}
	return 0;
}

/* The rate lines of KEY, whose rows are R0 and R1 (either may be NULL). */
static int key_lines(struct diff *d, enum diff_sec sec, const char *key,
		     const struct diff_row *r0, const struct diff_row *r1)
{
	static const struct diff_acc none;
	const double w0 = d->side[0].secs, w1 = d->side[1].secs;
	struct diff_line *l;

	for (size_t m = 0; m < sizeof(metrics) / sizeof(*metrics); m++) {
		const struct metric *mt = &metrics[m];
		const struct diff_acc *a0 = r0 ? &r0->v[mt->v] : &none;
		const struct diff_acc *a1 = r1 ? &r1->v[mt->v] : &none;

		if (mt->sec != sec || (a0->sum == 0 && a1->sum == 0))
			continue;
		if (!(l = line_new(d, sec, key, r0, r1)))
			return -ENOMEM;
		l->metric = mt->metric;
		l->unit = mt->unit;
		l->timelike = mt->timelike;
		l->tot[0] = a0->sum;
		l->tot[1] = a1->sum;
		l->rate[0] = a0->sum / w0;
		l->rate[1] = a1->sum / w1;
		l->change = l->rate[1] - l->rate[0];
		l->impact = mt->timelike ? fabs(l->change) : 0;
		l->z = diff_rate_z(a0, w0, a1, w1);
		l->sig = diff_significant(l->z);
		l->status = status(l->tot[0], l->tot[1], l->rate[0],
				   l->rate[1]);
		if (sec == DIFF_PROCS && mt->v == 1 && r0 && r1 &&
		    codes_differ(r0->note, r1->note))
			l->status = "changed";
	}
	/* the latency distributions, when both traces have samples */
	if (r0 && r1 && r0->ns && r1->ns) {
		static const double p[3] = { 50, 90, 99 };
		struct diff_mwu u;

		if (!(l = line_new(d, sec, key, r0, r1)))
			return -ENOMEM;
		diff_mwu(r1->s, r1->ns, r0->s, r0->ns, &u);
		l->metric = "latency";
		l->unit = "ns";
		l->latency = 1;
		for (int k = 0; k < 3; k++) {
			l->pct[0][k] = diff_pct(r0->s, r0->ns, p[k]);
			l->pct[1][k] = diff_pct(r1->s, r1->ns, p[k]);
		}
		l->tot[0] = (double)l->pct[0][0];
		l->tot[1] = (double)l->pct[1][0];
		l->change = l->tot[1] - l->tot[0];
		l->z = u.z;
		l->sig = diff_significant(u.z);
		l->status = u.z > 0 ? "slower" : u.z < 0 ? "faster" : "same";
	}
	return 0;
}

static int line_cmp(const void *pa, const void *pb)
{
	const struct diff_line *a = pa, *b = pb;
	int c;

	if (a->impact != b->impact)
		return a->impact > b->impact ? -1 : 1;
	if (fabs(a->z) != fabs(b->z))
		return fabs(a->z) > fabs(b->z) ? -1 : 1;
	if (a->sec != b->sec)
		return (int)a->sec - (int)b->sec;
	if ((c = strcmp(a->key, b->key)))
		return c;
	return strcmp(a->metric, b->metric);
}

int diff_rank(struct diff *d)
{
	for (int s = 0; s < DIFF_NSECS; s++) {
		const struct diff_tab *t0 = &d->side[0].tab[s];
		const struct diff_tab *t1 = &d->side[1].tab[s];

		for (size_t i = 0; i < t0->n; i++)
			if (key_lines(d, (enum diff_sec)s, t0->keys.s[i],
				      &t0->v[i],
				      diff_tab_find(t1, t0->keys.s[i])) < 0)
				return -ENOMEM;
		for (size_t i = 0; i < t1->n; i++)
			if (!diff_tab_find(t0, t1->keys.s[i]) &&
			    key_lines(d, (enum diff_sec)s, t1->keys.s[i],
				      NULL, &t1->v[i]) < 0)
				return -ENOMEM;
	}
	report_sort(d->v, d->n, sizeof(*d->v), line_cmp);
	return 0;
}

void diff_free(struct diff *d)
{
	diff_side_free(&d->side[0]);
	diff_side_free(&d->side[1]);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
