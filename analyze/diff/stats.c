/*
 * stats.c - the noise tests of `kscope diff` (stats.h): Mann-Whitney U
 * by one merge of two sorted samples, compound Poisson rate z.
 */
#include "config.h"
#include "analyze/diff/stats.h"

#include <math.h>

void diff_mwu(const int64_t *x, size_t nx, const int64_t *y, size_t ny,
	      struct diff_mwu *m)
{
	double n = (double)nx + (double)ny, rx = 0, ties = 0, d;
	size_t i = 0, j = 0;

	m->u = m->mean = m->var = m->z = 0;
	m->p = 1;
	if (!nx || !ny)
		return;
	/* walk both in order; a run of equal values (from either) takes
	 * the average of the ranks it spans */
	while (i < nx || j < ny) {
		int64_t v = i < nx && (j >= ny || x[i] <= y[j]) ? x[i] : y[j];
		size_t ti = 0, tj = 0;
		double first = (double)(i + j) + 1, t, avg;

		while (i < nx && x[i] == v)
			i++, ti++;
		while (j < ny && y[j] == v)
			j++, tj++;
		t = (double)(ti + tj);
		avg = first + (t - 1) / 2;
		rx += avg * (double)ti;
		ties += t * t * t - t;
	}
	m->u = rx - (double)nx * ((double)nx + 1) / 2;
	m->mean = (double)nx * (double)ny / 2;
	m->var = (double)nx * (double)ny / 12 *
		 ((n + 1) - (n > 1 ? ties / (n * (n - 1)) : 0));
	if (m->var <= 0)
		return;		/* every value equal: no evidence */
	d = m->u - m->mean;
	d = d > 0.5 ? d - 0.5 : d < -0.5 ? d + 0.5 : 0;
	m->z = d / sqrt(m->var);
	m->p = diff_p(m->z);
}

double diff_rate_z(const struct diff_acc *a, double wa,
		   const struct diff_acc *b, double wb)
{
	double ra = a->sum / wa, rb = b->sum / wb;
	double var = a->sumsq / (wa * wa) + b->sumsq / (wb * wb);

	if (var <= 0)
		return 0;
	return (rb - ra) / sqrt(var);
}

double diff_p(double z)
{
	return erfc(fabs(z) / sqrt(2));
}

int64_t diff_pct(const int64_t *v, size_t n, double p)
{
	size_t k;

	if (!n)
		return 0;
	k = (size_t)ceil(p / 100 * (double)n);
	return v[k ? k - 1 : 0];
}
