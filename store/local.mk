noinst_LIBRARIES += libstore.a
libstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(LZ4_CFLAGS) $(ZSTD_CFLAGS)
libstore_a_SOURCES = \
	store/ev.c store/ev.h store/ev_kinds.h \
	store/systab.c store/systab.h \
	store/varint.h \
	store/hmap.c store/hmap.h \
	store/chunk.c store/chunk.h \
	store/schema.h store/schema_check.c store/limits.c \
	store/writer.c store/compact.c \
	store/chunkio.c store/chunkio.h \
	store/store_int.h store/reader.c store/ropen.c \
	store/store_sql.h store/vtab.c store/cursor.c store/cursor.h \
	store/vgroup.c store/vgroup.h \
	store/scan.c store/verify.c store/snapshot.c \
	store/store.h
