/*
 * stats.h - the noise tests of `kscope diff`: is a change between two
 * traces larger than the noise within each?
 *
 *     struct diff_mwu m;
 *     diff_mwu(before, nb, after, na, &m);   // both sorted ascending
 *     ... m.u, m.z, m.p ...
 *     double z = diff_rate_z(&a, wa, &b, wb); // compound Poisson rates
 *     if (diff_significant(z)) ...
 *
 * Distributions (latencies): the Mann-Whitney U test (Wilcoxon rank
 * sum), normal approximation with the tie correction and a continuity
 * correction of 1/2.  It asks whether a value drawn from one trace
 * tends to be larger than one drawn from the other; it needs no model
 * of the latencies' shape (they are skewed and heavy-tailed), is exact
 * about ties (durations of a few ns repeat) and, once both samples are
 * sorted, costs one merge.
 *
 * Rates (counts and sums per second): a figure is a sum of events (each
 * call adds 1 to a count, its duration to a time, a connection its
 * bytes) over a trace of W seconds.  Modelled as a compound Poisson
 * process, the rate's estimate sum / W has variance sum of the squares
 * of the events / W^2; the two traces' rates are compared with
 * z = (rate_after - rate_before) / sqrt(var_before + var_after).
 *
 * A change is significant when |z| >= DIFF_Z_SIG (two-sided p < 0.001).
 */
#ifndef KSCOPE_DIFF_STATS_H
#define KSCOPE_DIFF_STATS_H

#include <stddef.h>
#include <stdint.h>

#define DIFF_Z_SIG 3.2905	/* two-sided p = 0.001 under N(0, 1) */

/* An additive figure of one trace: N events adding up to SUM, whose
 * squares add up to SUMSQ (N for a count). */
struct diff_acc {
	double n, sum, sumsq;
};

static inline void diff_acc_add(struct diff_acc *a, double v)
{
	a->n += 1;
	a->sum += v;
	a->sumsq += v * v;
}

struct diff_mwu {
	double u;	/* U of the first sample: pairs (x, y) with x > y,
			 * plus half the ties */
	double mean, var;	/* of U under "same distribution", ties
				 * corrected */
	double z, p;	/* normal approximation, two-sided p */
};

/* Mann-Whitney U of X (NX values) against Y (NY values), both sorted
 * ascending.  With NX or NY 0: u 0, z 0, p 1. */
void diff_mwu(const int64_t *x, size_t nx, const int64_t *y, size_t ny,
	      struct diff_mwu *m);

/* z of the change of rate from A over WA seconds to B over WB seconds
 * (0 when neither has any event). */
double diff_rate_z(const struct diff_acc *a, double wa,
		   const struct diff_acc *b, double wb);

/* Two-sided p of a standard normal Z. */
double diff_p(double z);

static inline int diff_significant(double z)
{
	return z >= DIFF_Z_SIG || z <= -DIFF_Z_SIG;
}

/* Percentile P (0..100) of the N sorted values V, the reports' rule:
 * V[ceil(P / 100 * N) - 1]; 0 when N is 0. */
int64_t diff_pct(const int64_t *v, size_t n, double p);

#endif
