# replay and export speed (bench/replay-bench.sh; make bench-replay)
noinst_PROGRAMS += bench/cursor-walk
bench_cursor_walk_SOURCES = bench/cursor-walk.c
bench_cursor_walk_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_cursor_walk_LDADD = libstore.a $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
EXTRA_DIST += bench/replay-bench.sh
bench-replay: kscope$(EXEEXT) bench/cursor-walk$(EXEEXT) tests/kscope-synth$(EXEEXT)
	sh $(srcdir)/bench/replay-bench.sh $(BENCH_FLAGS)
.PHONY: bench-replay
