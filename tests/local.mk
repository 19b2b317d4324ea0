# cmocka unit tests and live tests.  A test that cannot run here exits 77.
TEST_LIBS = libanalyze.a libcmdopt.a libstore.a $(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm

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
	$(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
# trig: snapshots of --ring recordings and --trigger (live, run after the
# other live tests: they watch the whole system)
TRIG_LIVE_TESTS = tests/test-record-trig-snap.sh tests/test-record-trig.sh
TESTS += $(TRIG_LIVE_TESTS)
EXTRA_DIST += $(TRIG_LIVE_TESTS)
tests/test-record-trig-snap.log: tests/test-record-filt.log
tests/test-record-trig.log: tests/test-record-trig-snap.log
# filt: the capture filters (--syscalls, --slower-than, --errors-only,
# --no-errors, --comm): unit tests, the groups against strace's classes,
# live recordings against strace and the workloads' own counts.
check_PROGRAMS += tests/test-filt tests/scprobe tests/filt-list
TESTS += tests/test-filt
tests_test_filt_SOURCES = tests/test-filt.c
tests_test_filt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_filt_LDADD = librecord.a libcmdopt.a libstore.a $(LIBBPF_LIBS) \
	$(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
tests_scprobe_SOURCES = tests/scprobe.c
tests_scprobe_LDADD = libstore.a $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
tests_filt_list_SOURCES = tests/filt-list.c
tests_filt_list_LDADD = librecord.a libcmdopt.a libstore.a $(LIBBPF_LIBS) \
	$(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
TESTS += tests/test-record-filt-groups.sh tests/test-record-filt.sh
EXTRA_DIST += tests/test-record-filt-groups.sh tests/test-record-filt.sh
# live: after the other live tests, not beside them (tests/record.mk)
tests/test-record-filt.log: tests/test-record-redact.log
# snap: payload snapshots and decoded arguments (record --snaplen),
# against strace's view of the same run
check_PROGRAMS += tests/snapwork
tests_snapwork_SOURCES = tests/snapwork.c
TESTS += tests/test-record-snap.sh
EXTRA_DIST += tests/test-record-snap.sh tests/snap-compare.py
tests/test-record-snap.log: tests/test-record-budget.log
# the production options together (--budget, --snaplen, the capture
# filters, --redact, --trigger): live, after the other live tests
TESTS += tests/test-record-combo.sh
EXTRA_DIST += tests/test-record-combo.sh
tests/test-record-combo.log: tests/test-record-snap.log
