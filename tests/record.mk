# Live recorder tests: need root and BPF; they exit 77 (skip) otherwise.
check_PROGRAMS += tests/workload
tests_workload_SOURCES = tests/workload.c

# The shell tests are run by sh (no execute bit needed in a tarball).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
TESTS += tests/test-record-cmd.sh
EXTRA_DIST += tests/record-lib.sh tests/test-record-cmd.sh
