# bench/record-overhead.sh: the recorder's cost on a syscall loop against an
# untraced run, empty eBPF programs (the floor), perf and strace.
#     make bench-record [BENCH_RECORD_FLAGS="-n 1000000"]   (root)
noinst_PROGRAMS += bench/sysloop bench/floor
bench_sysloop_SOURCES = bench/sysloop.c
bench_floor_SOURCES = bench/floor.c
nodist_bench_floor_SOURCES = bpf/floor.skel.h
bench_floor_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
bench_floor_LDADD = $(LIBBPF_LIBS)
EXTRA_DIST += bench/record-overhead.sh bench/record-fdname.sh

BENCH_RECORD_FLAGS =
bench-record: kscope$(EXEEXT) bench/sysloop$(EXEEXT) bench/floor$(EXEEXT)
	$(SHELL) $(srcdir)/bench/record-overhead.sh $(BENCH_RECORD_FLAGS)
.PHONY: bench-record
