# Live recorder tests: need root and BPF; they exit 77 (skip) otherwise.
check_PROGRAMS += tests/workload
tests_workload_SOURCES = tests/workload.c
tests_workload_LDADD = -lpthread
check_PROGRAMS += tests/tidreuse
check_PROGRAMS += tests/fdnames
tests_fdnames_SOURCES = tests/fdnames.c
tests_tidreuse_SOURCES = tests/tidreuse.c
tests_tidreuse_LDADD = -lpthread
check_PROGRAMS += tests/wakers
tests_wakers_SOURCES = tests/wakers.c
tests_wakers_LDADD = -lpthread
check_PROGRAMS += tests/blkio
tests_blkio_SOURCES = tests/blkio.c
check_PROGRAMS += tests/mutexsleep
tests_mutexsleep_SOURCES = tests/mutexsleep.c
tests_mutexsleep_LDADD = -lpthread

# The shell tests are run by sh (no execute bit needed in a tarball).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
# Live tests watch the whole system: run them one after the other (each
# one's log depends on the one before), so one's load does not show up as
# another's lost events.
RECORD_LIVE_TESTS = \
	tests/test-record-args.sh \
	tests/test-record-cmd.sh \
	tests/test-record-all.sh \
	tests/test-record-stop.sh \
	tests/test-record-filter.sh \
	tests/test-record-faults.sh \
	tests/test-record-lifecycle.sh \
	tests/test-record-paths.sh \
	tests/test-record-attach.sh \
	tests/test-record-cpu.sh \
	tests/test-record-reuse.sh \
	tests/test-record-net.sh \
	tests/test-oracle-strace.sh \
	tests/test-oracle-perf.sh \
	tests/test-oracle-http.sh \
	tests/test-record-stacks.sh \
	tests/test-record-wakers.sh \
	tests/test-record-fdname.sh \
	tests/test-record-block.sh \
	tests/test-record-why.sh \
	tests/test-record-why-summary.sh \
	tests/test-record-why-fsync.sh
TESTS += $(RECORD_LIVE_TESTS)
EXTRA_DIST += tests/record-lib.sh $(RECORD_LIVE_TESTS) \
	tests/strace-compare.py tests/oracle-lib.sh tests/oracle-http-fetch.sh tests/net-server.py
tests/test-record-all.log: tests/test-record-cmd.log
tests/test-record-stop.log: tests/test-record-all.log
tests/test-record-filter.log: tests/test-record-stop.log
tests/test-record-faults.log: tests/test-record-filter.log
tests/test-record-lifecycle.log: tests/test-record-faults.log
tests/test-record-paths.log: tests/test-record-lifecycle.log
tests/test-record-attach.log: tests/test-record-paths.log
tests/test-record-cpu.log: tests/test-record-attach.log
tests/test-record-reuse.log: tests/test-record-cpu.log
tests/test-record-net.log: tests/test-record-reuse.log
# Oracle tests: real programs beside an independent tool in the same run.
tests/test-oracle-strace.log: tests/test-record-net.log
tests/test-oracle-perf.log: tests/test-oracle-strace.log
tests/test-oracle-http.log: tests/test-oracle-perf.log
tests/test-record-stacks.log: tests/test-oracle-http.log
tests/test-record-wakers.log: tests/test-record-stacks.log
tests/test-record-fdname.log: tests/test-record-wakers.log
tests/test-record-block.log: tests/test-record-fdname.log
tests/test-record-why.log: tests/test-record-block.log
tests/test-record-why-summary.log: tests/test-record-why.log

# Parts of the live tests that need what a machine may lack (a tmpfs, perf,
# a writable cgroup v2, root, python3): each its own test, so that one that cannot
# run is a SKIP, with its reason, in the totals.
RECORD_LIVE_OPTIONAL = \
	tests/test-record-flood.sh \
	tests/test-record-diskfull.sh \
	tests/test-record-cgroup.sh \
	tests/test-record-exitcpu.sh \
	tests/test-record-exitsock.sh
TESTS += $(RECORD_LIVE_OPTIONAL) tests/test-record-args-root.sh
EXTRA_DIST += $(RECORD_LIVE_OPTIONAL) tests/test-record-args-root.sh
tests/test-record-why-fsync.log: tests/test-record-why-summary.log
tests/test-record-flood.log: tests/test-record-why-fsync.log
tests/test-record-diskfull.log: tests/test-record-flood.log
tests/test-record-cgroup.log: tests/test-record-diskfull.log
tests/test-record-exitcpu.log: tests/test-record-cgroup.log
tests/test-record-exitsock.log: tests/test-record-exitcpu.log

# Unit tests of record/ (no root, no BPF).
check_PROGRAMS += tests/test-record-unit
TESTS += tests/test-record-unit
tests_test_record_unit_SOURCES = tests/test-record-unit.c
tests_test_record_unit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_record_unit_LDADD = librecord.a libcmdopt.a libstore.a $(LIBBPF_LIBS) \
	$(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm

# Signals and OOM kills: workloads that print the pids and wait status
# the trace is checked against.
check_PROGRAMS += tests/sigwork
tests_sigwork_SOURCES = tests/sigwork.c
RECORD_LIVE_TESTS += tests/test-record-signals.sh
tests/test-record-signals.log: tests/test-record-exitsock.log
RECORD_LIVE_OPTIONAL += tests/test-record-oom.sh
tests/test-record-oom.log: tests/test-record-signals.log
check_PROGRAMS += tests/test-fdtab
TESTS += tests/test-fdtab
tests_test_fdtab_SOURCES = tests/test-fdtab.c
tests_test_fdtab_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_fdtab_LDADD = librecord.a libstore.a $(CMOCKA_LIBS) $(SQLITE_LIBS) \
	$(LZ4_LIBS) $(ZSTD_LIBS) -lm

# `kscope info` on a trace while it is recorded, once finished, and killed
RECORD_LIVE_TESTS += tests/test-record-info-live.sh
tests/test-record-info-live.log: tests/test-record-oom.log

# README.md's command lines in order, after make install into a DESTDIR
# (record lines need root and BPF; other lines run anywhere)
RECORD_LIVE_TESTS += tests/test-readme.sh
tests/test-readme.log: tests/test-record-info-live.log

# redact: secrets planted in argv, env words, a path, an address and a
# comm are not in the trace's bytes (--redact, --redact-pattern)
RECORD_LIVE_TESTS += tests/test-record-redact.sh
tests/test-record-redact.log: tests/test-readme.log
# budget: the shedding controller and --budget's parser (no root, no BPF)
check_PROGRAMS += tests/test-shedctl
TESTS += tests/test-shedctl
tests_test_shedctl_SOURCES = tests/test-shedctl.c
tests_test_shedctl_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_shedctl_LDADD = librecord.a libcmdopt.a libstore.a $(LIBBPF_LIBS) \
	$(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
check_PROGRAMS += tests/budgetload
tests_budgetload_SOURCES = tests/budgetload.c
RECORD_LIVE_TESTS += tests/test-record-budget.sh
tests/test-record-budget.log: tests/test-record-trig.log
# diff: two recordings of a planted change (an fsync after each write);
# the change ranks first in `kscope diff`
check_PROGRAMS += tests/diffload
tests_diffload_SOURCES = tests/diffload.c
RECORD_LIVE_TESTS += tests/test-diff-live.sh
EXTRA_DIST += tests/test-diff-live.sh
tests/test-diff-live.log: tests/test-record-combo.log

# runqlat against perf sched timehist over the same write+fsync loop and
# pipe ping-pong (perf is the oracle; skips without it)
RECORD_LIVE_TESTS += tests/test-record-runqlat.sh
tests/test-record-runqlat.log: tests/test-diff-live.log
