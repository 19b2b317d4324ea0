/*
 * test-diff-stats.c - the noise tests of `kscope diff` (analyze/diff/
 * stats.h) against values computed independently here: U by counting
 * pairs, its mean and tie-corrected variance by enumerating every way
 * the pooled sample splits in two (the permutation distribution under
 * "no change"), the normal approximation's p against the exact
 * permutation p, and a small case worked by hand.
 */
#include "analyze/diff/stats.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* U of X against Y by its definition: pairs x > y, plus half the ties. */
static double u_pairs(const int64_t *x, size_t nx, const int64_t *y,
		      size_t ny)
{
	double u = 0;

	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny; j++)
			u += x[i] > y[j] ? 1 : x[i] == y[j] ? 0.5 : 0;
	return u;
}

/* Over every split of the N pooled values V into NX and N - NX: the mean
 * and variance of U, and the share of splits at least as far from the
 * mean as U0 (the exact two-sided p). */
static void u_enum(const int64_t *v, size_t n, size_t nx, double u0,
		   double *mean, double *var, double *p)
{
	double s = 0, s2 = 0, far = 0, cnt = 0, mu;
	int64_t x[32], y[32];

	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t m = 0; m < (1u << n); m++) {
			size_t a = 0, b = 0;
			double u;

			if ((size_t)__builtin_popcount(m) != nx)
				continue;
			for (size_t i = 0; i < n; i++) {
				if (m & (1u << i))
					x[a++] = v[i];
				else
					y[b++] = v[i];
			}
			u = u_pairs(x, a, y, b);
			if (pass == 0) {
				s += u;
				s2 += u * u;
				cnt++;
			} else if (fabs(u - *mean) >= fabs(u0 - *mean) - 1e-9) {
				far++;
			}
		}
		if (pass == 0) {
			mu = s / cnt;
			*mean = mu;
			*var = s2 / cnt - mu * mu;
		}
	}
	*p = far / cnt;
}

static void test_mwu_hand(void **state)
{
	const int64_t x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	struct diff_mwu m;

	(void)state;
	/* every x below every y: U = 0; mean 3 * 3 / 2; variance
	 * 3 * 3 / 12 * 7 = 5.25; z = (0 - 4.5 + 0.5) / sqrt(5.25) */
	diff_mwu(x, 3, y, 3, &m);
	assert_true(m.u == 0);
	assert_true(m.mean == 4.5);
	assert_true(fabs(m.var - 5.25) < 1e-12);
	assert_true(fabs(m.z - -1.745743121887939) < 1e-12);
	assert_true(fabs(m.p - 0.080855) < 1e-5);
	diff_mwu(y, 3, x, 3, &m);
	assert_true(m.u == 9 && m.z > 1.7);
}

static void test_mwu_enum(void **state)
{
	/* small samples with many ties, both ways round */
	srand(14);
	(void)state;
	for (int t = 0; t < 200; t++) {
		size_t nx = 1 + (size_t)rand() % 6, ny = 1 + (size_t)rand() % 6;
		int64_t x[8], y[8], v[16];
		double mean, var, p;
		struct diff_mwu m;

		for (size_t i = 0; i < nx; i++)
			v[i] = x[i] = rand() % 4;
		for (size_t i = 0; i < ny; i++)
			v[nx + i] = y[i] = rand() % 4;
		qsort(x, nx, sizeof(*x), cmp);
		qsort(y, ny, sizeof(*y), cmp);
		diff_mwu(x, nx, y, ny, &m);
		assert_true(m.u == u_pairs(x, nx, y, ny));
		u_enum(v, nx + ny, nx, m.u, &mean, &var, &p);
		assert_true(fabs(m.mean - mean) < 1e-9);
		assert_true(fabs(m.var - var) < 1e-9);
		if (var == 0)
			assert_true(m.z == 0 && m.p == 1);
	}
}

static void test_mwu_exact_p(void **state)
{
	/* 10 against 10, no ties: the normal approximation's p is within
	 * 0.01 of the exact permutation p */
	const int64_t x[] = { 3, 5, 8, 9, 12, 14, 15, 17, 19, 20 };
	const int64_t y[] = { 1, 2, 4, 6, 7, 10, 11, 13, 16, 18 };
	int64_t v[20];
	double mean, var, p;
	struct diff_mwu m;

	(void)state;
	memcpy(v, x, sizeof(x));
	memcpy(v + 10, y, sizeof(y));
	diff_mwu(x, 10, y, 10, &m);
	u_enum(v, 20, 10, m.u, &mean, &var, &p);
	assert_true(fabs(m.var - var) < 1e-9);
	assert_true(fabs(m.p - p) < 0.01);
	assert_true(m.p > 0.01 && m.p < 0.5);
}

static void test_mwu_empty(void **state)
{
	const int64_t x[] = { 1, 2 }, same[] = { 7, 7, 7 };
	struct diff_mwu m;

	(void)state;
	diff_mwu(x, 2, NULL, 0, &m);
	assert_true(m.z == 0 && m.p == 1);
	diff_mwu(same, 3, same, 2, &m);
	assert_true(m.u == 3 && m.z == 0 && m.p == 1);
}

static void test_rate_z(void **state)
{
	struct diff_acc a = { 0 }, b = { 0 };

	(void)state;
	/* counts: 4 in 2 s against 16 in 2 s: rates 2 and 8, variance
	 * 4 / 4 + 16 / 4 = 5 */
	a = (struct diff_acc){ 4, 4, 4 };
	b = (struct diff_acc){ 16, 16, 16 };
	assert_true(fabs(diff_rate_z(&a, 2, &b, 2) - 6 / sqrt(5)) < 1e-12);
	assert_true(fabs(diff_rate_z(&b, 2, &a, 2) + 6 / sqrt(5)) < 1e-12);
	/* sums: 1 + 3 in 1 s against 2 + 2 + 2 + 2 in 2 s: same rate */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	diff_acc_add(&a, 1);
	diff_acc_add(&a, 3);
	for (int i = 0; i < 4; i++)
		diff_acc_add(&b, 2);
	assert_true(a.sum == 4 && a.sumsq == 10 && b.sumsq == 16);
	assert_true(diff_rate_z(&a, 1, &b, 2) == 0);
	/* one 5 ms event against none in 1 s each: z = 1, never
	 * significant; 12 of them: sqrt(12) */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_true(diff_rate_z(&a, 1, &b, 1) == 0);
	diff_acc_add(&b, 5e6);
	assert_true(fabs(diff_rate_z(&a, 1, &b, 1) - 1) < 1e-12);
	for (int i = 1; i < 12; i++)
		diff_acc_add(&b, 5e6);
	assert_true(fabs(diff_rate_z(&a, 1, &b, 1) - sqrt(12)) < 1e-12);
	assert_true(diff_significant(sqrt(12)) && !diff_significant(3.2));
	assert_true(diff_significant(-3.3));
}

static void test_pct(void **state)
{
	const int64_t v[] = { 10, 20, 30, 40 };

	(void)state;
	assert_true(diff_pct(v, 4, 50) == 20);
	assert_true(diff_pct(v, 4, 90) == 40);
	assert_true(diff_pct(v, 4, 25) == 10);
	assert_true(diff_pct(v, 0, 50) == 0);
	assert_true(fabs(diff_p(0) - 1) < 1e-12);
	assert_true(fabs(diff_p(DIFF_Z_SIG) - 0.001) < 1e-5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mwu_hand),
		cmocka_unit_test(test_mwu_enum),
		cmocka_unit_test(test_mwu_exact_p),
		cmocka_unit_test(test_mwu_empty),
		cmocka_unit_test(test_rate_z),
		cmocka_unit_test(test_pct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
