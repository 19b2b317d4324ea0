# The loadable SQLite extension kscope.so (analyze/sql/sqlext.c), installed in
# $(pkglibdir): `.load $(pkglibdir)/kscope` in the sqlite3 shell.  It is
# built with libtool from the store's sources and the SQL functions and
# views, all compiled position-independent with analyze/sql/sqlext-api.h forced
# in (SQLite calls through the loader's routines, no -lsqlite3).
pkglib_LTLIBRARIES = kscope.la
kscope_la_SOURCES = analyze/sql/sqlext.c analyze/sql/sqlext-api.h \
	analyze/sql/sqlfn.c analyze/sql/sqlfn.h analyze/sql/views.c analyze/sql/views.h \
	analyze/sql/sqlguard.c analyze/sql/sqlguard.h \
	$(libstore_a_SOURCES)
kscope_la_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(LZ4_CFLAGS) $(ZSTD_CFLAGS) \
	-include $(top_srcdir)/analyze/sql/sqlext-api.h
kscope_la_LDFLAGS = -module -avoid-version -shared -no-undefined
kscope_la_LIBADD = $(LZ4_LIBS) $(ZSTD_LIBS) -lm
