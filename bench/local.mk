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
	$(SQLITE_LIBS) $(LZ4_LIBS) -lm
# bench/snap-cost.sh: payload snapshots' cost on the syscall loop
# (--snaplen 0, 64, 256).
#     make bench-snap [BENCH_SNAP_FLAGS="-r 5"]   (root)
EXTRA_DIST += bench/snap-cost.sh
BENCH_SNAP_FLAGS =
bench-snap: kscope$(EXEEXT) bench/sysloop$(EXEEXT)
	$(SHELL) $(srcdir)/bench/snap-cost.sh $(BENCH_SNAP_FLAGS)
.PHONY: bench-snap

# SQL against DuckDB (bench/sql-duckdb.sh; make bench-sql)
include bench/sql.mk
