# Live recorder tests: need root and BPF; they exit 77 (skip) otherwise.
check_PROGRAMS += tests/workload
tests_workload_SOURCES = tests/workload.c

# The shell tests are run by sh (no execute bit needed in a tarball).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
TESTS += tests/test-record-cmd.sh tests/test-record-all.sh tests/test-record-stop.sh \
	tests/test-record-filter.sh
EXTRA_DIST += tests/record-lib.sh tests/test-record-cmd.sh tests/test-record-all.sh \
	tests/test-record-stop.sh tests/test-record-filter.sh
# Live tests watch the whole system: run them one after the other, so one's
# load does not show up as another's lost events.
tests/test-record-all.log: tests/test-record-cmd.log
tests/test-record-stop.log: tests/test-record-all.log
tests/test-record-filter.log: tests/test-record-stop.log
