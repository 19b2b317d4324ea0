# cmocka unit tests and live tests.  A test that cannot run here exits 77.
TEST_LIBS = libanalyze.a libcmdopt.a libstore.a $(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) -lm

# the commands' option parsing (cmdopt.c)
check_PROGRAMS += tests/test-cmdopt
TESTS += tests/test-cmdopt
tests_test_cmdopt_SOURCES = tests/test-cmdopt.c
tests_test_cmdopt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_cmdopt_LDADD = libcmdopt.a $(CMOCKA_LIBS)

# configuring with other arguments rebuilds (in a copy of the build tree)
TESTS += tests/test-reconfigure.sh
EXTRA_DIST += tests/test-reconfigure.sh

# snap: payload snapshots and decoded arguments (record --snaplen),
# against strace's view of the same run
check_PROGRAMS += tests/snapwork
tests_snapwork_SOURCES = tests/snapwork.c
TESTS += tests/test-record-snap.sh
EXTRA_DIST += tests/test-record-snap.sh tests/snap-compare.py
tests/test-record-snap.log: tests/test-readme.log
