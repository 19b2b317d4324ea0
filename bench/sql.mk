# bench/sql-duckdb.sh: three queries (GROUP BY name, a 1% ts range, a
# join of syscalls with processes) on kscope and on DuckDB holding the same
# rows; medians and ratios.  Needs node and npm (it installs DuckDB into a
# cache directory outside the tree); exits 77 when it cannot.
#     make bench-sql [BENCH_SQL_FLAGS="-n 1000000 -r 3"]
EXTRA_DIST += bench/sql-duckdb.sh bench/sql-duckdb.js
BENCH_SQL_FLAGS =
bench-sql: kscope$(EXEEXT) tests/kscope-synth$(EXEEXT)
	$(SHELL) $(srcdir)/bench/sql-duckdb.sh $(BENCH_SQL_FLAGS)
.PHONY: bench-sql
