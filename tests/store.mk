
# syscall name tables (store/systab.c)
check_PROGRAMS += tests/test-systab
TESTS += tests/test-systab
tests_test_systab_SOURCES = tests/test-systab.c
tests_test_systab_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_systab_LDADD = libstore.a $(CMOCKA_LIBS)
EXTRA_DIST += store/gen-systab.sh
