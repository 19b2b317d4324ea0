
# syscall name tables (store/systab.c)
check_PROGRAMS += tests/test-systab
TESTS += tests/test-systab
tests_test_systab_SOURCES = tests/test-systab.c
tests_test_systab_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_systab_LDADD = libstore.a $(CMOCKA_LIBS)
EXTRA_DIST += store/gen-systab.sh

# the trace store: codec, writer, reader, virtual tables, cursor
check_PROGRAMS += tests/test-store
TESTS += tests/test-store
tests_test_store_SOURCES = tests/test-store.c
tests_test_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_store_LDADD = libstore.a $(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) -lm
