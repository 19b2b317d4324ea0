# bench/record-overhead.sh: the recorder's cost on a syscall loop against an
# untraced run, empty eBPF programs (the floor), perf and strace, and its
# wakeup strategy and loss-free rate.
#     make bench-record-overhead [BENCH_RECORD_OVERHEAD_FLAGS="-n 1000000"]   (root)
noinst_PROGRAMS += bench/sysloop bench/floor
bench_sysloop_SOURCES = bench/sysloop.c
bench_floor_SOURCES = bench/floor.c
nodist_bench_floor_SOURCES = bpf/floor.skel.h
bench_floor_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
bench_floor_LDADD = $(LIBBPF_LIBS)
EXTRA_DIST += bench/record-overhead.sh bench/record-fdname.sh

BENCH_RECORD_OVERHEAD_FLAGS =
bench-record-overhead: kscope$(EXEEXT) bench/sysloop$(EXEEXT) bench/floor$(EXEEXT)
	$(SHELL) $(srcdir)/bench/record-overhead.sh $(BENCH_RECORD_OVERHEAD_FLAGS)
.PHONY: bench-record-overhead

# bench/record-cost.sh: the recorder's cost idle and beside CPU hogs, on
# the syscall loop and a context-switch ping-pong, against the floor and
# perf; in-kernel ns per operation, recorder CPU, bytes per event.
#     make bench-record [BENCH_RECORD_FLAGS="-n 1000000 -p 100000 -r 5"]
EXTRA_DIST += bench/record-cost.sh
BENCH_RECORD_FLAGS =
bench-record: kscope$(EXEEXT) bench/sysloop$(EXEEXT) bench/floor$(EXEEXT) \
		bench/pingpong$(EXEEXT)
	$(SHELL) $(srcdir)/bench/record-cost.sh $(BENCH_RECORD_FLAGS)
.PHONY: bench-record

# bench/why-cost.sh: kernel stacks' cost on the syscall loop and on a
# context-switch ping-pong, against the recorder before them.
#     make bench-why [BENCH_WHY_FLAGS="-r 5"] [KSCOPE_BASE=path]   (root)
noinst_PROGRAMS += bench/pingpong
bench_pingpong_SOURCES = bench/pingpong.c
EXTRA_DIST += bench/why-cost.sh

BENCH_WHY_FLAGS =
bench-why: kscope$(EXEEXT) bench/sysloop$(EXEEXT) bench/pingpong$(EXEEXT)
	$(SHELL) $(srcdir)/bench/why-cost.sh $(BENCH_WHY_FLAGS)
.PHONY: bench-why
# bench/wakers-overhead.sh: the waker programs' cost, against a recorder
# built without them (KSCOPE_BASE).
#     make bench-wakers KSCOPE_BASE=/path/to/kscope   (root, perf)
EXTRA_DIST += bench/wakers-overhead.sh
BENCH_WAKERS_FLAGS =
bench-wakers: kscope$(EXEEXT) bench/sysloop$(EXEEXT)
	KSCOPE_BASE=$(KSCOPE_BASE) $(SHELL) $(srcdir)/bench/wakers-overhead.sh $(BENCH_WAKERS_FLAGS)
.PHONY: bench-wakers

# bench/record-block.sh: the block_io class's cost per block request (a
# loop device over the page cache), against untraced requests.
#     make bench-record-block [BENCH_RECORD_BLOCK_FLAGS="-n 20000"]   (root)
EXTRA_DIST += bench/record-block.sh
BENCH_RECORD_BLOCK_FLAGS =
bench-record-block: kscope$(EXEEXT)
	$(SHELL) $(srcdir)/bench/record-block.sh $(BENCH_RECORD_BLOCK_FLAGS)
.PHONY: bench-record-block
# bench/record-snapshot.sh: snapshots of a 64 MiB ring (copy time, the
# drain's pause, events lost) and --trigger's recorder CPU.
#     sh bench/record-snapshot.sh [-r ROUNDS]   (root, from the build dir)
EXTRA_DIST += bench/record-snapshot.sh
