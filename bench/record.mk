# bench/record-overhead.sh: the recorder's cost on a syscall loop against an
# untraced run, empty eBPF programs (the floor), perf and strace.
#     make bench-record [BENCH_RECORD_FLAGS="-n 1000000"]   (root)
noinst_PROGRAMS += bench/sysloop bench/floor
bench_sysloop_SOURCES = bench/sysloop.c
bench_floor_SOURCES = bench/floor.c
nodist_bench_floor_SOURCES = bpf/floor.skel.h
bench_floor_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
bench_floor_LDADD = $(LIBBPF_LIBS)
EXTRA_DIST += bench/record-overhead.sh

BENCH_RECORD_FLAGS =
bench-record: kscope$(EXEEXT) bench/sysloop$(EXEEXT) bench/floor$(EXEEXT)
	$(SHELL) $(srcdir)/bench/record-overhead.sh $(BENCH_RECORD_FLAGS)
.PHONY: bench-record

# bench/record-block.sh: the block_io class's cost per block request (a
# loop device over the page cache), against untraced requests.
#     make bench-record-block [BENCH_RECORD_BLOCK_FLAGS="-n 20000"]   (root)
EXTRA_DIST += bench/record-block.sh
BENCH_RECORD_BLOCK_FLAGS =
bench-record-block: kscope$(EXEEXT)
	$(SHELL) $(srcdir)/bench/record-block.sh $(BENCH_RECORD_BLOCK_FLAGS)
.PHONY: bench-record-block
