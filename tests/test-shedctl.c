/*
 * test-shedctl.c - the budget's controller (record/shedctl.c) and the
 * --budget option's parser (record/budget.c), fed measurements by hand:
 * the order of the steps (strings, then 1/2, 1/4 ... 1/1024), the hold
 * after a change, the hysteresis band, smoothing, and either limit alone.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "record/record.h"

/* Feed N measurements of CPU and RATE; how many changed the step. */
static int feed(struct shedctl *c, int n, double cpu, double rate)
{
	int changes = 0;

	while (n--)
		changes += shedctl_step(c, cpu, rate);
	return changes;
}

static void test_starts_at_nothing(void **state)
{
	struct shedctl c;

	(void)state;
	shedctl_init(&c, 5, 0);
	assert_int_equal(shedctl_step(&c, 1, 1e9), 0); /* no rate limit */
	assert_int_equal(c.level, KS_SHED_NONE);
	assert_int_equal(c.shift, 0);
}

static void test_order_of_steps(void **state)
{
	struct shedctl c;

	(void)state;
	shedctl_init(&c, 5, 0);
	/* Over: strings first, then a hold, then sampling at 1/2. */
	assert_int_equal(shedctl_step(&c, 50, 0), 1);
	assert_int_equal(c.level, KS_SHED_PAYLOAD);
	assert_int_equal(shedctl_step(&c, 50, 0), 0); /* held */
	assert_int_equal(c.level, KS_SHED_PAYLOAD);
	assert_int_equal(shedctl_step(&c, 50, 0), 1);
	assert_int_equal(c.level, KS_SHED_SAMPLE);
	assert_int_equal(c.shift, 1);
	/* Still over: doubling up to 1/1024 and no further. */
	feed(&c, 100, 50, 0);
	assert_int_equal(c.level, KS_SHED_SAMPLE);
	assert_int_equal(c.shift, KS_SHED_SHIFT_MAX);
	assert_int_equal(feed(&c, 10, 50, 0), 0);
}

static void test_hysteresis(void **state)
{
	struct shedctl c;

	(void)state;
	shedctl_init(&c, 10, 0);
	feed(&c, 7, 40, 0); /* strings, 1/2, 1/4, 1/8 */
	assert_int_equal(c.shift, 3);
	/* Between half and the whole limit: once the smoothed value is
	 * there, no change, however long. */
	feed(&c, 20, 7, 0);
	unsigned s = c.shift;

	assert_true(s >= 3);
	assert_int_equal(feed(&c, 50, 7, 0), 0);
	assert_int_equal(c.shift, s);
	/* Well under: one step down after SHEDCTL_CALM measurements (the
	 * smoothed value needs a few to fall below half first). */
	int n = 0;

	while (c.shift == s && n < 100) {
		shedctl_step(&c, 1, 0);
		n++;
	}
	assert_int_equal(c.shift, s - 1);
	assert_true(n >= SHEDCTL_CALM);
	/* Held, then calm again but not long enough: no step; over goes
	 * back up at once. */
	feed(&c, SHEDCTL_HOLD, 1, 0);
	assert_int_equal(feed(&c, SHEDCTL_CALM - 1, 1, 0), 0);
	assert_int_equal(c.shift, s - 1);
	shedctl_step(&c, 100, 0); /* smoothed: about (1 + 100) / 2 > 10 */
	assert_int_equal(c.shift, s);
	/* All the way down to nothing when the load is gone. */
	feed(&c, 200, 0, 0);
	assert_int_equal(c.level, KS_SHED_NONE);
	assert_int_equal(c.shift, 0);
}

static void test_smoothing(void **state)
{
	struct shedctl c;

	(void)state;
	shedctl_init(&c, 10, 0);
	shedctl_step(&c, 4, 0);
	/* One spike of 15: smoothed to 9.5, under the limit. */
	assert_int_equal(shedctl_step(&c, 15, 0), 0);
	assert_int_equal(c.level, KS_SHED_NONE);
	/* Two in a row: 12.25, over. */
	assert_int_equal(shedctl_step(&c, 15, 0), 1);
	assert_int_equal(c.level, KS_SHED_PAYLOAD);
}

static void test_rate_limit(void **state)
{
	struct shedctl c;

	(void)state;
	shedctl_init(&c, 0, 65536);
	assert_int_equal(shedctl_step(&c, 99, 1000), 0); /* no CPU limit */
	assert_int_equal(shedctl_step(&c, 99, 1e6), 1);
	assert_int_equal(c.level, KS_SHED_PAYLOAD);
	/* Both limits: over either one is over. */
	shedctl_init(&c, 5, 65536);
	assert_int_equal(shedctl_step(&c, 1, 1e6), 1);
	shedctl_init(&c, 5, 65536);
	assert_int_equal(shedctl_step(&c, 6, 10), 1);
	/* Well under means under both. */
	shedctl_init(&c, 5, 65536);
	feed(&c, 3, 50, 0);
	assert_int_equal(c.shift, 1);
	feed(&c, 10, 1, 40000);
	unsigned s = c.shift;

	assert_int_equal(feed(&c, 50, 1, 40000), 0); /* 40000 > 65536 / 2 */
	assert_int_equal(c.shift, s);
}

static void test_parse(void **state)
{
	struct rec_budget b;
	char d[128];

	(void)state;
	assert_int_equal(rec_budget_parse("cpu=5", &b), 0);
	assert_true(b.cpu_pct == 5 && b.rate_bps == 0);
	assert_int_equal(rec_budget_parse("rate=2M/s", &b), 0);
	assert_true(b.cpu_pct == 0 && b.rate_bps == 2u << 20);
	assert_int_equal(rec_budget_parse("cpu=2.5%,rate=64K/s", &b), 0);
	assert_true(b.cpu_pct == 2.5 && b.rate_bps == 65536);
	rec_budget_describe(&b, d, sizeof(d));
	assert_string_equal(d, "cpu=2.5%,rate=65536/s,slow=1000000ns");
	assert_int_equal(rec_budget_parse("rate=64K/s,cpu=1", &b), 0);
	static const char *const bad[] = {
		"", "cpu", "cpu=", "cpu=0", "cpu=-1", "cpu=x", "rate=64K",
		"rate=/s", "rate=0/s", "cpu=5,", ",cpu=5", "cpu=5,cpu=6",
		"mem=5", "cpu=5,,rate=1M/s",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rec_budget_parse(bad[i], &b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_at_nothing),
		cmocka_unit_test(test_order_of_steps),
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_smoothing),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
