/*
 * test-redact.c - redaction at record time (record/redact.c): the WHAT
 * list, each category on the shapes the recorder stores, patterns over
 * text and bytes, growth past the buffer, compile errors that do not
 * repeat the pattern, the meta description, the options.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "record/record.h"
#include "record/redact.h"

static struct redact *make(unsigned what, const char *p1, const char *p2)
{
	const char *pats[2] = { p1, p2 };
	char err[256];
	struct redact *r = redact_new(what, pats, p2 ? 2 : p1 ? 1 : 0, err,
				      sizeof(err));

	assert_non_null(r);
	return r;
}

/* Apply R's WHAT to the text S (with '|' standing for NUL) in a buffer of
 * CAP bytes; the result with NULs shown as '|' again. */
static const char *run(struct redact *r, unsigned what, const char *s,
		       size_t cap)
{
	static char buf[1024];
	size_t len = strlen(s);

	assert_true(cap <= sizeof(buf) && len < cap);
	memcpy(buf, s, len);
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '|')
			buf[i] = 0;
	len = redact_apply(r, what, buf, len, cap);
	assert_true(len < cap);
	assert_int_equal(buf[len], 0);
	for (size_t i = 0; i < len; i++)
		if (!buf[i])
			buf[i] = '|';
	return buf;
}

static void test_parse_what(void **state)
{
	unsigned w;

	(void)state;
	assert_int_equal(redact_parse_what("argv", &w), 0);
	assert_int_equal(w, REDACT_ARGV);
	assert_int_equal(redact_parse_what("paths,addrs,env", &w), 0);
	assert_int_equal(w, REDACT_PATHS | REDACT_ADDRS | REDACT_ENV);
	assert_int_equal(redact_parse_what("all", &w), 0);
	assert_int_equal(w, REDACT_ALL);
	assert_int_equal(redact_parse_what("payload,argv", &w), 0);
	assert_int_equal(w, REDACT_PAYLOAD | REDACT_ARGV);
	assert_int_equal(redact_parse_what("", &w), -1);
	assert_int_equal(redact_parse_what("argv,", &w), -1);
	assert_int_equal(redact_parse_what("argv,,env", &w), -1);
	assert_int_equal(redact_parse_what("arg", &w), -1);
	assert_int_equal(redact_parse_what("argvs", &w), -1);
	assert_int_equal(redact_parse_what("path", &w), -1);
}

static void test_argv_env(void **state)
{
	struct redact *r = make(REDACT_ARGV | REDACT_ENV, NULL, NULL);
	struct redact *e = make(REDACT_ENV, NULL, NULL);

	(void)state;
	assert_string_equal(run(r, REDACT_ARGV, "curl|-H|token: s3cr3t", 64),
			    "curl|[redacted]");
	assert_string_equal(run(r, REDACT_ARGV, "sleep", 64), "sleep");
	assert_string_equal(run(r, REDACT_ARGV, "sleep|", 64), "sleep|");
	assert_string_equal(run(r, REDACT_ARGV | REDACT_ENV,
				"A=b|x|y", 64), "A=[redacted]|[redacted]");
	/* env alone: values of NAME=VALUE words, the rest kept */
	assert_string_equal(run(e, REDACT_ENV | REDACT_ARGV,
				"env|TOKEN=s3 cr3t|--pass=x|-Dk.v=1|run|a=|=v",
				128),
			    "env|TOKEN=[redacted]|--pass=[redacted]|"
			    "-Dk.v=[redacted]|run|a=|=v");
	assert_string_equal(run(e, REDACT_ENV, "x|http://h/?a=b", 64),
			    "x|http://h/?a=b");
	/* a category not asked for is not applied */
	assert_string_equal(run(e, REDACT_PATHS, "/etc/passwd", 64),
			    "/etc/passwd");
	redact_free(r);
	redact_free(e);
}

/* Each category on the shapes the recorder stores it in. */
static void test_shapes(void **state)
{
	static const struct {
		unsigned what;
		const char *in, *out;
	} cases[] = {
		{ REDACT_PATHS, "/home/alice/.ssh/id_rsa", "/home/[redacted]" },
		{ REDACT_PATHS, "/s3cr3t", "/[redacted]" },
		{ REDACT_PATHS, "notes/s3cr3t.txt", "[redacted]" },
		{ REDACT_PATHS, "/", "/" },
		{ REDACT_PATHS, "/tmp/", "/tmp/" },
		{ REDACT_PATHS, "", "" },
		{ REDACT_ADDRS, "10.1.2.3:443", "[redacted]:443" },
		{ REDACT_ADDRS, "[fe80::1]:53", "[redacted]:53" },
		{ REDACT_ADDRS, "10.1.2.3", "[redacted]" },
		{ REDACT_ADDRS, "::1", "[redacted]" },
		{ REDACT_ADDRS, "unix:/run/s3cr3t.sock", "unix:[redacted]" },
		{ REDACT_ADDRS, "unix:@abstract", "unix:[redacted]" },
		{ REDACT_ADDRS, "family:16", "family:16" },
		{ REDACT_ADDRS, "tcp 127.0.0.1:40000->10.9.8.7:5432",
		  "tcp [redacted]:40000->[redacted]:5432" },
		{ REDACT_ADDRS, "tcp [::1]:80", "tcp [redacted]:80" },
		{ REDACT_ADDRS, "udp 1.2.3.4:53->[::2]:9",
		  "udp [redacted]:53->[redacted]:9" },
		{ REDACT_ADDRS, "tcp", "tcp" },
	};
	struct redact *r = make(REDACT_PATHS | REDACT_ADDRS, NULL, NULL);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_string_equal(run(r, cases[i].what, cases[i].in, 64),
				    cases[i].out);
	redact_free(r);
}

static void test_name_kind(void **state)
{
	(void)state;
	assert_int_equal(redact_name_kind("/etc/hosts"), REDACT_PATHS);
	assert_int_equal(redact_name_kind("tcp 1.2.3.4:5"), REDACT_ADDRS);
	assert_int_equal(redact_name_kind("udp"), REDACT_ADDRS);
	assert_int_equal(redact_name_kind("unix:/x"), REDACT_ADDRS);
	assert_int_equal(redact_name_kind("pipe:[12]"), 0);
	assert_int_equal(redact_name_kind("tcpx"), 0);
	assert_int_equal(redact_name_kind("anon_inode:[eventfd]"), 0);
}

static void test_patterns(void **state)
{
	struct redact *r = make(0, "sk_live_[A-Za-z0-9]+", "pass(word)?");
	struct redact *a = make(0, "^/tmp", "x*");

	(void)state;
	assert_string_equal(run(r, 0, "key=sk_live_abc123 and sk_live_Z", 128),
			    "key=[redacted] and [redacted]");
	assert_string_equal(run(r, REDACT_PATHS, "/p/password/passes", 64),
			    "/p/[redacted]/[redacted]es");
	/* anchors hold at the text's start only; empty matches do nothing */
	assert_string_equal(run(a, 0, "/tmp/tmp", 64), "[redacted]/tmp");
	assert_string_equal(run(a, 0, "abc", 64), "abc");
	assert_string_equal(run(a, 0, "axxb", 64), "a[redacted]b");
	/* patterns run on text no category touches, and after categories */
	assert_int_equal(redact_active(r, 0), 1);
	assert_int_equal(redact_active(NULL, REDACT_ALL), 0);
	redact_free(r);
	redact_free(a);
}

static void test_payload_bytes(void **state)
{
	struct redact *r = make(0, "tok=[0-9]+", NULL);
	struct redact *p = make(REDACT_PAYLOAD, NULL, NULL);
	char buf[64] = "\0\1tok=42\0tok=7\xff";
	size_t len = 15;

	(void)state;
	len = redact_apply(r, REDACT_PAYLOAD, buf, len, sizeof(buf));
	assert_int_equal(len, 2 + 10 + 1 + 10 + 1);
	assert_memory_equal(buf, "\0\1[redacted]\0[redacted]\xff", len);
	/* the category replaces the bytes whole; text is left to others */
	len = redact_apply(p, REDACT_PAYLOAD, buf, len, sizeof(buf));
	assert_int_equal(len, REDACT_MARK_LEN);
	assert_memory_equal(buf, REDACT_MARK, len);
	assert_int_equal(redact_apply(p, REDACT_PAYLOAD, buf, 0, 1), 0);
	assert_string_equal(run(p, 0, "kept", 16), "kept");
	assert_int_equal(redact_active(p, REDACT_PAYLOAD), 1);
	assert_int_equal(redact_active(p, REDACT_PATHS), 0);
	redact_free(r);
	redact_free(p);
}

/* Growth past the buffer: what does not fit goes, the marker stays
 * whole, nothing of a match survives. */
static void test_cut(void **state)
{
	struct redact *r = make(REDACT_PATHS, "s", NULL);

	(void)state;
	assert_string_equal(run(r, 0, "asbsc", 16), "a[red[redacted]");
	assert_string_equal(run(r, 0, "abcdefghijks", 16), "abcde[redacted]");
	assert_string_equal(run(r, 0, "s", 11), "[redacted]");
	assert_string_equal(run(r, 0, "s", 8), "");
	/* a comm buffer (16 bytes) */
	assert_string_equal(run(r, REDACT_PATHS, "/a/ss", 16), "/a/[redacted]");
	redact_free(r);
}

static void test_compile_error(void **state)
{
	const char *pats[] = { "ok", "s3cr3t(", "fine" };
	char err[256] = "";

	(void)state;
	errno = 0;
	assert_null(redact_new(0, pats, 3, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "--redact-pattern #2"));
	assert_null(strstr(err, "s3cr3t"));
	assert_null(strchr(err, '\n'));
}

static void test_describe(void **state)
{
	struct redact *a = make(REDACT_ARGV | REDACT_PATHS, "x", "y");
	struct redact *b = make(0, "x", NULL);
	struct redact *c = make(REDACT_ALL, NULL, NULL);
	char buf[128];

	(void)state;
	redact_describe(a, buf, sizeof(buf));
	assert_string_equal(buf, "argv,paths; 2 patterns");
	redact_describe(b, buf, sizeof(buf));
	assert_string_equal(buf, "1 pattern");
	assert_int_equal(redact_describe(c, buf, sizeof(buf)),
			 (int)strlen("argv,env,paths,addrs,payload"));
	assert_string_equal(buf, "argv,env,paths,addrs,payload");
	assert_int_equal(redact_describe(c, buf, 5), 28);
	assert_string_equal(buf, "argv");
	redact_free(a);
	redact_free(b);
	redact_free(c);
}

/* --redact and --redact-pattern (options.c): the patterns are kept as
 * pointers into argv, which is how meta `options` finds their text. */
static void test_options(void **state)
{
	char a0[] = "record", a1[] = "--redact", a2[] = "argv,paths";
	char a3[] = "--redact-pattern", a4[] = "a+";
	char a5[] = "--redact-pattern=b(c)", a6[] = "--", a7[] = "cmd";
	char *ok[] = { a0, a1, a2, a3, a4, a5, a6, a7, NULL };
	char b1[] = "--redact", b2[] = "argv,nothing";
	char *bad[] = { a0, b1, b2, NULL };
	struct rec_opts o;
	char err[256];

	(void)state;
	assert_int_equal(rec_opts_parse(8, ok, &o, err, sizeof(err)), 0);
	assert_int_equal(o.redact, REDACT_ARGV | REDACT_PATHS);
	assert_int_equal(o.nredact_pats, 2);
	assert_ptr_equal(o.redact_pats[0], a4);
	assert_ptr_equal(o.redact_pats[1], a5 + strlen("--redact-pattern="));
	assert_ptr_equal(o.cmd, ok + 7);
	rec_opts_free(&o);
	assert_int_equal(rec_opts_parse(3, bad, &o, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "'argv,nothing'"));
	assert_non_null(strstr(err, "argv,env,paths,addrs,payload,all"));
	rec_opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_what),
		cmocka_unit_test(test_argv_env),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_name_kind),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_payload_bytes),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_compile_error),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
