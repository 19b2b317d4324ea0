/*
 * store_int.h - the open trace (struct store) and the steps of
 * store_open: what the reader (reader.c) and the code working on an open
 * store (cursor.c, scan.c, verify.c, limits.c) share.  Not for use
 * outside store/.  Reading chunks is chunkio.h's, the time-ordered merge
 * cursor.h's, the event tables store_sql.h's.
 */
#ifndef KSCOPE_STORE_INT_H
#define KSCOPE_STORE_INT_H

#include "store/store.h"

struct store_meta_kv {
	char *key, *value;
};

struct store_budget {
	uint64_t used, limit; /* virtual-machine steps */
	int spent;
	int (*cb)(void *);    /* store_progress_set's */
	void *arg;
};

struct store {
	sqlite3 *db;
	char *path;
	const char *arch; /* canonical, for syscall names; NULL if unknown */
	long recorder;    /* store_recorder_pid */
	struct store_meta_kv *meta;
	size_t nmeta;
	struct store_counters ctr;
	struct store_budget budget;
	char errmsg[STORE_ERRLEN];
};

/* The byte of a trace a recorder holds a POSIX read lock on for as long
 * as it records (writer.c): the first after SQLite's own lock bytes
 * (PENDING, RESERVED and the 510 SHARED bytes from 0x40000000), so it
 * meets none of them.  F_GETLK on it tells a reader, without writing
 * anything, that the file is being recorded, and by which pid. */
#define STORE_RECORDING_BYTE (0x40000000 + 512)

/* Open PATH read-only as sqlite3_open_v2 does (*DB is set even on
 * failure, for its message), never creating or writing a file beside it
 * (ropen.c).  *RECORDER: the pid of the recorder writing PATH now (0 when
 * not visible from here), or -1.  A SQLite result code; on failure WHY
 * (LEN bytes) holds the reason when kscope itself refused, else it is
 * empty. */
int store_ropen(const char *path, sqlite3 **db, long *recorder, char *why,
		size_t len);

/* Bound what statements on ST's connection may cost (limits.c); called
 * first thing after the connection opens.  FILE_BYTES: the file's size. */
void store_limits_init(struct store *st, uint64_t file_bytes);

/* Is DB's schema exactly SCHEMA_SQL's (with EXTRA_TABLES: plus tables
 * a newer minor version may add)?  0, or -EBADMSG with a phrase naming
 * what differs in WHY ("table meta has an unexpected column 'value0'"),
 * or -EIO / -ENOMEM with SQLite's message (schema_check.c). */
int store_schema_check(sqlite3 *db, int extra_tables, char *why,
		       size_t len);

/* Create TMP (mode 0600; a leftover of a killed run is replaced) and copy
 * TRACE into it with VACUUM INTO, through a read-only connection of its
 * own (snapshot.c).  TMP's descriptor (the caller syncs and closes it),
 * or -errno with ERR set; TMP is removed on failure. */
int store_copy_tmp(const char *trace, const char *tmp,
		   char err[STORE_ERRLEN]);

#endif
