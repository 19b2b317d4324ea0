/*
 * test-cmdopt.c - unit tests for cmdopt.c, the commands' option parsing, and
 * for textesc_quote, the escape of user input the errors quote.
 *
 *     make check TESTS=tests/test-cmdopt
 *
 * The messages are the ones every command prints (tests/test-badinput.sh
 * and tests/test-man.sh check them through the real binary).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmdopt.h"
#include "analyze/output/textesc.h"

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'F' },
	{ "from", required_argument, NULL, 256 },
	{ "mono", no_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void demo_usage(FILE *fp)
{
	fputs("usage: kscope demo FILE\n", fp);
}

/* Parse ARGV (NULL-terminated) as command "demo" with SHORTOPTS; the
 * options seen, as characters ('F' with its value in VAL), into SEEN. */
static int parse(char **argv, const char *shortopts, struct cmdopt *co,
		 char *seen, const char **val)
{
	int argc = 0, c;

	while (argv[argc])
		argc++;
	*co = (struct cmdopt)CMDOPT_INIT("demo", argc, argv, shortopts,
					 longopts, demo_usage);
	*seen = '\0';
	while ((c = cmdopt_next(co)) != -1) {
		if (c == ':' || c == '?')
			return c;
		if (c == 'F' || c == 256)
			*val = optarg;
		size_t n = strlen(seen);
		seen[n] = c == 256 ? 'f' : (char)c;
		seen[n + 1] = '\0';
	}
	return 0;
}

static void test_options_and_operands(void **state)
{
	char *a[] = { "demo", "t.kscope", "-F", "json", "--mono", "x", NULL };
	char *b[] = { "demo", "--format=csv", "--from", "+1s", "t", NULL };
	char *c[] = { "demo", "-m", "make", "-F", "x", NULL };
	struct cmdopt co;
	const char *val = NULL;
	char seen[16];

	(void)state;
	/* options after the operands too: getopt permutes */
	assert_int_equal(parse(a, "F:mh", &co, seen, &val), 0);
	assert_string_equal(seen, "Fm");
	assert_string_equal(val, "json");
	assert_int_equal(co.ind, 4);
	assert_string_equal(a[co.ind], "t.kscope");
	assert_string_equal(a[co.ind + 1], "x");
	/* a second command in the same process starts afresh */
	assert_int_equal(parse(b, "F:mh", &co, seen, &val), 0);
	assert_string_equal(seen, "Ff");
	assert_string_equal(val, "+1s");
	assert_int_equal(co.ind, 4);
	/* '+': the options end at the first operand (record's CMD) */
	assert_int_equal(parse(c, "+F:mh", &co, seen, &val), 0);
	assert_string_equal(seen, "m");
	assert_int_equal(co.ind, 2);
	assert_string_equal(c[co.ind], "make");
}

static void test_errors(void **state)
{
	char *unknown_long[] = { "demo", "t", "--bogus", NULL };
	char *unknown_short[] = { "demo", "-mZ", "t", NULL };
	char *missing_long[] = { "demo", "t", "--format", NULL };
	char *missing_short[] = { "demo", "t", "-F", NULL };
	char *missing_noshort[] = { "demo", "--from", NULL };
	struct cmdopt co;
	const char *val;
	char seen[16];

	(void)state;
	assert_int_equal(parse(unknown_long, "F:mh", &co, seen, &val), '?');
	assert_string_equal(co.err, "unknown option '--bogus'; see 'kscope "
			    "demo --help'");
	assert_int_equal(parse(unknown_short, "F:mh", &co, seen, &val), '?');
	assert_string_equal(co.err, "unknown option '-Z'; see 'kscope demo "
			    "--help'");
	assert_int_equal(parse(missing_long, "F:mh", &co, seen, &val), ':');
	assert_string_equal(co.err, "--format needs a value; see 'kscope demo "
			    "--help'");
	assert_int_equal(parse(missing_short, "F:mh", &co, seen, &val), ':');
	assert_string_equal(co.err, "-F needs a value; see 'kscope demo "
			    "--help'");
	assert_int_equal(parse(missing_noshort, "+F:mh", &co, seen, &val),
			 ':');
	assert_string_equal(co.err, "--from needs a value; see 'kscope demo "
			    "--help'");
}

/* Standard output or error (FD) into a temporary file, until
 * captured(). */
static FILE *capture(int fd, int *saved)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	fflush(fd == 1 ? stdout : stderr);
	*saved = dup(fd);
	dup2(fileno(f), fd);
	return f;
}

/* What was written to FD since capture(), in OUT (LEN bytes). */
static void captured(int fd, int saved, FILE *f, char *out, size_t len)
{
	size_t n;

	fflush(fd == 1 ? stdout : stderr);
	dup2(saved, fd);
	close(saved);
	rewind(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
}

/* What cmdopt_operands printed on stderr for ARGV and MAX. */
static int operands(char **argv, int max, char *out, size_t len)
{
	struct cmdopt co;
	const char *val;
	char seen[16];
	int saved, rc;
	FILE *f;

	assert_int_equal(parse(argv, "F:mh", &co, seen, &val), 0);
	f = capture(2, &saved);
	rc = cmdopt_operands(&co, max, "too many");
	captured(2, saved, f, out, len);
	return rc;
}

static void test_operands(void **state)
{
	char *none[] = { "demo", "-m", NULL };
	char *one[] = { "demo", "t", NULL };
	char *three[] = { "demo", "t", "u", "v", NULL };
	char out[256];

	(void)state;
	assert_int_equal(operands(none, 1, out, sizeof(out)), 2);
	assert_string_equal(out, "kscope: demo: no trace file given; see "
			    "'kscope demo --help'\n");
	assert_int_equal(operands(one, 1, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(operands(three, 2, out, sizeof(out)), 2);
	assert_string_equal(out, "kscope: demo: too many\n");
	assert_int_equal(operands(three, 3, out, sizeof(out)), 0);
	assert_int_equal(operands(three, 0, out, sizeof(out)), 0);
}

/* -h: the usage on standard output and exit 0; a usage error: one line
 * on standard error and exit 2. */
static void test_exit(void **state)
{
	char *help[] = { "demo", "t", "-h", NULL };
	char *bad[] = { "demo", "--bogus", NULL };
	struct cmdopt co;
	const char *val;
	char seen[16], out[256];
	int saved, c, rc;
	FILE *f;

	(void)state;
	assert_int_equal(parse(help, "F:mh", &co, seen, &val), 0);
	assert_string_equal(seen, "h");
	f = capture(1, &saved);
	rc = cmdopt_exit(&co, 'h');
	captured(1, saved, f, out, sizeof(out));
	assert_int_equal(rc, 0);
	assert_string_equal(out, "usage: kscope demo FILE\n");

	c = parse(bad, "F:mh", &co, seen, &val);
	assert_int_equal(c, '?');
	f = capture(2, &saved);
	rc = cmdopt_exit(&co, c);
	captured(2, saved, f, out, sizeof(out));
	assert_int_equal(rc, 2);
	assert_string_equal(out, "kscope: demo: unknown option '--bogus'; see "
			    "'kscope demo --help'\n");
}

static void test_uint(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(cmdopt_uint("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cmdopt_uint("10", 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(cmdopt_uint("2147483647", INT32_MAX, &v), 0);
	assert_int_equal(v, INT32_MAX);
	assert_int_equal(cmdopt_uint("18446744073709551615", UINT64_MAX, &v),
			 0);
	assert_true(v == UINT64_MAX);
	v = 7;
	assert_int_equal(cmdopt_uint("11", 10, &v), -1);
	assert_int_equal(cmdopt_uint("18446744073709551616", UINT64_MAX, &v),
			 -1);
	assert_int_equal(cmdopt_uint("", 10, &v), -1);
	assert_int_equal(cmdopt_uint("-1", 10, &v), -1);
	assert_int_equal(cmdopt_uint("+1", 10, &v), -1);
	assert_int_equal(cmdopt_uint(" 1", 10, &v), -1);
	assert_int_equal(cmdopt_uint("1x", 10, &v), -1);
	assert_int_equal(cmdopt_uint("abc", 10, &v), -1);
	assert_int_equal(v, 7);
}

/* User input quoted in an error: control characters escaped, a cut
 * marked, a slice of a longer text. */
static void test_quote(void **state)
{
	char b[12], big[TEXTESC_QLEN * 2];

	assert_string_equal(TEXTESC_Q("32046\r"), "32046\\r");
	assert_string_equal(TEXTESC_Q("a\tb\x1b[0m"), "a\\tb\\x1b[0m");
	assert_string_equal(TEXTESC_QN("pid = 1\x1b", 3), "pid");
	assert_string_equal(textesc_quote(b, sizeof(b), "0123456789abc", 13),
			    "01234567...");
	/* an escape is not split by the cut */
	assert_string_equal(textesc_quote(b, sizeof(b), "0123456\x1b", 8),
			    "0123456...");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(strlen(TEXTESC_Q(big)), TEXTESC_QLEN - 1);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_and_operands),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_operands),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
