
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
tests_test_store_LDADD = libstore.a $(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm

# Synthetic traces (tests/synth.c) for tests and bench/
noinst_LIBRARIES += tests/libsynth.a
tests_libsynth_a_SOURCES = tests/synth.c tests/synth.h tests/synth_int.h \
	tests/synth_rng.h tests/synth_data.c tests/synth_host.c \
	tests/synth_call.c tests/synth_halfseen.c tests/synth_halfseen.h \
	tests/synth_sleeper.c tests/synth_sleeper.h tests/synth_reuse.c \
	tests/synth_reuse.h tests/synth_why.c tests/synth_why.h \
	tests/synth_causes.c tests/synth_causes.h
tests_libsynth_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
SYNTH_LIBS = tests/libsynth.a libstore.a $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm

noinst_PROGRAMS += tests/kscope-synth
tests_kscope_synth_SOURCES = tests/kscope-synth.c
tests_kscope_synth_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_kscope_synth_LDADD = $(SYNTH_LIBS)

check_PROGRAMS += tests/test-synth
TESTS += tests/test-synth
tests_test_synth_SOURCES = tests/test-synth.c
tests_test_synth_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_synth_LDADD = $(SYNTH_LIBS) $(CMOCKA_LIBS)

# the hash map (store/hmap.c)
check_PROGRAMS += tests/test-hmap
TESTS += tests/test-hmap
tests_test_hmap_SOURCES = tests/test-hmap.c
tests_test_hmap_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_hmap_LDADD = libstore.a $(CMOCKA_LIBS)

# compact: format 1.3's gap and zstd encodings, store_compact
check_PROGRAMS += tests/test-compact
TESTS += tests/test-compact
tests_test_compact_SOURCES = tests/test-compact.c
tests_test_compact_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_compact_LDADD = $(SYNTH_LIBS) $(CMOCKA_LIBS)

# sqlspeed: the event tables' own plans (keyed joins, grouped scans) give
# the generic plan's answers (needs ./kscope and tests/kscope-synth)
TESTS += tests/test-sqlplan.sh
EXTRA_DIST += tests/test-sqlplan.sh
