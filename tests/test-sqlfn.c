/*
 * test-sqlfn.c - the SQL functions of a trace connection, through SQL on
 * an in-memory database (they need no trace but wall(), which reads meta).
 */
#include "analyze/sql/sqlfn.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static sqlite3 *db;

static const char *one(const char *sql)
{
	static char out[256];
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	const char *t = (const char *)sqlite3_column_text(s, 0);
	snprintf(out, sizeof(out), "%s", t ? t : "NULL");
	sqlite3_finalize(s);
	return out;
}

static void test_errno_name(void **state)
{
	assert_string_equal(one("SELECT errno_name(-2)"), "ENOENT");
	assert_string_equal(one("SELECT errno_name(-13)"), "EACCES");
	assert_string_equal(one("SELECT errno_name(-111)"), "ECONNREFUSED");
	assert_string_equal(one("SELECT errno_name(0)"), "NULL");
	assert_string_equal(one("SELECT errno_name(64)"), "NULL");
	assert_string_equal(one("SELECT errno_name(NULL)"), "NULL");
	/* kernel-internal codes of interrupted calls are named too */
	static const char *const internal[] = {
		"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND",
		"ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
	};
	for (int i = 0; i < 5; i++) {
		char sql[64];

		snprintf(sql, sizeof(sql), "SELECT errno_name(%d)", -512 - i);
		assert_string_equal(one(sql), internal[i]);
	}
	assert_string_equal(sqlfn_errno_name(-516), "ERESTART_RESTARTBLOCK");
	assert_null(sqlfn_errno_name(-4000));
	(void)state;
}

/* The label reports and the TUI print: kernel-internal codes by name,
 * an unknown errno as a number. */
static void test_errno_label(void **state)
{
	char b[16];

	assert_string_equal(sqlfn_errno_label(-2, b, sizeof(b)), "ENOENT");
	assert_string_equal(sqlfn_errno_label(-514, b, sizeof(b)),
			    "ERESTARTNOHAND");
	assert_string_equal(sqlfn_errno_label(-516, b, sizeof(b)),
			    "ERESTART_RESTARTBLOCK");
	assert_string_equal(sqlfn_errno_label(-4000, b, sizeof(b)), "E4000");
	(void)state;
}

static void test_fmt_dur(void **state)
{
	assert_string_equal(one("SELECT fmt_dur(812)"), "812 ns");
	assert_string_equal(one("SELECT fmt_dur(4200)"), "4.20 us");
	assert_string_equal(one("SELECT fmt_dur(1500000)"), "1.50 ms");
	assert_string_equal(one("SELECT fmt_dur(2000000000)"), "2.000 s");
	(void)state;
}

static void test_log2_bucket(void **state)
{
	assert_string_equal(one("SELECT log2_bucket(0)"), "0");
	assert_string_equal(one("SELECT log2_bucket(1)"), "0");
	assert_string_equal(one("SELECT log2_bucket(2)"), "1");
	assert_string_equal(one("SELECT log2_bucket(1023)"), "9");
	assert_string_equal(one("SELECT log2_bucket(1024)"), "10");
	(void)state;
}

static void test_percentile(void **state)
{
	sqlite3_exec(db, "CREATE TEMP TABLE v(x); WITH RECURSIVE c(i) AS "
		     "(SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100) "
		     "INSERT INTO v SELECT i FROM c", NULL, NULL, NULL);
	assert_string_equal(one("SELECT percentile(x, 50) FROM v"), "50");
	assert_string_equal(one("SELECT percentile(x, 99) FROM v"), "99");
	assert_string_equal(one("SELECT percentile(x, 100) FROM v"), "100");
	assert_string_equal(one("SELECT percentile(x, 0) FROM v"), "1");
	/* nearest rank: the 9th of the ten values 91..100 */
	assert_string_equal(one("SELECT percentile(x, 90) FROM v WHERE x > 90"),
			    "99");
	assert_string_equal(one("SELECT percentile(x, 50) FROM v WHERE 0"),
			    "NULL");
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "SELECT percentile(x, 101) FROM v", -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ERROR);
	sqlite3_finalize(s);
	(void)state;
}

static void test_wall(void **state)
{
	/* No meta: NULL.  With an offset: UTC with nanoseconds. */
	sqlite3_exec(db, "CREATE TABLE meta(key, value)", NULL, NULL, NULL);
	assert_string_equal(one("SELECT wall(5)"), "NULL");

	sqlite3 *other;
	assert_int_equal(sqlite3_open(":memory:", &other), SQLITE_OK);
	assert_int_equal(sqlfn_register(other), SQLITE_OK);
	sqlite3_exec(other, "CREATE TABLE meta(key, value); INSERT INTO meta "
		     "VALUES('clock_offset_ns', 1764000000000000000)", NULL,
		     NULL, NULL);
	sqlite3 *keep = db;
	db = other;
	assert_string_equal(one("SELECT wall(123456789)"),
			    "2025-11-24T16:00:00.123456789Z");
	/* extremes: the sum passes int64's range, the answer does not
	 * (values from Python's datetime) */
	assert_string_equal(one("SELECT wall(9223372036854775807)"),
			    "2318-03-06T15:47:16.854775807Z");
	assert_string_equal(one("SELECT wall(-9223372036854775808)"),
			    "1733-08-15T16:12:43.145224192Z");
	assert_string_equal(one("SELECT wall(-1)"),
			    "2025-11-24T15:59:59.999999999Z");
	db = keep;
	sqlite3_close(other);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errno_name),
		cmocka_unit_test(test_errno_label),
		cmocka_unit_test(test_fmt_dur),
		cmocka_unit_test(test_log2_bucket),
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_wall),
	};

	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlfn_register(db) != SQLITE_OK)
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	sqlite3_close(db);
	return rc;
}
