#!/bin/sh
# sql-duckdb.sh - kscope's SQL against DuckDB holding the same rows.
#
#     bench/sql-duckdb.sh [-n SYSCALLS] [-r RUNS]
#     make bench-sql [BENCH_SQL_FLAGS="-n 1000000 -r 3"]
#
# The trace is written once by tests/kscope-synth (seed 1, -n syscalls, 10M
# by default) and kept in the cache directory with the CSV files DuckDB
# loads (bench/bench-lib.sh): syscalls (ts, dur, pid, tid, name) from
# `kscope query --format csv` and processes (pid, start_ts, comm).  DuckDB
# (the npm package @duckdb/node-api, run by Debian's node) is installed
# into the cache directory by npm, never into the source tree.  The cache
# is $KSCOPE_BENCH_CACHE, else $XDG_CACHE_HOME/kscope-bench, else
# /var/tmp/kscope-bench.
#
# bench/sql-duckdb.js then loads the CSV files into in-memory DuckDB tables
# (not timed) and runs three queries RUNS times (5), kscope and DuckDB in
# turn: each kscope run is a whole `kscope query FILE SQL` process, as a
# user runs it, each DuckDB run one query on the loaded connection.  It
# prints the median wall times and their ratio kscope/DuckDB, then the
# median CPU times (user + system: kscope's from its rusage, DuckDB's
# over all its threads), which other processes' load does not
# inflate, and fails when the two engines' answers differ: DuckDB is the
# oracle as well.
#
# With KSCOPE_BASE=path to an earlier build's kscope (its tests/kscope-synth
# beside it), that build runs the same queries in the same rounds, on the
# same rows written by its own kscope-synth (its format), and the table
# gets a column "before".
#
# Without node, or when npm cannot install the package, it says why and
# exits 77 (skipped).
set -eu

N=10000000
RUNS=5
while getopts n:r: opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) echo "usage: $0 [-n SYSCALLS] [-r RUNS]" >&2; exit 2 ;;
	esac
done
KSCOPE=${KSCOPE:-./kscope}
SYNTH=${SYNTH:-tests/kscope-synth}
[ -x "$KSCOPE" ] && [ -x "$SYNTH" ] || {
	echo "$0: build first (make): need $KSCOPE and $SYNTH" >&2; exit 2; }
skip() { echo "sql-duckdb: skipped: $*"; exit 77; }
command -v node >/dev/null 2>&1 || skip "no node (apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || skip "no npm (apt-get install npm)"
# Debian's python: a wrapper such as pyenv's shim adds its own CPU time
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=$(command -v python3) ||
	skip "no python3 (it times kscope)"
export PYTHON

CACHE=${KSCOPE_BENCH_CACHE:-${XDG_CACHE_HOME:+$XDG_CACHE_HOME/kscope-bench}}
CACHE=${CACHE:-/var/tmp/kscope-bench}
mkdir -p "$CACHE/duckdb"
if [ ! -d "$CACHE/duckdb/node_modules/@duckdb/node-api" ]; then
	echo "installing @duckdb/node-api into $CACHE/duckdb ..."
	npm install --prefix "$CACHE/duckdb" --no-audit --no-fund \
		--loglevel=error @duckdb/node-api >"$CACHE/duckdb/npm.log" 2>&1 ||
		skip "npm cannot install @duckdb/node-api" \
			"($(tail -1 "$CACHE/duckdb/npm.log"))"
fi

T=$CACHE/sql-synth-$N.kscope
. "$(dirname "$0")/bench-lib.sh"
bench_trace "$T" "$N"
# The CSV files are the trace's: written again with it.
if [ ! -s "$T.processes.csv" ] || [ "$T" -nt "$T.processes.csv" ]; then
	echo "exporting $T to CSV ..."
	rm -f "$T.syscalls.csv" "$T.processes.csv"
	"$KSCOPE" query -F csv "$T" \
		"SELECT ts, dur, pid, tid, name FROM syscalls" \
		>"$T.syscalls.csv.new"
	mv "$T.syscalls.csv.new" "$T.syscalls.csv"
	"$KSCOPE" query -F csv "$T" \
		"SELECT pid, start_ts, comm FROM processes" \
		>"$T.processes.csv.new"
	mv "$T.processes.csv.new" "$T.processes.csv"
fi

BASE_T=
if [ -n "${KSCOPE_BASE:-}" ]; then
	BASE_T=$CACHE/sql-synth-base-$N.kscope
	SYNTH=$(dirname "$KSCOPE_BASE")/tests/kscope-synth bench_trace \
		"$BASE_T" "$N"
fi

echo "trace: $T, $N syscalls, median of $RUNS runs, $(nproc) cpus," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
NODE_PATH=$CACHE/duckdb/node_modules exec node \
	"$(dirname "$0")/sql-duckdb.js" "$KSCOPE" "$T" "$RUNS" \
	${BASE_T:+"$KSCOPE_BASE" "$BASE_T"}
