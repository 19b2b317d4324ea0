/*
 * chunkio.h - reading one chunk: its blob, its columns, the rows of a time
 * range (chunkio.c).  Not for use outside store/.
 *
 * Every error message names the chunk ("chunk 12 of syscalls: ...") and
 * is written to ERR (STORE_ERRLEN bytes, the caller's).  Counters go to
 * CTR when it is not NULL.
 */
#ifndef KSCOPE_STORE_CHUNKIO_H
#define KSCOPE_STORE_CHUNKIO_H

#include "store/store.h"
#include "store/chunk.h"

/* Why SQLite result RC failed, as a phrase for a message about a trace:
 * "not a kscope trace (...)" for SQLITE_NOTADB, "the trace is truncated
 * or corrupt" for SQLITE_CORRUPT, else DB's message (or RC's when DB is
 * NULL). */
const char *store_sql_reason(int rc, sqlite3 *db);

/* Read chunk ID (of COUNT events, kind D) into DEC through *BLOB (an
 * sqlite3_blob handle the caller keeps and closes; NULL at first).
 * 0, or -EBADMSG / -EIO / -ENOMEM. */
int store_chunk_read(sqlite3 *db, sqlite3_blob **blob, int64_t id,
		     uint32_t count, const struct ev_desc *d,
		     struct chunk_dec *dec, struct store_counters *ctr,
		     char err[STORE_ERRLEN]);

/* Decode column FIELD of the chunk in DEC (chunk ID, kind D). */
int store_chunk_column(struct chunk_dec *dec, int64_t id,
		       const struct ev_desc *d, unsigned field,
		       struct store_counters *ctr, char err[STORE_ERRLEN]);

/* First row with ts >= LO and one past the last row with ts <= HI in a
 * chunk whose ts column (field 0) is decoded. */
void store_chunk_rows(const struct chunk_dec *dec, uint64_t lo, uint64_t hi,
		      uint32_t *first, uint32_t *end);

#endif
