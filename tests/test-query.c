/*
 * test-query.c - the SQL runner behind `kscope query` (analyze/sql/query.c):
 * statement splitting for SQL given as an argument and read from standard
 * input (one per line, or ';'-separated), errors, and stopping at the
 * first failure.  Runs on an in-memory database; tests/test-query-cmd.sh
 * drives the real binary on a trace.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/sql/query.h"
#include "analyze/sql/sqlguard.h"

#include <unistd.h>

struct run {
	char *text;
	size_t len;
	int rc;
	char err[QUERY_ERRLEN];
};

/* Run TEXT as a script (SCRIPT) or as an argument, printing CSV. */
static void run(sqlite3 *db, const char *text, int script, struct run *r)
{
	FILE *m = open_memstream(&r->text, &r->len);
	struct output *o;

	assert_non_null(m);
	o = output_open(m, OUTPUT_FORMAT_CSV, NULL);
	assert_non_null(o);
	r->rc = script ? query_script_run(db, text, o, r->err, sizeof(r->err))
		       : query_sql_run(db, text, o, r->err, sizeof(r->err));
	output_close(o);
	assert_int_equal(fclose(m), 0);
}

static int setup(void **state)
{
	sqlite3 *db;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	if (sqlite3_exec(db, "CREATE TABLE t(a, b);"
			 "INSERT INTO t VALUES(1, 'x;y'), (2, 'z')",
			 NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	sqlite3_close(*state);
	return 0;
}

static void test_semicolon_detection(void **state)
{
	assert_true(query_text_has_semicolon("SELECT 1;"));
	assert_true(query_text_has_semicolon("SELECT 1; SELECT 2"));
	assert_true(query_text_has_semicolon("SELECT ';'; SELECT 2"));
	assert_false(query_text_has_semicolon("SELECT 1\nSELECT 2\n"));
	assert_false(query_text_has_semicolon("SELECT ';'"));
	assert_false(query_text_has_semicolon("SELECT 'it''s;'"));
	assert_false(query_text_has_semicolon("SELECT \"a;b\" FROM t"));
	assert_false(query_text_has_semicolon("SELECT [a;b], `c;d` FROM t"));
	assert_false(query_text_has_semicolon("SELECT 1 -- no; really\n"));
	assert_false(query_text_has_semicolon("SELECT 1 /* ; */"));
	assert_true(query_text_has_semicolon("SELECT 1 /* ; */;"));
	assert_true(query_text_has_semicolon("SELECT 1 -- x\n;"));
	assert_false(query_text_has_semicolon("SELECT 'unterminated;"));
	assert_false(query_text_has_semicolon(""));
}

static void test_argument_many_statements(void **state)
{
	struct run r = { 0 };

	run(*state, "SELECT a FROM t ORDER BY a; SELECT b FROM t WHERE a = 1",
	    0, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.text, "a\r\n1\r\n2\r\n\r\nb\r\nx;y\r\n");
	free(r.text);
}

static void test_script_lines(void **state)
{
	struct run r = { 0 };

	/* no ';' at all: every line is a statement; blank and comment
	 * lines are nothing; a ';' inside a string does not count */
	run(*state, "SELECT count(*) AS n FROM t\n\n-- a comment\n"
	    "SELECT b FROM t WHERE b = 'x;y'\n", 1, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.text, "n\r\n2\r\n\r\nb\r\nx;y\r\n");
	free(r.text);

	/* no newline at the end */
	run(*state, "SELECT 1 AS one", 1, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.text, "one\r\n1\r\n");
	free(r.text);
}

static void test_script_semicolons(void **state)
{
	struct run r = { 0 };

	/* statements spread over lines, ';'-separated; the last one may
	 * lack its ';' */
	run(*state, "SELECT a\n  FROM t\n  WHERE a = 2;\nSELECT\n 'p;q'\n"
	    "  AS s;  SELECT 3 AS c", 1, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.text,
			    "a\r\n2\r\n\r\ns\r\np;q\r\n\r\nc\r\n3\r\n");
	free(r.text);
}

static void test_errors_stop(void **state)
{
	struct run r = { 0 };

	/* syntax error: the statements before ran, those after did not */
	run(*state, "SELECT 1 AS a;\nSELEC 2;\nSELECT 3 AS c;", 1, &r);
	assert_int_equal(r.rc, -EBADMSG);
	assert_non_null(strstr(r.err, "syntax error"));
	assert_null(strchr(r.err, '\n'));
	assert_string_equal(r.text, "a\r\n1\r\n");
	free(r.text);

	/* line mode, unknown table */
	run(*state, "SELECT 1 AS a\nSELECT * FROM nosuch\nSELECT 3\n", 1, &r);
	assert_int_equal(r.rc, -EBADMSG);
	assert_string_equal(r.err, "no such table: nosuch");
	assert_string_equal(r.text, "a\r\n1\r\n");
	free(r.text);

	/* an error while stepping, not preparing */
	run(*state, "SELECT abs(-9223372036854775807 - 1) AS v", 0, &r);
	assert_int_equal(r.rc, -EBADMSG);
	assert_string_equal(r.err, "integer overflow");
	free(r.text);

	/* incomplete input */
	run(*state, "SELECT (1", 0, &r);
	assert_int_equal(r.rc, -EBADMSG);
	assert_non_null(strstr(r.err, "incomplete input"));
	free(r.text);
}

static void test_empty_input(void **state)
{
	struct run r = { 0 };

	run(*state, "", 1, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, 0);
	free(r.text);
	run(*state, "  \n-- nothing\n;\n", 1, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, 0);
	free(r.text);
}

/* The guard on a writable connection (as the sqlite3 program's after
 * .load): it alone stops writes, ATTACH, VACUUM INTO and settings. */
static void test_guard(void **state)
{
	static const char *const refused[] = {
		"INSERT INTO t VALUES(3, 'w')", "DELETE FROM t",
		"UPDATE t SET a = 9", "DROP TABLE t", "CREATE TABLE u(a)",
		"CREATE TEMP VIEW v AS SELECT 1", "ALTER TABLE t ADD c",
		"ATTACH ':memory:' AS x", "PRAGMA user_version = 3",
		"PRAGMA writable_schema = ON", "ANALYZE", "CREATE INDEX i ON t(a)",
		"SELECT load_extension('x')",
	};
	char copy[] = "/tmp/test-query-guard.XXXXXX", sql[128];
	sqlite3 *db = *state;
	struct run r = { 0 };
	int fd = mkstemp(copy);

	assert_true(fd >= 0);
	close(fd);
	unlink(copy);
	assert_int_equal(sqlguard_install(db), SQLITE_OK);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		run(db, refused[i], 0, &r);
		if (r.rc != -EBADMSG || !strstr(r.err, "not authorized"))
			fail_msg("'%s' ran: %d '%s'", refused[i], r.rc, r.err);
		free(r.text);
	}
	snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", copy);
	run(db, sql, 0, &r);
	assert_int_equal(r.rc, -EBADMSG);
	assert_non_null(strstr(r.err, "(kscope only reads traces"));
	assert_int_equal(access(copy, F_OK), -1);
	free(r.text);
	/* reads, and the PRAGMAs that only read */
	run(db, "SELECT count(*) FROM t; PRAGMA user_version; "
	    "SELECT count(*) FROM pragma_table_info('t'); "
	    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < 3) SELECT sum(i) FROM c", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.text, "count(*)\r\n2\r\n\r\nuser_version\r\n"
			    "0\r\n\r\ncount(*)\r\n2\r\n\r\nsum(i)\r\n6\r\n");
	free(r.text);
	/* nothing changed */
	sqlite3_set_authorizer(db, NULL, NULL);
	run(db, "SELECT count(*), sum(a) FROM t; PRAGMA user_version", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.text, "count(*),sum(a)\r\n2,3\r\n\r\n"
			    "user_version\r\n0\r\n");
	free(r.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semicolon_detection),
		cmocka_unit_test_setup_teardown(test_argument_many_statements,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_script_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_script_semicolons, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors_stop, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_input, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_guard, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
