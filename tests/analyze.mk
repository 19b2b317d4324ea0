
# analyze/: result-set printer, query runner, info; commands driven end to end
check_PROGRAMS += tests/test-output
TESTS += tests/test-output
tests_test_output_SOURCES = tests/test-output.c tests/textparse.c \
	tests/textparse.h
tests_test_output_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_output_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/test-query
TESTS += tests/test-query
tests_test_query_SOURCES = tests/test-query.c
tests_test_query_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_query_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/test-infofmt
TESTS += tests/test-infofmt
tests_test_infofmt_SOURCES = tests/test-infofmt.c tests/textparse.c \
	tests/textparse.h
tests_test_infofmt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_infofmt_LDADD = $(TEST_LIBS)

# writes the small known trace the shell tests below read
check_PROGRAMS += tests/test-mktrace
tests_test_mktrace_SOURCES = tests/test-mktrace.c
tests_test_mktrace_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_test_mktrace_LDADD = $(TEST_LIBS)

# the real binary, end to end (need ./kscope and tests/test-mktrace)
TESTS += tests/test-info.sh tests/test-query-cmd.sh tests/test-badinput.sh
EXTRA_DIST += tests/cli-lib.sh tests/test-info.sh tests/test-query-cmd.sh \
	tests/test-badinput.sh

# SQL functions: errno_name, wall, fmt_dur, percentile, log2_bucket
check_PROGRAMS += tests/test-sqlfn
TESTS += tests/test-sqlfn
tests_test_sqlfn_SOURCES = tests/test-sqlfn.c
tests_test_sqlfn_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_sqlfn_LDADD = $(TEST_LIBS)

# --from / --to time arguments
check_PROGRAMS += tests/test-timearg
TESTS += tests/test-timearg
tests_test_timearg_SOURCES = tests/test-timearg.c
tests_test_timearg_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_timearg_LDADD = $(TEST_LIBS)

# replay, filter, export, views, extension: their own fragment
include tests/replay.mk

# kscope report: every report's figures against planted events
check_PROGRAMS += tests/test-report
TESTS += tests/test-report
tests_test_report_SOURCES = tests/test-report.c tests/textparse.c \
	tests/textparse.h
tests_test_report_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_report_LDADD = tests/libsynth.a $(TEST_LIBS)

# kscope report end to end: every report and format, and every bad input
# (needs ./kscope and tests/kscope-synth)
TESTS += tests/test-report-cmd.sh
EXTRA_DIST += tests/test-report-cmd.sh

# The TUI's figures against the reports' (tui --print vs report -F json),
# on planted, synthetic and (with root and BPF) live traces
TESTS += tests/test-agree.sh
EXTRA_DIST += tests/test-agree.sh tests/agree.py

# thread_state and report why on the planted trace of tests/synth_why.h
# (needs ./kscope and tests/kscope-synth)
TESTS += tests/test-why.sh
EXTRA_DIST += tests/test-why.sh

# the man pages name every command, option, report, filter field, table,
# column and SQL function the binary has, and render without warnings
# (needs ./kscope and tests/test-mktrace)
TESTS += tests/test-man.sh
EXTRA_DIST += tests/test-man.sh
# ... and render without a warning, with each formatter installed (a
# missing one is a SKIP of its own)
TESTS += tests/test-man-groff.sh tests/test-man-mandoc.sh
EXTRA_DIST += tests/test-man-groff.sh tests/test-man-mandoc.sh tests/man-render.sh

# the scheduler reports on a trace that sees only some tasks whole
check_PROGRAMS += tests/test-report-cpu
TESTS += tests/test-report-cpu
tests_test_report_cpu_SOURCES = tests/test-report-cpu.c tests/textparse.c \
	tests/textparse.h
tests_test_report_cpu_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_report_cpu_LDADD = tests/libsynth.a $(TEST_LIBS)

# A reader never writes beside a trace; a killed (WAL-mode) trace opens for
# any user who can read it, with the chunks only in its -wal.
TESTS += tests/test-readonly.sh
EXTRA_DIST += tests/test-readonly.sh

# diff: the noise tests against enumeration and hand values; kscope diff
# end to end over kscope-synth traces and bad input
check_PROGRAMS += tests/test-diff-stats
TESTS += tests/test-diff-stats
tests_test_diff_stats_SOURCES = tests/test-diff-stats.c
tests_test_diff_stats_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_diff_stats_LDADD = $(TEST_LIBS)
TESTS += tests/test-diff.sh
EXTRA_DIST += tests/test-diff.sh

# multiq: several traces in one query (analyze/sql/multi.c): the union
# tables against per-trace answers, ts pushdown per trace, wall clock,
# the same names across arches
check_PROGRAMS += tests/test-multi
TESTS += tests/test-multi
tests_test_multi_SOURCES = tests/test-multi.c
tests_test_multi_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_multi_LDADD = $(TEST_LIBS)
# (needs ./kscope and tests/kscope-synth)
TESTS += tests/test-query-multi.sh
EXTRA_DIST += tests/test-query-multi.sh

# multirep: info, report (each trace, --merge) and export of several traces
TESTS += tests/test-multirep.sh
EXTRA_DIST += tests/test-multirep.sh
