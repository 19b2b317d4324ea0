# analyze/: everything that reads a trace.  One folder per part:
#   output/  result-set printers, text escaping, output files, progress
#   sql/     the SQL surface: functions, views, the read-only guard,
#            `kscope query` and the loadable extension
#   replay/  the event formatter, the filter language, `kscope replay`
#   report/  `kscope report`: the registry and one module per group
#   fold/    the one aggregation engine: the accumulators every figure is
#            computed with, for the reports and the TUI alike
#   export/  `kscope export` (CSV, JSON lines, Perfetto)
#   info/    `kscope info` and `kscope verify`
#   diff/    `kscope diff`: two traces' figures, ranked, noise-tested
# The files left at the top are shared by all of them: opening a trace,
# time arguments, which tasks the trace follows (traced.h) and what they
# are called (names.h).
noinst_LIBRARIES += libanalyze.a
libanalyze_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
libanalyze_a_SOURCES = analyze/analyze.h analyze/trace.c \
	analyze/traceargs.c analyze/traceargs.h \
	analyze/timearg.c analyze/timearg.h \
	analyze/traced.c analyze/traced.h \
	analyze/names.c analyze/names.h \
	analyze/empty.c analyze/empty.h \
	analyze/capture.c analyze/capture.h \
	analyze/shed.c analyze/shed.h

libanalyze_a_SOURCES += \
	analyze/output/output.c analyze/output/output.h \
	analyze/output/plural.h \
	analyze/output/outfile.c analyze/output/outfile.h \
	analyze/output/progress.c analyze/output/progress.h

libanalyze_a_SOURCES += \
	analyze/sql/sqlfn.c analyze/sql/sqlfn.h \
	analyze/sql/views.c analyze/sql/views.h \
	analyze/sql/tstate_vtab.c analyze/sql/tstate_vtab.h \
	analyze/sql/sqlguard.c analyze/sql/sqlguard.h \
	analyze/sql/multi.c analyze/sql/multi.h \
	analyze/sql/query.c analyze/sql/query.h analyze/sql/cmd_query.c

libanalyze_a_SOURCES += \
	analyze/replay/evfmt.c analyze/replay/evfmt.h \
	analyze/replay/evfmt_sys.c analyze/replay/evfmt_sys.h \
	analyze/replay/evbuf.c analyze/replay/evbuf.h \
	analyze/replay/filter.c analyze/replay/filter.h \
	analyze/replay/replay.c analyze/replay/replay.h \
	analyze/replay/cmd_replay.c

libanalyze_a_SOURCES += analyze/fold/fold.c analyze/fold/fold.h \
	analyze/fold/fold_sched.c analyze/fold/fold_sched.h \
	analyze/fold/tstate.c analyze/fold/tstate.h

libanalyze_a_SOURCES += analyze/report/report.c analyze/report/report.h \
	analyze/report/frame.c analyze/report/tables.c analyze/report/cells.c \
	analyze/report/scan.c analyze/report/strtab.c \
	analyze/report/report_int.h analyze/report/cmd_report.c \
	analyze/report/report_summary.c analyze/report/summary_causes.c \
	analyze/report/summary_int.h analyze/report/report_syscalls.c \
	analyze/report/report_errors.c analyze/report/report_files.c \
	analyze/report/report_procs.c analyze/report/report_sched.c \
	analyze/report/report_net.c analyze/report/report_fold.c \
	analyze/report/report_merge.c \
	analyze/report/kills.c analyze/report/kills.h \
	analyze/report/report_io.c \
	analyze/report/report_why.c

# fold/: accumulators the reports and the TUI both fold with
libanalyze_a_SOURCES += analyze/fold/counts_int.h \
	analyze/fold/sysc.c analyze/fold/sysc.h \
	analyze/fold/errs.c analyze/fold/errs.h \
	analyze/fold/files.c analyze/fold/files.h \
	analyze/fold/tasks.c analyze/fold/tasks.h \
	analyze/fold/ovw.c analyze/fold/ovw.h \
	analyze/fold/lastfail.c analyze/fold/lastfail.h \
	analyze/fold/hangs.c analyze/fold/hangs.h \
	analyze/fold/busypoll.c analyze/fold/busypoll.h \
	analyze/fold/runq.c analyze/fold/runq.h \
	analyze/fold/runqlat.c analyze/fold/runqlat.h \
	analyze/fold/instead.c analyze/fold/instead.h \
	analyze/fold/signals.c analyze/fold/signals.h

libanalyze_a_SOURCES += analyze/fold/conn.c analyze/fold/conn.h

libanalyze_a_SOURCES += \
	analyze/export/export.c analyze/export/export.h \
	analyze/export/cmd_export.c analyze/export/chexport.c \
	analyze/info/info.c analyze/info/info.h analyze/info/cmd_info.c \
	analyze/info/cmd_verify.c analyze/info/cmd_compact.c

# diff/: `kscope diff` (collect with fold/, test, rank, print)
libanalyze_a_SOURCES += \
	analyze/diff/collect.c analyze/diff/collect.h \
	analyze/diff/stats.c analyze/diff/stats.h \
	analyze/diff/rank.c analyze/diff/rank.h \
	analyze/diff/output.c analyze/diff/output.h \
	analyze/diff/cmd_diff.c

# the loadable SQLite extension (kscope.so)
include analyze/sql/sqlext.mk
