/*
 * cursor.h - the k-way merge of chunks in time order (cursor.c), shared
 * by the public cursor (store_cursor_*) and the virtual tables' ORDER BY
 * ts plan (vtab.c).  Not for use outside store/.
 *
 *     struct store_merge *m = store_merge_open(db, 1u << EV_SYSCALL,
 *                                              lo, hi, ctr, err);
 *     struct store_merge_pos p;
 *     while ((rc = store_merge_next(m, &p)) > 0)
 *             store_chunk_column(p.dec, p.chunk, p.d, f, ctr, err) ...
 *     store_merge_close(m);
 *
 * A merge of the chunks of the kinds in KIND_MASK meeting [TS_FROM,
 * TS_TO] yields rows in ts order.  Only column 0 (ts) of a position's
 * decoder is decoded; the caller decodes what it reads with
 * store_chunk_column (chunkio.h).  Errors go to ERR (STORE_ERRLEN bytes,
 * owned by the caller, alive as long as the merge); counters to CTR.
 */
#ifndef KSCOPE_STORE_CURSOR_H
#define KSCOPE_STORE_CURSOR_H

#include "store/store.h"
#include "store/chunk.h"

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

#endif
