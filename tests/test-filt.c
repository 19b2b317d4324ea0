/*
 * test-filt.c - the capture filters' user side (record/filter.c, the
 * filt options of record/options.c, bpf/filter.h's keep rule): --syscalls
 * LIST parsing against both arches' tables, groups and exclusions, the
 * errors, --slower-than / --errors-only / --no-errors, --comm names.
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
#include "bpf/filter.h"
#include "store/systab.h"

static int has(const struct rec_filter *f, const char *arch, const char *name)
{
	return rec_filter_has(f, systab_nr(arch, name));
}

static size_t count(const struct rec_filter *f)
{
	size_t n = 0;

	for (int nr = 0; nr < KS_NR_MAX; nr++)
		n += (size_t)rec_filter_has(f, nr);
	return n;
}

static void test_names_groups(void **state)
{
	struct rec_filter f = { 0 };
	char err[256];

	assert_int_equal(rec_filter_syscalls(&f, "read,write", "x86_64", err,
					     sizeof(err)), 0);
	assert_string_equal(f.syscalls, "read,write");
	assert_int_equal(count(&f), 2);
	assert_true(has(&f, "x86_64", "read") && has(&f, "x86_64", "write"));
	assert_false(has(&f, "x86_64", "close"));
	assert_false(rec_filter_has(&f, -1));
	assert_false(rec_filter_has(&f, KS_NR_MAX));

	/* a group, strace's spelling, an exclusion */
	assert_int_equal(rec_filter_syscalls(&f, "%file,!openat", "x86_64",
					     err, sizeof(err)), 0);
	assert_true(has(&f, "x86_64", "open") && has(&f, "x86_64", "stat"));
	assert_true(has(&f, "x86_64", "execve"));
	assert_false(has(&f, "x86_64", "openat"));
	assert_false(has(&f, "x86_64", "read")); /* desc, not file */
	/* the order of items does not matter: exclusions win */
	assert_int_equal(rec_filter_syscalls(&f, "!openat,file", "x86_64",
					     err, sizeof(err)), 0);
	assert_false(has(&f, "x86_64", "openat"));
	assert_true(has(&f, "x86_64", "open"));

	/* net and network; process holds the exits and kill */
	assert_int_equal(rec_filter_syscalls(&f, "network", "x86_64", err,
					     sizeof(err)), 0);
	assert_true(has(&f, "x86_64", "connect") && has(&f, "x86_64", "socket"));
	size_t n = count(&f);
	assert_int_equal(rec_filter_syscalls(&f, "net", "x86_64", err,
					     sizeof(err)), 0);
	assert_int_equal(count(&f), n);
	assert_int_equal(rec_filter_syscalls(&f, "process,memory,ipc,signal",
					     "x86_64", err, sizeof(err)), 0);
	assert_true(has(&f, "x86_64", "exit_group") &&
		    has(&f, "x86_64", "wait4") && has(&f, "x86_64", "mmap") &&
		    has(&f, "x86_64", "semop") &&
		    has(&f, "x86_64", "rt_sigaction"));
	assert_false(has(&f, "x86_64", "read"));

	/* only exclusions: all but them */
	assert_int_equal(rec_filter_syscalls(&f, "!read,!write", "x86_64", err,
					     sizeof(err)), 0);
	assert_false(has(&f, "x86_64", "read") || has(&f, "x86_64", "write"));
	assert_true(has(&f, "x86_64", "getppid") && has(&f, "x86_64", "close"));
	size_t all_but = count(&f);
	assert_int_equal(rec_filter_syscalls(&f, "all", "x86_64", err,
					     sizeof(err)), 0);
	assert_int_equal(count(&f), all_but + 2);
	assert_int_equal(rec_filter_syscalls(&f, "all,!read,!write", "x86_64",
					     err, sizeof(err)), 0);
	assert_int_equal(count(&f), all_but);

	/* arm64: numbers differ, names it lacks are left out of a group */
	assert_int_equal(rec_filter_syscalls(&f, "file", "aarch64", err,
					     sizeof(err)), 0);
	assert_true(has(&f, "aarch64", "openat"));
	assert_int_equal(systab_nr("aarch64", "open"), -1);
	assert_int_equal(rec_filter_syscalls(&f, "read", "aarch64", err,
					     sizeof(err)), 0);
	assert_true(rec_filter_has(&f, 63)); /* read on arm64 */
	assert_false(rec_filter_has(&f, 0));
	rec_filter_free(&f);
}

static void test_list_errors(void **state)
{
	struct rec_filter f = { 0 };
	char err[256];

	assert_int_equal(rec_filter_syscalls(&f, "read,frobnicate", "x86_64",
					     err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown syscall or group 'frobnicate'"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(rec_filter_syscalls(&f, "!%nosuchgroup", "x86_64",
					     err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'%nosuchgroup'"));
	assert_int_equal(rec_filter_syscalls(&f, "open", "aarch64", err,
					     sizeof(err)), -EINVAL);
	assert_int_equal(rec_filter_syscalls(&f, "", "x86_64", err,
					     sizeof(err)), -EINVAL);
	assert_int_equal(rec_filter_syscalls(&f, "read,!read", "x86_64", err,
					     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "selects no call"));
	assert_int_equal(rec_filter_syscalls(&f, "read", "sparc", err,
					     sizeof(err)), -EINVAL);
	assert_null(f.syscalls); /* nothing was taken */
}

static void test_keep_rule(void **state)
{
	struct rec_filter f = { 0 };
	char err[256];

	/* failures are -4095..-1 */
	assert_true(ks_failed(-1) && ks_failed(-4095));
	assert_false(ks_failed(0) || ks_failed(-4096) || ks_failed(12));
	/* no filter: everything */
	assert_true(rec_filter_keep(&f, 0, 0, 0, 1));
	assert_true(rec_filter_keep(&f, 3, 5, -9, 0));
	/* --slower-than 1ms: slow calls, and failed ones */
	f.slower_ns = 1000000;
	assert_false(rec_filter_keep(&f, 0, 999999, 64, 1));
	assert_true(rec_filter_keep(&f, 0, 1000000, 64, 1));
	assert_true(rec_filter_keep(&f, 0, 10, -2, 1));
	assert_false(rec_filter_keep(&f, 0, 10, -2, 0)); /* unfinished */
	assert_true(rec_filter_keep(&f, 0, 2000000, 0, 0));
	/* --no-errors: failed calls only when slow */
	f.errors = KS_ERRORS_NONE;
	assert_false(rec_filter_keep(&f, 0, 10, -2, 1));
	assert_true(rec_filter_keep(&f, 0, 1000000, -2, 1));
	/* --errors-only (with and without --slower-than) */
	f.errors = KS_ERRORS_ONLY;
	assert_false(rec_filter_keep(&f, 0, 10, -2, 1));
	assert_true(rec_filter_keep(&f, 0, 1000000, -2, 1));
	assert_false(rec_filter_keep(&f, 0, 1000000, 0, 1));
	f.slower_ns = 0;
	assert_true(rec_filter_keep(&f, 0, 0, -11, 1));
	assert_false(rec_filter_keep(&f, 0, 0, 7, 1));
	/* and the set first */
	assert_int_equal(rec_filter_syscalls(&f, "write", "x86_64", err,
					     sizeof(err)), 0);
	assert_false(rec_filter_keep(&f, 0, 0, -11, 1));
	assert_true(rec_filter_keep(&f, 1, 0, -11, 1));
}

static void test_options(void **state)
{
	struct rec_opts o;
	char err[256];

	char *a1[] = { "record", "--syscalls", "file,!close", "--slower-than",
		       "10ms", "--comm", "nginx", "--comm",
		       "a-name-longer-than-fifteen", "-d", "1", NULL };
	assert_int_equal(rec_opts_parse(11, a1, &o, err, sizeof(err)), 0);
	assert_string_equal(o.filter.syscalls, "file,!close");
	assert_int_equal(o.filter.slower_ns, 10000000);
	assert_int_equal(o.filter.errors, KS_ERRORS_ALL);
	assert_int_equal(o.filter.ncomm, 2);
	assert_string_equal(o.filter.comm[0], "nginx");
	assert_string_equal(o.filter.comm[1], "a-name-longer-t");
	assert_true(rec_filter_comm_match(&o.filter, "a-name-longer-t"));
	assert_false(rec_filter_comm_match(&o.filter, "nginx2"));
	rec_opts_free(&o);

	char *a2[] = { "record", "--errors-only", "--slower-than", "200us",
		       NULL };
	assert_int_equal(rec_opts_parse(4, a2, &o, err, sizeof(err)), 0);
	assert_int_equal(o.filter.errors, KS_ERRORS_ONLY);
	assert_int_equal(o.filter.slower_ns, 200000);
	rec_opts_free(&o);

	char *a3[] = { "record", "--no-errors", NULL };
	assert_int_equal(rec_opts_parse(2, a3, &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--no-errors needs --slower-than"));
	rec_opts_free(&o);
	char *a4[] = { "record", "--no-errors", "--errors-only", NULL };
	assert_int_equal(rec_opts_parse(3, a4, &o, err, sizeof(err)), -EINVAL);
	rec_opts_free(&o);
	char *a5[] = { "record", "--slower-than", "soon", NULL };
	assert_int_equal(rec_opts_parse(3, a5, &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad duration 'soon'"));
	rec_opts_free(&o);
	char *a6[] = { "record", "--syscalls", "reed", NULL };
	assert_int_equal(rec_opts_parse(3, a6, &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown syscall or group 'reed'"));
	rec_opts_free(&o);
	char *a7[] = { "record", "--comm", "", NULL };
	assert_int_equal(rec_opts_parse(3, a7, &o, err, sizeof(err)), -EINVAL);
	rec_opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_groups),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_keep_rule),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
