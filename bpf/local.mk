# bpf/: the eBPF programs.  clang compiles each *.bpf.c against the
# committed vmlinux.h (x86_64 BTF of a 6.18 kernel; CO-RE relocates field
# offsets at load time, so the build does not depend on the build host's
# kernel), bpftool turns the object into a skeleton header in the build dir.
BPF_CFLAGS = -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) \
	-I$(srcdir)/bpf -Wall -Wno-unused-function

# kscope.bpf.c includes its other sections (bpf/*.bpf.h): one object.
KSCOPE_BPF_PARTS = bpf/proc.bpf.h bpf/net.bpf.h bpf/wake.bpf.h \
	bpf/signal.bpf.h bpf/fdname.bpf.h bpf/block.bpf.h bpf/filter.bpf.h \
	bpf/filter.h bpf/budget.bpf.h bpf/snap.bpf.h
bpf/kscope.bpf.o: $(srcdir)/bpf/kscope.bpf.c $(srcdir)/bpf/kscope_bpf.h \
		$(KSCOPE_BPF_PARTS:%=$(srcdir)/%) $(srcdir)/bpf/vmlinux.h
	$(AM_V_GEN)$(MKDIR_P) bpf && \
	$(CLANG) $(BPF_CFLAGS) -c $(srcdir)/bpf/kscope.bpf.c -o $@.new && mv $@.new $@

bpf/kscope.skel.h: bpf/kscope.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton bpf/kscope.bpf.o name kscope_bpf > $@.new && \
	mv $@.new $@

# The floor of bench/record-overhead: empty programs on the same tracepoints.
bpf/floor.bpf.o: $(srcdir)/bpf/floor.bpf.c $(srcdir)/bpf/vmlinux.h
	$(AM_V_GEN)$(MKDIR_P) bpf && \
	$(CLANG) $(BPF_CFLAGS) -c $(srcdir)/bpf/floor.bpf.c -o $@.new && mv $@.new $@

bpf/floor.skel.h: bpf/floor.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton bpf/floor.bpf.o name floor_bpf > $@.new && \
	mv $@.new $@

BUILT_SOURCES += bpf/kscope.skel.h bpf/floor.skel.h
CLEANFILES += bpf/kscope.bpf.o bpf/kscope.skel.h bpf/floor.bpf.o bpf/floor.skel.h
EXTRA_DIST += bpf/kscope.bpf.c $(KSCOPE_BPF_PARTS) bpf/kscope_bpf.h \
	bpf/floor.bpf.c bpf/vmlinux.h
