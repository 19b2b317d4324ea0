/*
 * test-infofmt.c - analyze/info/info.c on hostile or odd meta values, and its
 * time and duration formatting.  The shell test tests/test-info.sh covers
 * a well-formed trace end to end; here meta values are garbage, extreme or
 * hold control characters, and the summary must stay sane.
 */
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

#include "analyze/info/info.h"
#include "tests/textparse.h"

static char tmpdir[64];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kscope-infofmt.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A trace with one syscall at TS and the meta pairs in KV (NULL-ended). */
static struct store *trace_with_meta(const char *name, uint64_t ts,
				     const char *const *kv)
{
	struct store_writer_opts o = { .force = 1 };
	char path[128], err[STORE_ERRLEN];
	struct store_writer *w;
	struct ev_syscall sc = { .ts = ts, .comm = "x", .fd = -1 };
	struct store *st;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	w = store_writer_open(path, &o, err);
	assert_non_null(w);
	for (; kv && kv[0]; kv += 2)
		assert_int_equal(store_writer_meta(w, kv[0], kv[1]), 0);
	assert_int_equal(store_writer_append(w, EV_SYSCALL, &sc), 0);
	assert_int_equal(store_writer_close(w, err), 0);
	st = store_open(path, err);
	if (!st)
		fail_msg("%s", err);
	return st;
}

static char *text_of(const struct info *in, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	assert_int_equal(json ? info_json_print(in, m) :
			 info_text_print(in, m), 0);
	fclose(m);
	return buf;
}

static void test_garbage_meta(void **state)
{
	static const char *const kv[] = {
		"host", "evil\x1b]0;title\x07\nhost\xc2\x9b" "2J",
		"cpus", "many",
		"clock_offset_ns", "12abc",
		"start_ts", "-5",
		"end_ts", "",
		"recorder_cpu_ns", "1e9",
		"lost_total", "x",
		"lost_syscall", "-3",
		"lost_net", "4",
		NULL,
	};
	char err[256];
	struct store *st = trace_with_meta("garbage.kscope", 5000000000ull,
					   kv);
	struct info *in = info_gather(st, err, sizeof(err));
	char *text;
	struct jv *j;

	assert_non_null(in);
	assert_int_equal(in->cpus, -1);
	assert_false(in->has_offset);
	assert_false(in->start_from_meta);
	assert_false(in->end_from_meta);
	assert_false(in->has_cpu);
	assert_true(in->has_span); /* from the one event */
	assert_int_equal(in->start_ts, 5000000000ull);
	assert_int_equal(in->lost_total, 4);
	assert_int_equal(in->nlost, 1);

	text = text_of(in, 0);
	/* nothing from the file reaches the terminal raw */
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x07'));
	assert_non_null(strstr(text, "host         evil\\x1b]0;title\\x07"
				     "\\nhost\\xc2\\x9b2J\n"));
	assert_null(strstr(text, "\xc2\x9b")); /* C1 CSI */
	assert_non_null(strstr(text, "cpus         unknown\n"));
	assert_non_null(strstr(text, "lost         4 events: net 4 -- "));
	free(text);

	text = text_of(in, 1);
	j = json_parse(text, strlen(text), NULL);
	assert_non_null(j);
	assert_int_equal(json_get(j, "cpus")->type, JV_NULL);
	assert_int_equal(json_get(j, "start")->type, JV_NULL);
	assert_string_equal(json_get(j, "host")->s, /* exact, C1 too */
			    "evil\x1b]0;title\x07\nhost\xc2\x9b" "2J");
	assert_null(strstr(text, "\xc2\x9b")); /* as \u009b */
	assert_string_equal(json_get(j, "start_ts")->s, "5000000000");
	jv_free(j);
	free(text);
	info_free(in);
	store_close(st);
}

static void test_extreme_values(void **state)
{
	static const char *const kv[] = {
		"clock_offset_ns", "9223372036854775807", /* overflows */
		"start_ts", "100",
		"end_ts", "50",             /* before start */
		"cpus", "99999999999",
		NULL,
	};
	char err[256];
	struct store *st = trace_with_meta("extreme.kscope", 70, kv);
	struct info *in = info_gather(st, err, sizeof(err));
	char *text;
	struct jv *j;

	assert_non_null(in);
	assert_false(in->has_span); /* end before start: no span */
	text = text_of(in, 0);
	assert_non_null(strstr(text, "span         none"));
	free(text);
	text = text_of(in, 1);
	j = json_parse(text, strlen(text), NULL);
	assert_non_null(j);
	assert_string_equal(json_get(j, "cpus")->s, "99999999999");
	jv_free(j);
	free(text);
	info_free(in);
	store_close(st);
}

static void test_wall_format(void **state)
{
	char buf[64];

	info_wall_format(buf, sizeof(buf), 1699999999000000000ll,
			 1000000000ull, 0);
	assert_string_equal(buf, "2023-11-14 22:13:20.000000 UTC");
	info_wall_format(buf, sizeof(buf), 1699999999000000000ll,
			 1000000123ull, 1);
	assert_string_equal(buf, "2023-11-14T22:13:20.000000123Z");
	/* a negative sum is before 1970, still a time */
	info_wall_format(buf, sizeof(buf), -1500000000ll, 1000000000ull, 1);
	assert_string_equal(buf, "1969-12-31T23:59:59.500000000Z");
	/* past int64's ns, still a time (Python's datetime agrees) */
	info_wall_format(buf, sizeof(buf), INT64_MAX, 10, 0);
	assert_string_equal(buf, "2262-04-11 23:47:16.854775 UTC");
	info_wall_format(buf, sizeof(buf), 0, UINT64_MAX, 0);
	assert_string_equal(buf, "?");
}

static void test_duration_format(void **state)
{
	char buf[64];

	info_duration_format(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0 ns");
	info_duration_format(buf, sizeof(buf), 999);
	assert_string_equal(buf, "999 ns");
	info_duration_format(buf, sizeof(buf), 1500);
	assert_string_equal(buf, "1.500 us");
	info_duration_format(buf, sizeof(buf), 12345678);
	assert_string_equal(buf, "12.346 ms");
	info_duration_format(buf, sizeof(buf), 2500000000ull);
	assert_string_equal(buf, "2.500 s");
	info_duration_format(buf, sizeof(buf), 245100000000ull);
	assert_string_equal(buf, "4m 05.1s");
	info_duration_format(buf, sizeof(buf), 7384000000000ull);
	assert_string_equal(buf, "2h 03m 04s");
	info_duration_format(buf, sizeof(buf), UINT64_MAX);
	assert_non_null(strstr(buf, "h "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garbage_meta),
		cmocka_unit_test(test_extreme_values),
		cmocka_unit_test(test_wall_format),
		cmocka_unit_test(test_duration_format),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
