noinst_LIBRARIES += libanalyze.a
libanalyze_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
libanalyze_a_SOURCES = analyze/analyze.h analyze/trace.c \
	analyze/sqlfn.c analyze/sqlfn.h \
	analyze/timearg.c analyze/timearg.h \
	analyze/output.c analyze/output.h \
	analyze/query.c analyze/query.h analyze/cmd_query.c \
	analyze/info.c analyze/info.h analyze/cmd_info.c analyze/cmd_verify.c \
	analyze/filter.c analyze/filter.h \
	analyze/evfmt.c analyze/evfmt.h analyze/evfmt_sys.c analyze/evfmt_sys.h \
	analyze/evbuf.c analyze/evbuf.h \
	analyze/textesc.c analyze/textesc.h \
	analyze/progress.c analyze/progress.h \
	analyze/replay.c analyze/replay.h analyze/cmd_replay.c \
	analyze/export.c analyze/export.h analyze/cmd_export.c \
	analyze/outfile.c analyze/outfile.h \
	analyze/views.c analyze/views.h \
	analyze/sqlguard.c analyze/sqlguard.h \
	analyze/traced.c analyze/traced.h

# kscope report: the dispatcher and one module per group of reports
libanalyze_a_SOURCES += analyze/report.c analyze/report.h \
	analyze/report_int.h analyze/cmd_report.c \
	analyze/report_summary.c analyze/report_syscalls.c \
	analyze/report_errors.c analyze/report_files.c \
	analyze/report_procs.c analyze/report_sched.c analyze/report_net.c

# the loadable SQLite extension (kscope.so)
include analyze/sqlext.mk
