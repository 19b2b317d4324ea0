/*
 * store_int.h - what the reader, the virtual tables and the cursor share.
 * Not for use outside store/.
 */
#ifndef KSCOPE_STORE_INT_H
#define KSCOPE_STORE_INT_H

#include "store/store.h"
#include "store/chunk.h"

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
	struct store_meta_kv *meta;
	size_t nmeta;
	struct store_counters ctr;
	struct store_budget budget;
	char errmsg[STORE_ERRLEN];
};

/* Open PATH read-only as sqlite3_open_v2 does (*DB is set even on
 * failure, for its message), never creating or writing a file beside it
 * (ropen.c).  A SQLite result code; on failure WHY (LEN bytes) holds the
 * reason when kscope itself refused, else it is empty. */
int store_ropen(const char *path, sqlite3 **db, char *why, size_t len);

/* Read chunk ID (of COUNT events, kind D) into DEC through *BLOB (an
 * sqlite3_blob handle the caller keeps and closes; NULL at first).
 * Counts the chunk in CTR when not NULL.  0, or -EBADMSG / -EIO / -ENOMEM
 * with a message naming the chunk in ERR. */
int store_chunk_read(sqlite3 *db, sqlite3_blob **blob, int64_t id,
		     uint32_t count, const struct ev_desc *d,
		     struct chunk_dec *dec, struct store_counters *ctr,
		     char err[STORE_ERRLEN]);

/* Decode column FIELD of the chunk in DEC; on failure the message names
 * chunk ID. */
int store_chunk_column(struct chunk_dec *dec, int64_t id,
		       const struct ev_desc *d, unsigned field,
		       struct store_counters *ctr, char err[STORE_ERRLEN]);

/* First row with ts >= LO and one past the last row with ts <= HI in a
 * chunk whose ts column (field 0) is decoded. */
void store_chunk_rows(const struct chunk_dec *dec, uint64_t lo, uint64_t hi,
		      uint32_t *first, uint32_t *end);

/* A k-way merge of the chunks of the kinds in KIND_MASK meeting
 * [TS_FROM, TS_TO], yielding rows in ts order (cursor.c).  Only column 0
 * (ts) of a position's decoder is decoded; the caller decodes what it
 * reads with store_chunk_column.  Errors go to ERR (STORE_ERRLEN bytes,
 * owned by the caller, alive as long as the merge); counters to CTR. */
struct store_merge;
struct store_merge_pos {
	const struct ev_desc *d;
	struct chunk_dec *dec; /* valid until the next call */
	int64_t chunk;
	uint32_t row;
};
struct store_merge *store_merge_open(sqlite3 *db, unsigned kind_mask,
				     uint64_t ts_from, uint64_t ts_to,
				     struct store_counters *ctr,
				     char err[STORE_ERRLEN]);
/* 1 and *POS, 0 at the end, negative errno on error. */
int store_merge_next(struct store_merge *m, struct store_merge_pos *pos);
void store_merge_close(struct store_merge *m);

/* Check every row of the chunk index against the format's rules (a kind
 * we know, a span in [0, INT64_MAX] with ts_first <= ts_last, 1 to
 * CHUNK_EVENTS_MAX events, codec 1, a blob of stored_size bytes, sizes
 * within the limits of chunk.h) and that every blob has an index row
 * (verify.c), on the main database of DB.  0, or -EBADMSG with one line
 * naming the chunk in WHY. */
int store_index_check(sqlite3 *db, char *why, size_t len);

/* Bound what statements on ST's connection may cost (limits.c); called
 * first thing after the connection opens.  FILE_BYTES: the file's size. */
void store_limits_init(struct store *st, uint64_t file_bytes);

/* Is DB's schema exactly SCHEMA_SQL's (with EXTRA_TABLES: plus tables
 * a newer minor version may add)?  0, or -EBADMSG with a phrase naming
 * what differs in WHY ("table meta has an unexpected column 'value0'"),
 * or -EIO / -ENOMEM with SQLite's message (schema_check.c). */
int store_schema_check(sqlite3 *db, int extra_tables, char *why,
		       size_t len);

/* Register the event tables (eponymous virtual tables named after each
 * kind's table) on DB.  CTR, when not NULL, must outlive DB. */
int store_vtab_register(sqlite3 *db, struct store_counters *ctr);

#endif
