noinst_LIBRARIES += libanalyze.a
libanalyze_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
libanalyze_a_SOURCES = analyze/analyze.h \
	analyze/output.c analyze/output.h
