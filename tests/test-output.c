/*
 * test-output.c - the result-set printer (analyze/output/output.c).
 *
 * Awkward values (commas, quotes, newlines, control characters, unicode,
 * invalid UTF-8, NULL, the empty string, extreme integers, reals, blobs)
 * are printed as CSV and JSON and read back with strict parsers
 * (textparse.c), then compared field by field with what SQLite holds.
 * The table format is compared with exact expected text.  Also: several
 * result sets, a step that fails half way, and a closed pipe.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyze/output/output.h"
#include "analyze/replay/evbuf.h"
#include "tests/textparse.h"

/* Each case is one row: an SQL expression, and for JSON the bytes a
 * reader must get back when they differ from the stored text. */
struct awkward {
	const char *sql;
	const char *json_text; /* NULL: same bytes as stored */
	size_t json_len;
};

static const struct awkward cases[] = {
	{ .sql = "'plain'" },
	{ .sql = "'comma, inside'" },
	{ .sql = "'quote \" inside'" },
	{ .sql = "'\"'" },
	{ .sql = "'line1' || char(10) || 'line2'" },
	{ .sql = "'crlf' || char(13) || char(10) || 'x'" },
	{ .sql = "'tab' || char(9) || 'x' || char(8) || char(12)" },
	{ .sql = "'ctl' || char(1) || char(31) || char(127)" },
	{ .sql = "'h' || char(233) || 'llo ' || char(26085, 26412) || ' ' || "
	  "char(128512)" },
	{ .sql = "'sep' || char(8232) || char(8233)" },
	{ .sql = "''" },
	{ .sql = "'NULL'" },
	{ .sql = "' leading and trailing '" },
	/* invalid UTF-8 reads back as U+FFFD */
	{ .sql = "CAST(x'ff41c3' AS TEXT)",
	  .json_text = "\xef\xbf\xbd" "A\xef\xbf\xbd", .json_len = 7 },
	/* U+D7C0 is fine, the encoded surrogate after it is not */
	{ .sql = "CAST(x'ed9f80eda080' AS TEXT)",
	  .json_text = "\xed\x9f\x80\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	  .json_len = 12 },
	{ .sql = "CAST(x'610062' AS TEXT)" },      /* a NUL inside */
	{ .sql = "NULL" },
	{ .sql = "9223372036854775807" },
	{ .sql = "-9223372036854775807 - 1" },
	{ .sql = "0" },
	{ .sql = "-1" },
	{ .sql = "0.1" },
	{ .sql = "-2.5e-300" },
	{ .sql = "1e300" },
	{ .sql = "2.0" },
	{ .sql = "1.0/3" },
	{ .sql = "1e999" },
	{ .sql = "-1e999" },
	{ .sql = "x'00ff10'" },
	{ .sql = "x''" },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))
#define VCOL "odd, \"col\""
#define VCOL_SQL "\"odd, \"\"col\"\"\""

static sqlite3 *awkward_db(void)
{
	sqlite3 *db;
	char sql[512];

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(id INTEGER, "
				      "\"odd, \"\"col\"\"\")", NULL, NULL,
				      NULL), SQLITE_OK);
	for (size_t i = 0; i < NCASES; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO t VALUES(%zu, %s)", i,
			 cases[i].sql);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	}
	return db;
}

/* Print SQL over DB in FMT; returns the text (malloc'd) and its length. */
static char *print_sql(sqlite3 *db, enum output_format fmt, const char *sql,
		       const struct output_opts *opts, size_t *len, int *rc)
{
	char *text = NULL;
	FILE *m = open_memstream(&text, len);
	struct output *o;
	sqlite3_stmt *st;
	const char *tail = sql;

	assert_non_null(m);
	o = output_open(m, fmt, opts);
	assert_non_null(o);
	*rc = 0;
	while (*tail && *rc == 0) {
		assert_int_equal(sqlite3_prepare_v2(db, tail, -1, &st, &tail),
				 SQLITE_OK);
		if (!st)
			break;
		*rc = output_stmt_print(o, st);
		sqlite3_finalize(st);
	}
	output_close(o);
	assert_int_equal(fclose(m), 0);
	return text;
}

static void hex(char *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

static void test_csv_roundtrip(void **state)
{
	sqlite3 *db = awkward_db();
	sqlite3_stmt *st;
	size_t len;
	int rc;
	char *text = print_sql(db, OUTPUT_FORMAT_CSV,
			       "SELECT id, " VCOL_SQL " FROM t ORDER BY id",
			       NULL, &len, &rc);
	struct csv_doc *d;

	assert_int_equal(rc, 0);
	d = csv_parse(text, len);
	assert_non_null(d);
	assert_int_equal(d->nrows, NCASES + 1);
	assert_int_equal(d->rows[0].nfields, 2);
	assert_string_equal(d->rows[0].fields[0].s, "id");
	assert_string_equal(d->rows[0].fields[1].s, "odd, \"col\"");

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, " VCOL_SQL " "
					    "FROM t ORDER BY id", -1, &st,
					    NULL), SQLITE_OK);
	for (size_t r = 1; r <= NCASES; r++) {
		struct csv_row *row = &d->rows[r];
		struct csv_field *f;
		char want[256];

		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(row->nfields, 2);
		snprintf(want, sizeof(want), "%zu", r - 1);
		assert_string_equal(row->fields[0].s, want);
		f = &row->fields[1];
		switch (sqlite3_column_type(st, 1)) {
		case SQLITE_NULL:
			assert_int_equal(f->n, 0);
			assert_false(f->quoted);
			break;
		case SQLITE_INTEGER:
			snprintf(want, sizeof(want), "%lld",
				 (long long)sqlite3_column_int64(st, 1));
			assert_string_equal(f->s, want);
			break;
		case SQLITE_FLOAT: {
			double v = sqlite3_column_double(st, 1);
			if (isinf(v))
				assert_string_equal(f->s, v > 0 ? "Inf" : "-Inf");
			else
				assert_true(strtod(f->s, NULL) == v);
			assert_non_null(strpbrk(f->s, ".eEI"));
			break;
		}
		case SQLITE_TEXT: {
			const char *v = (const char *)sqlite3_column_text(st, 1);
			size_t n = sqlite3_column_bytes(st, 1);
			assert_int_equal(f->n, n);
			assert_memory_equal(f->s, v, n);
			if (n == 0)
				assert_true(f->quoted); /* "" is not NULL */
			break;
		}
		case SQLITE_BLOB:
			hex(want, sqlite3_column_blob(st, 1),
			    sqlite3_column_bytes(st, 1));
			assert_string_equal(f->s, want);
			break;
		}
	}
	sqlite3_finalize(st);
	csv_free(d);
	free(text);
	sqlite3_close(db);
}

static void test_json_roundtrip(void **state)
{
	sqlite3 *db = awkward_db();
	sqlite3_stmt *st;
	size_t len;
	int rc;
	char *text = print_sql(db, OUTPUT_FORMAT_JSON,
			       "SELECT id, " VCOL_SQL " FROM t ORDER BY id",
			       NULL, &len, &rc);
	struct jv *a;

	assert_int_equal(rc, 0);
	a = json_parse(text, len, NULL);
	assert_non_null(a);
	assert_int_equal(a->type, JV_ARRAY);
	assert_int_equal(a->nitems, NCASES);
	/* U+2028 and U+2029 are escaped, not passed through */
	assert_non_null(strstr(text, "sep\\u2028\\u2029"));

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, " VCOL_SQL " "
					    "FROM t ORDER BY id", -1, &st,
					    NULL), SQLITE_OK);
	for (size_t r = 0; r < NCASES; r++) {
		struct jv *o = a->items[r], *id, *v;
		char want[256];

		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(o->type, JV_OBJECT);
		assert_int_equal(o->nitems, 2);
		id = json_get(o, "id");
		v = json_get(o, VCOL);
		assert_non_null(id);
		assert_non_null(v);
		assert_int_equal(id->type, JV_NUMBER);
		assert_int_equal(strtoll(id->s, NULL, 10), (long long)r);
		switch (sqlite3_column_type(st, 1)) {
		case SQLITE_NULL:
			assert_int_equal(v->type, JV_NULL);
			break;
		case SQLITE_INTEGER:
			assert_int_equal(v->type, JV_NUMBER);
			assert_null(strpbrk(v->s, ".eE"));
			errno = 0;
			assert_true(strtoll(v->s, NULL, 10) ==
				    sqlite3_column_int64(st, 1));
			assert_int_equal(errno, 0);
			break;
		case SQLITE_FLOAT: {
			double d = sqlite3_column_double(st, 1);
			if (!isfinite(d)) {
				assert_int_equal(v->type, JV_NULL);
				break;
			}
			assert_int_equal(v->type, JV_NUMBER);
			assert_non_null(strpbrk(v->s, ".eE"));
			assert_true(strtod(v->s, NULL) == d);
			break;
		}
		case SQLITE_TEXT: {
			const char *t = cases[r].json_text;
			size_t n = cases[r].json_len;
			if (!t) {
				t = (const char *)sqlite3_column_text(st, 1);
				n = sqlite3_column_bytes(st, 1);
			}
			assert_int_equal(v->type, JV_STRING);
			assert_int_equal(v->n, n);
			assert_memory_equal(v->s, t, n);
			break;
		}
		case SQLITE_BLOB:
			hex(want, sqlite3_column_blob(st, 1),
			    sqlite3_column_bytes(st, 1));
			assert_int_equal(v->type, JV_STRING);
			assert_string_equal(v->s, want);
			break;
		}
	}
	sqlite3_finalize(st);
	jv_free(a);
	free(text);
	sqlite3_close(db);
}

static void test_json_empty_and_sets(void **state)
{
	sqlite3 *db;
	size_t len, end;
	int rc;
	char *text;
	struct jv *v;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	text = print_sql(db, OUTPUT_FORMAT_JSON,
			 "SELECT 1 AS a WHERE 0; SELECT 1 AS a, 'x' AS b "
			 "UNION ALL SELECT 2, NULL", NULL, &len, &rc);
	assert_int_equal(rc, 0);
	v = json_parse(text, len, &end);
	assert_non_null(v);
	assert_int_equal(v->type, JV_ARRAY);
	assert_int_equal(v->nitems, 0);
	jv_free(v);
	v = json_parse(text + end, len - end, NULL);
	assert_non_null(v);
	assert_int_equal(v->nitems, 2);
	assert_string_equal(json_get(v->items[1], "a")->s, "2");
	assert_int_equal(json_get(v->items[1], "b")->type, JV_NULL);
	assert_string_equal(json_get(v->items[0], "b")->s, "x");
	jv_free(v);
	free(text);
	sqlite3_close(db);
}

static void test_csv_sets(void **state)
{
	sqlite3 *db;
	size_t len;
	int rc;
	char *text;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	text = print_sql(db, OUTPUT_FORMAT_CSV,
			 "SELECT 1 AS a, 'x,y' AS b; SELECT 2.5 AS c", NULL,
			 &len, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text, "a,b\r\n1,\"x,y\"\r\n\r\nc\r\n2.5\r\n");
	free(text);
	sqlite3_close(db);
}

static void test_table_exact(void **state)
{
	sqlite3 *db;
	size_t len;
	int rc;
	char *text;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	text = print_sql(db, OUTPUT_FORMAT_TABLE,
			 "SELECT 1 AS n, 'a' AS s, NULL AS x "
			 "UNION ALL SELECT 22, 'bbb', 2.5", NULL, &len, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text,
			    " n  s       x\n"
			    "--  ---  ----\n"
			    " 1  a    NULL\n"
			    "22  bbb   2.5\n");
	free(text);

	/* escapes; wide characters take two columns */
	text = print_sql(db, OUTPUT_FORMAT_TABLE,
			 "SELECT 'a' || char(10) || 'b' AS s, 1 AS n "
			 "UNION ALL SELECT char(26085, 26412), 2 "
			 "UNION ALL SELECT CAST(x'ff09' AS TEXT), 3 "
			 "UNION ALL SELECT x'0aff', 4",
			 NULL, &len, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text,
			    "s        n\n"
			    "-------  -\n"
			    "a\\nb     1\n"
			    "\xe6\x97\xa5\xe6\x9c\xac     2\n"
			    "\\xff\\t   3\n"
			    "x'0aff'  4\n");
	free(text);

	/* terminal controls: C1 CSI (U+009B, c2 9b), ESC, BEL, a lone 0x9b
	 * byte are escaped in a table; JSON writes \u escapes, CSV the
	 * bytes as they are */
	text = print_sql(db, OUTPUT_FORMAT_TABLE,
			 "SELECT 'a' || char(155) || '2J' || char(27) || ']0;t' "
			 "|| char(7) || CAST(x'9b' AS TEXT) AS s", NULL, &len,
			 &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text,
			    "s\n"
			    "---------------------------\n"
			    "a\\xc2\\x9b2J\\x1b]0;t\\x07\\x9b\n");
	free(text);
	text = print_sql(db, OUTPUT_FORMAT_JSON,
			 "SELECT 'a' || char(155) || char(27) AS s", NULL, &len,
			 &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(text, "\"a\\u009b\\u001b\""));
	free(text);
	text = print_sql(db, OUTPUT_FORMAT_CSV,
			 "SELECT 'a' || char(155) || char(27) AS s", NULL, &len,
			 &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text, "s\r\na\xc2\x9b\x1b\r\n");
	free(text);

	/* a result with no rows still shows its columns */
	text = print_sql(db, OUTPUT_FORMAT_TABLE,
			 "SELECT 1 AS alpha, 2 AS b WHERE 0", NULL, &len, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(text, "alpha  b\n-----  -\n");
	free(text);
	sqlite3_close(db);
}

static void test_table_streams_after_buffer(void **state)
{
	struct output_opts opts = { .table_rows = 2 };
	sqlite3 *db;
	size_t len;
	int rc;
	char *text;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	text = print_sql(db, OUTPUT_FORMAT_TABLE,
			 "SELECT 'a' AS s, 1 AS n UNION ALL SELECT 'b', 2 "
			 "UNION ALL SELECT 'cccccc', 3 "
			 "UNION ALL SELECT NULL, 4 "
			 "UNION ALL SELECT 'd' || char(10, 233), 5.5 "
			 "UNION ALL SELECT x'ff', 6", &opts, &len, &rc);
	assert_int_equal(rc, 0);
	/* widths come from the first two rows; later ones are not cut */
	assert_string_equal(text,
			    "s  n\n"
			    "-  -\n"
			    "a  1\n"
			    "b  2\n"
			    "cccccc  3\n"
			    "NULL  4\n"
			    "d\\n\xc3\xa9  5.5\n"
			    "x'ff'  6\n");
	free(text);
	sqlite3_close(db);
}

static void test_rows_api(void **state)
{
	char *text = NULL;
	size_t len;
	FILE *m = open_memstream(&text, &len);
	struct output *o = output_open(m, OUTPUT_FORMAT_CSV, NULL);
	const char *names[] = { "name", "count", "ratio" };

	assert_non_null(o);
	assert_int_equal(output_begin(o, 3, names), 0);
	assert_int_equal(output_row(o, (struct output_cell[]){
			 OUTPUT_TEXT("read"), OUTPUT_INT(42),
			 OUTPUT_REAL(0.5) }), 0);
	assert_int_equal(output_row(o, (struct output_cell[]){
			 OUTPUT_TEXT("a\"b"), OUTPUT_NULL,
			 OUTPUT_REAL(3) }), 0);
	assert_int_equal(output_end(o), 0);
	output_close(o);
	fclose(m);
	assert_string_equal(text, "name,count,ratio\r\nread,42,0.5\r\n"
			    "\"a\"\"b\",,3.0\r\n");
	free(text);
}

static void test_step_error_midway(void **state)
{
	static const char *sql =
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
		"FROM c LIMIT 5) SELECT CASE WHEN x < 4 THEN x ELSE "
		"abs(-9223372036854775807 - 1) END AS v FROM c";
	sqlite3 *db;
	sqlite3_stmt *st;
	char *text = NULL;
	size_t len;
	FILE *m = open_memstream(&text, &len);
	struct output *o = output_open(m, OUTPUT_FORMAT_JSON, NULL);
	struct jv *a;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(output_stmt_print(o, st), -EBADMSG);
	assert_non_null(strstr(output_errmsg(o), "integer overflow"));
	sqlite3_finalize(st);
	output_close(o);
	fclose(m);
	/* the rows before the error, in a well-formed array */
	a = json_parse(text, len, NULL);
	assert_non_null(a);
	assert_int_equal(a->nitems, 3);
	jv_free(a);
	free(text);
	sqlite3_close(db);
}

static void test_closed_pipe(void **state)
{
	int fds[2];
	FILE *w;
	struct output *o;
	const char *names[] = { "x", "text" };
	long i;
	int rc = 0;
	sqlite3 *db;
	sqlite3_stmt *st;

	signal(SIGPIPE, SIG_IGN);
	for (int fmt = 0; fmt < 3; fmt++) {
		assert_int_equal(pipe(fds), 0);
		close(fds[0]);
		w = fdopen(fds[1], "w");
		assert_non_null(w);
		o = output_open(w, fmt, NULL);
		assert_int_equal(output_begin(o, 2, names), 0);
		for (i = 0; i < 1000000; i++) {
			rc = output_row(o, (struct output_cell[]){
					OUTPUT_INT(i),
					OUTPUT_TEXT("some text, to fill") });
			if (rc < 0)
				break;
		}
		/* the table buffers its first 1000 rows before writing */
		if (fmt != OUTPUT_FORMAT_TABLE) {
			assert_int_equal(rc, -EPIPE);
			assert_true(i < 10000);
		}
		assert_int_equal(output_end(o), -EPIPE);
		assert_non_null(strstr(output_errmsg(o), "Broken pipe"));
		output_close(o);
		fclose(w);
	}

	/* a statement stops stepping as soon as the write fails */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			 "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT "
			 "x + 1 FROM c) SELECT x FROM c", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	w = fdopen(fds[1], "w");
	o = output_open(w, OUTPUT_FORMAT_CSV, NULL);
	assert_int_equal(output_stmt_print(o, st), -EPIPE); /* not forever */
	output_close(o);
	fclose(w);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_format_names(void **state)
{
	enum output_format f;

	assert_int_equal(output_format_parse("table", &f), 0);
	assert_int_equal(f, OUTPUT_FORMAT_TABLE);
	f = OUTPUT_FORMAT_JSON;
	assert_int_equal(output_format_parse("text", &f), 0);
	assert_int_equal(f, OUTPUT_FORMAT_TABLE);
	assert_int_equal(output_format_parse("csv", &f), 0);
	assert_int_equal(f, OUTPUT_FORMAT_CSV);
	assert_int_equal(output_format_parse("json", &f), 0);
	assert_int_equal(f, OUTPUT_FORMAT_JSON);
	assert_int_equal(output_format_parse("xml", &f), -EINVAL);
	assert_int_equal(output_format_parse("", &f), -EINVAL);
	assert_string_equal(output_format_name(OUTPUT_FORMAT_JSON), "json");
}

static void test_real_format(void **state)
{
	char buf[64];

	output_real_format(buf, sizeof(buf), 0.1);
	assert_string_equal(buf, "0.1");
	output_real_format(buf, sizeof(buf), 2);
	assert_string_equal(buf, "2.0");
	output_real_format(buf, sizeof(buf), 1e300);
	assert_string_equal(buf, "1e+300");
	output_real_format(buf, sizeof(buf), 1.0 / 3);
	assert_true(strtod(buf, NULL) == 1.0 / 3);
	output_real_format(buf, sizeof(buf), -INFINITY);
	assert_string_equal(buf, "-Inf");
}

/* The JSON strings of the result-set printer (output_json_string: tables,
 * report headers, info) and of the event writer (evbuf_add_json: replay
 * and export) are the same bytes for the same text, parse back to it
 * (invalid UTF-8 as U+FFFD) and carry no character a terminal or a
 * JavaScript parser must not get raw: C0 controls, DEL, C1 controls,
 * U+2028 and U+2029. */
static void test_json_escapers_agree(void **state)
{
	static const struct {
		const char *in, *back; /* BACK: NULL when the same as IN */
	} texts[] = {
		{ "plain /usr/bin/cc", NULL },
		{ "", NULL },
		{ "quote \" backslash \\ slash /", NULL },
		{ "\n\r\t\b\f\x01\x1f", NULL },
		{ "del\x7f" "end", NULL },
		{ "ls\xe2\x80\xa8" "sep\xe2\x80\xa9", NULL },
		{ "csi\xc2\x9b" "2J \x1b[0m", NULL },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", NULL },
		{ "bad\xff" "x\xc3", "bad\xef\xbf\xbd" "x\xef\xbf\xbd" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *in = texts[i].in;
		const char *back = texts[i].back ? texts[i].back : in;
		struct evbuf b = EVBUF_INIT;
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);
		struct jv *v;

		assert_non_null(m);
		output_json_string(m, in, strlen(in));
		assert_int_equal(fclose(m), 0);
		evbuf_add_json(&b, in);
		assert_false(b.oom);
		assert_string_equal(b.p, text);

		v = json_parse(text, len, NULL);
		assert_non_null(v);
		assert_int_equal(v->type, JV_STRING);
		assert_string_equal(v->s, back);
		jv_free(v);
		for (size_t k = 0; k < len; k++) {
			unsigned char c = (unsigned char)text[k];

			assert_true(c >= 0x20 && c != 0x7f);
			if (c == 0xc2 && k + 1 < len)
				assert_false((unsigned char)text[k + 1] < 0xa0);
			if (c == 0xe2 && k + 2 < len &&
			    (unsigned char)text[k + 1] == 0x80)
				assert_false((text[k + 2] & 0xfe) == (char)0xa8);
		}
		free(text);
		evbuf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_roundtrip),
		cmocka_unit_test(test_json_roundtrip),
		cmocka_unit_test(test_json_empty_and_sets),
		cmocka_unit_test(test_json_escapers_agree),
		cmocka_unit_test(test_csv_sets),
		cmocka_unit_test(test_table_exact),
		cmocka_unit_test(test_table_streams_after_buffer),
		cmocka_unit_test(test_rows_api),
		cmocka_unit_test(test_step_error_midway),
		cmocka_unit_test(test_closed_pipe),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_real_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
