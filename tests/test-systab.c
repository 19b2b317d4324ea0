/*
 * test-systab.c - unit tests for store/systab.c (syscall names by arch).
 *
 *     make check TESTS=tests/test-systab
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "store/systab.h"

static void test_known_numbers(void **state)
{
	(void)state;
	assert_string_equal(systab_name("x86_64", 257), "openat");
	assert_string_equal(systab_name("aarch64", 56), "openat");
	assert_string_equal(systab_name("x86_64", 0), "read");
	assert_string_equal(systab_name("aarch64", 63), "read");
	assert_string_equal(systab_name("x86_64", 202), "futex");
	assert_string_equal(systab_name("aarch64", 98), "futex");
	assert_string_equal(systab_name("x86_64", 435), "clone3");
	assert_string_equal(systab_name("aarch64", 435), "clone3");
	/* arm64 configures the generic table: these are its opt-ins */
	assert_string_equal(systab_name("aarch64", 38), "renameat");
	assert_string_equal(systab_name("aarch64", 79), "newfstatat");
	assert_string_equal(systab_name("aarch64", 163), "getrlimit");
	assert_string_equal(systab_name("aarch64", 447), "memfd_secret");
	assert_string_equal(systab_name("aarch64", 220), "clone");
}

static void test_reverse(void **state)
{
	(void)state;
	assert_int_equal(systab_nr("x86_64", "openat"), 257);
	assert_int_equal(systab_nr("aarch64", "openat"), 56);
	assert_int_equal(systab_nr("x86_64", "epoll_wait"), 232);
	/* arm64 has no open(2), epoll_wait(2) or fork(2) */
	assert_int_equal(systab_nr("aarch64", "open"), -1);
	assert_int_equal(systab_nr("aarch64", "epoll_wait"), -1);
	assert_int_equal(systab_nr("aarch64", "fork"), -1);
	assert_int_equal(systab_nr("x86_64", "no_such_call"), -1);
	assert_int_equal(systab_nr("x86_64", NULL), -1);
	/* every named number maps back to itself */
	const char *arches[] = { "x86_64", "aarch64" };
	for (int a = 0; a < 2; a++) {
		int named = 0;
		for (int nr = 0; nr <= systab_max(arches[a]); nr++) {
			const char *n = systab_name(arches[a], nr);
			if (!n)
				continue;
			named++;
			assert_int_equal(systab_nr(arches[a], n), nr);
		}
		assert_true(named > 300);
	}
}

static void test_bounds_and_gaps(void **state)
{
	(void)state;
	assert_null(systab_name("x86_64", -1));
	assert_null(systab_name("x86_64", 100000));
	assert_null(systab_name("x86_64", 400));  /* gap 335..423 */
	assert_null(systab_name("aarch64", 244)); /* arch-specific range */
	assert_null(systab_name("aarch64", systab_max("aarch64") + 1));
	assert_null(systab_name("mips", 1));
	assert_null(systab_name(NULL, 1));
	assert_int_equal(systab_max("riscv64"), -1);
	assert_true(systab_max("x86_64") >= 450);
}

static void test_arch_names(void **state)
{
	(void)state;
	assert_string_equal(systab_arch_canon("amd64"), "x86_64");
	assert_string_equal(systab_arch_canon("x86-64"), "x86_64");
	assert_string_equal(systab_arch_canon("arm64"), "aarch64");
	assert_string_equal(systab_name("arm64", 56), "openat");
	assert_string_equal(systab_name("amd64", 257), "openat");
	assert_null(systab_arch_canon("i686"));

	const char *host = systab_host_arch();
#if defined(__x86_64__)
	assert_non_null(host);
	assert_string_equal(host, "x86_64");
#elif defined(__aarch64__)
	assert_non_null(host);
	assert_string_equal(host, "aarch64");
#else
	assert_null(host);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_numbers),
		cmocka_unit_test(test_reverse),
		cmocka_unit_test(test_bounds_and_gaps),
		cmocka_unit_test(test_arch_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
