# replay, filter, event lines, export, views and the SQLite extension
# (included from tests/analyze.mk)

# the filter language and the filtered stream, on a planted synthetic trace
check_PROGRAMS += tests/test-filter
TESTS += tests/test-filter
tests_test_filter_SOURCES = tests/test-filter.c
tests_test_filter_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_filter_LDADD = libanalyze.a tests/libsynth.a $(TEST_LIBS)

# event lines and JSON objects, exact text for every kind
check_PROGRAMS += tests/test-evfmt
TESTS += tests/test-evfmt
tests_test_evfmt_SOURCES = tests/test-evfmt.c
tests_test_evfmt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_evfmt_LDADD = $(TEST_LIBS)

# the real binary, end to end (needs ./kscope and tests/test-mktrace)
TESTS += tests/test-replay.sh
EXTRA_DIST += tests/test-replay.sh
TESTS += tests/test-export.sh
EXTRA_DIST += tests/test-export.sh

# the TEMP views of every analysis connection (syscalls_p, errors, threads_p)
check_PROGRAMS += tests/test-views
TESTS += tests/test-views
tests_test_views_SOURCES = tests/test-views.c
tests_test_views_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_views_LDADD = $(TEST_LIBS)

# the loadable extension, through the sqlite3 program (skips without it;
# with --enable-sanitizers, sqlite3 runs with their runtimes preloaded)
TESTS += tests/test-sqlext.sh
EXTRA_DIST += tests/test-sqlext.sh

# Perfetto JSON of a synthetic trace with planted events: exact objects
check_PROGRAMS += tests/test-export-planted
TESTS += tests/test-export-planted
tests_test_export_planted_SOURCES = tests/test-export-planted.c
tests_test_export_planted_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_export_planted_LDADD = libanalyze.a tests/libsynth.a $(TEST_LIBS)

# the summary's pointers, replay and export of signals, block_io, stacks and
# wakeups, on the planted trace of tests/synth_causes.h
TESTS += tests/test-causes.sh
EXTRA_DIST += tests/test-causes.sh

# export --format clickhouse (ch): three hosts of tests/synth-fleet loaded
# into a private clickhouse-server give the same cross-host answers,
# row counts and sums as kscope query, and awkward bytes round-trip
check_PROGRAMS += tests/synth-fleet
tests_synth_fleet_SOURCES = tests/synth-fleet.c
tests_synth_fleet_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_synth_fleet_LDADD = tests/libsynth.a $(TEST_LIBS)
TESTS += tests/test-export-clickhouse.sh
EXTRA_DIST += tests/test-export-clickhouse.sh
