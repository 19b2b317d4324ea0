/*
 * rank.h - what changed between two traces, one line per figure, ranked
 * by impact (`kscope diff`).
 *
 *     struct diff d;
 *     diff_collect(st0, "before.kscope", &d.side[0], err);
 *     diff_collect(st1, "after.kscope", &d.side[1], err);
 *     if (diff_rank(&d) < 0) ...                 // -ENOMEM
 *     for (size_t i = 0; i < d.n; i++) ... d.v[i] ...
 *     diff_free(&d);                             // frees the sides too
 *
 * A line is one figure of one key of a section (collect.h) in both
 * traces: its totals, its rates per second of each trace's window (so
 * traces of different lengths compare), the change of rate and the z of
 * that change against the noise within the traces (stats.h: compound
 * Poisson for rates, Mann-Whitney U for a latency line, which compares
 * the two traces' samples).  Lines whose figure is zero in both traces
 * are left out.
 *
 * Impact, the order of the list: for a time-like figure (time in system
 * calls, on-CPU, off-CPU, waiting for a CPU) the change of the time per
 * second of trace, |after/s - before/s| in ns per s - how much more or
 * less of each second goes to it.  Other figures (counts, bytes,
 * latency distributions) have impact 0 and follow all time-like lines
 * with a change, ordered among themselves by |z|; ties by |z|, then
 * section and key.
 */
#ifndef KSCOPE_DIFF_RANK_H
#define KSCOPE_DIFF_RANK_H

#include "analyze/diff/collect.h"
#include "analyze/diff/stats.h"

struct diff_line {
	enum diff_sec sec;
	const char *key;	/* borrowed from a side's table */
	const char *metric;	/* "time", "calls", ..., "latency" */
	const char *unit;	/* of the totals: "ns", "calls", ... */
	int timelike, latency;
	const struct diff_row *row[2];	/* before, after; NULL: none */
	double tot[2];		/* totals; a latency line: the medians */
	double rate[2];		/* per second of each trace; 0 for latency */
	double change;		/* rate[1] - rate[0]; latency: of tot */
	double impact;		/* ns/s: |change| when timelike, else 0 */
	double z;		/* > 0: larger after */
	int sig;		/* diff_significant(z) */
	const char *status;	/* "new", "gone", "up", "down", "same";
				 * "changed": failed_exits of other codes */
	int64_t pct[2][3];	/* latency: p50, p90, p99 per trace */
};

struct diff {
	struct diff_side side[2];	/* before, after */
	struct diff_line *v;
	size_t n, cap;
};

extern const char *const diff_sec_names[DIFF_NSECS];

/* Build and sort the lines of D's two sides.  0 or -ENOMEM. */
int diff_rank(struct diff *d);
void diff_free(struct diff *d);

#endif
