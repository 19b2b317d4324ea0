noinst_LIBRARIES += librecord.a
librecord_a_SOURCES = record/record.h
