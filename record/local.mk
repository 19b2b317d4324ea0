# record/: the recorder (`kscope record`).  The only part that links libbpf.
noinst_LIBRARIES += librecord.a
librecord_a_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS) $(SQLITE_CFLAGS)
librecord_a_SOURCES = \
	record/record.h \
	record/redact.h \
	record/redact.c \
	record/options.c \
	record/tasks.c \
	record/plan.c \
	record/filter.c \
	record/snap.c \
	record/procfs.c \
	record/listeners.c \
	record/fdtab.c \
	record/convert.c \
	record/stacks.c \
	record/namecache.c \
	record/irqnames.c \
	record/percpu.c \
	record/blkdev.c \
	record/session.c \
	record/selfcost.c \
	record/shedctl.c \
	record/budget.c \
	record/cgroup.c \
	record/child.c \
	record/snapshot.c \
	record/trigger.c \
	record/record.c
nodist_librecord_a_SOURCES = bpf/kscope.skel.h
dist_man1_MANS += docs/kscope-record.1
