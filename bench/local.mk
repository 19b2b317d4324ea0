# Benchmarks: built by `make`, run by hand or by `make bench` (never by
# `make check`).  Each prints ratios against a baseline measured in the same
# run; docs/BENCH.md keeps the figures.
noinst_PROGRAMS += bench/store-bench
bench_store_bench_SOURCES = bench/store-bench.c
bench_store_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_store_bench_LDADD = $(SYNTH_LIBS)

# make bench BENCH_FLAGS="-n 1M"
BENCH_FLAGS =
bench: bench/store-bench$(EXEEXT)
	bench/store-bench $(BENCH_FLAGS)
.PHONY: bench

# replay and export
include bench/replay.mk

# bench/report-bench.sh: kscope report on a 10M-event synthetic trace against
# count(*) and an SQL aggregate on the same file.
#     make bench-report [BENCH_REPORT_FLAGS="-n 1000000 -r 5"]
EXTRA_DIST += bench/report-bench.sh
BENCH_REPORT_FLAGS =
bench-report: kscope$(EXEEXT) tests/kscope-synth$(EXEEXT)
	$(SHELL) $(srcdir)/bench/report-bench.sh $(BENCH_REPORT_FLAGS)
.PHONY: bench-report
EXTRA_DIST += bench/bench-lib.sh

# bench/redact-bench: the converter's events/s on path-heavy records
# without redaction and with --redact and --redact-pattern (no root).
#     bench/redact-bench [-n EVENTS] [-r RUNS]
noinst_PROGRAMS += bench/redact-bench
bench_redact_bench_SOURCES = bench/redact-bench.c
bench_redact_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_redact_bench_LDADD = librecord.a libstore.a $(LIBBPF_LIBS) \
	$(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
# bench/snap-cost.sh: payload snapshots' cost on the syscall loop
# (--snaplen 0, 64, 256).
#     make bench-snap [BENCH_SNAP_FLAGS="-r 5"]   (root)
EXTRA_DIST += bench/snap-cost.sh
BENCH_SNAP_FLAGS =
bench-snap: kscope$(EXEEXT) bench/sysloop$(EXEEXT)
	$(SHELL) $(srcdir)/bench/snap-cost.sh $(BENCH_SNAP_FLAGS)
.PHONY: bench-snap

# bench/size-mixed.sh: trace bytes per syscall on a mixed real workload,
# kscope (as recorded and compacted) against perf record -z and trace-cmd
# with zstd, in one run; installs trace-cmd when missing.
#     make bench-size [BENCH_SIZE_FLAGS="-s 200000 -p 20000"]   (root)
EXTRA_DIST += bench/size-mixed.sh
BENCH_SIZE_FLAGS =
bench-size: kscope$(EXEEXT) bench/sysloop$(EXEEXT) bench/pingpong$(EXEEXT)
	$(SHELL) $(srcdir)/bench/size-mixed.sh $(BENCH_SIZE_FLAGS)
.PHONY: bench-size

# bench/read-compact.sh: compaction's time on a large synthetic trace, and
# replay / GROUP BY / ts range / cursor walk on an earlier build's trace
# against this build's compacted one, in one run.
#     make bench-read-compact KSCOPE_BASE=old/kscope SYNTH_BASE=old/kscope-synth
EXTRA_DIST += bench/read-compact.sh
BENCH_READ_COMPACT_FLAGS =
bench-read-compact: kscope$(EXEEXT) tests/kscope-synth$(EXEEXT) \
		bench/cursor-walk$(EXEEXT)
	$(SHELL) $(srcdir)/bench/read-compact.sh $(BENCH_READ_COMPACT_FLAGS)
.PHONY: bench-read-compact

# SQL against DuckDB (bench/sql-duckdb.sh; make bench-sql)
include bench/sql.mk
