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

# filt: the capture filters (--syscalls, --slower-than, --errors-only,
# --no-errors, --comm): unit tests, the groups against strace's classes,
# live recordings against strace and the workloads' own counts.
check_PROGRAMS += tests/test-filt tests/scprobe tests/filt-list
TESTS += tests/test-filt
tests_test_filt_SOURCES = tests/test-filt.c
tests_test_filt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_filt_LDADD = librecord.a libcmdopt.a libstore.a $(LIBBPF_LIBS) \
	$(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) -lm
tests_scprobe_SOURCES = tests/scprobe.c
tests_scprobe_LDADD = libstore.a $(SQLITE_LIBS) $(LZ4_LIBS) -lm
tests_filt_list_SOURCES = tests/filt-list.c
tests_filt_list_LDADD = librecord.a libcmdopt.a libstore.a $(LIBBPF_LIBS) \
	$(SQLITE_LIBS) $(LZ4_LIBS) -lm
TESTS += tests/test-record-filt-groups.sh tests/test-record-filt.sh
EXTRA_DIST += tests/test-record-filt-groups.sh tests/test-record-filt.sh
# live: after the other live tests, not beside them (tests/record.mk)
tests/test-record-filt.log: tests/test-readme.log
