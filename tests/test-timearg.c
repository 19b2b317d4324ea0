/*
 * test-timearg.c - --from / --to parsing against a trace whose start and
 * clock offset are known.
 */
#include "analyze/timearg.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define START 5000000000ULL                   /* boot ns */
#define OFFSET 1764000000000000000LL          /* wall 2025-11-24T16:00:00Z at ts 0 */

static struct store *st;
static char path[] = "/tmp/kscope-timearg-XXXXXX";

static uint64_t parse_ok(const char *arg)
{
	char err[256];
	uint64_t ts;

	if (timearg_parse(st, arg, &ts, err, sizeof(err)) < 0)
		fail_msg("%s: %s", arg, err);
	return ts;
}

static void test_relative(void **state)
{
	assert_int_equal(parse_ok("+2.5s"), START + 2500000000ULL);
	assert_int_equal(parse_ok("2.5s"), START + 2500000000ULL);
	assert_int_equal(parse_ok("1500ms"), START + 1500000000ULL);
	assert_int_equal(parse_ok("90us"), START + 90000);
	assert_int_equal(parse_ok("3"), START + 3000000000ULL);
	assert_int_equal(parse_ok("2m"), START + 120000000000ULL);
	(void)state;
}

static void test_absolute(void **state)
{
	assert_int_equal(parse_ok("@123"), 123);
	/* Start is 16:00:05 UTC on 2025-11-24. */
	assert_int_equal(parse_ok("16:00:07"), 7000000000ULL);
	assert_int_equal(parse_ok("16:00:07.25"), 7250000000ULL);
	assert_int_equal(parse_ok("2025-11-24T16:00:08Z"), 8000000000ULL);
	assert_int_equal(parse_ok("2025-11-24 16:00:08.5"), 8500000000ULL);
	(void)state;
}

/* Dates far from the trace: before its clock's start is 0, after its
 * end (past int64 or uint64 ns) later than any event; never a time that
 * wrapped into the trace.  Seconds of the dates from Python's calendar. */
static void test_extremes(void **state)
{
	assert_int_equal(parse_ok("2500-01-01T00:00:00Z"),
			 16725225600ULL * 1000000000ULL - (uint64_t)OFFSET);
	assert_true(parse_ok("3000-01-01T00:00:00Z") == UINT64_MAX);
	assert_true(parse_ok("1000-01-01T00:00:00Z") == 0);
	assert_true(parse_ok("1969-12-31T23:59:59Z") == 0);
	assert_true(parse_ok("@18446744073709551615") == UINT64_MAX);
	(void)state;
}

static void test_bad(void **state)
{
	static const char *const bad[] = { "", "soon", "+x", "1.5q", "@",
					   "@12x", "25:99:99", "-3s",
					   "2025-11-24T16:00:08junk" };
	char err[256];
	uint64_t ts;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(timearg_parse(st, bad[i], &ts, err,
					       sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "bad time"));
		assert_non_null(strstr(err, "@NS"));
	}
	(void)state;
}

int main(void)
{
	char err[STORE_ERRLEN], buf[64];
	int fd = mkstemp(path);
	struct store_writer_opts o = { .force = 1 };

	if (fd < 0)
		return 1;
	close(fd);
	struct store_writer *w = store_writer_open(path, &o, err);
	if (!w)
		return 1;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)START);
	store_writer_meta(w, "start_ts", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)START + 10000000000ULL);
	store_writer_meta(w, "end_ts", buf);
	snprintf(buf, sizeof(buf), "%lld", (long long)OFFSET);
	store_writer_meta(w, "clock_offset_ns", buf);
	if (store_writer_close(w, err) != 0 || !(st = store_open(path, err)))
		return 1;

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_extremes),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	store_close(st);
	unlink(path);
	return rc;
}
