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

# redact: redaction at record time (record/redact.c); the live test is
# in tests/record.mk
check_PROGRAMS += tests/test-redact
TESTS += tests/test-redact
tests_test_redact_SOURCES = tests/test-redact.c
tests_test_redact_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_redact_LDADD = librecord.a libcmdopt.a libstore.a $(LIBBPF_LIBS) \
	$(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) -lm
# trig: snapshots of --ring recordings and --trigger (live, run after the
# other live tests: they watch the whole system)
TRIG_LIVE_TESTS = tests/test-record-trig-snap.sh tests/test-record-trig.sh
TESTS += $(TRIG_LIVE_TESTS)
EXTRA_DIST += $(TRIG_LIVE_TESTS)
tests/test-record-trig-snap.log: tests/test-record-why-fsync.log
tests/test-record-trig.log: tests/test-record-trig-snap.log
