/*
 * chunk.h - the chunk codec: events of one kind <-> one compressed blob.
 *
 * Encoding:
 *
 *     struct chunk_builder *b = chunk_builder_new(ev_desc(EV_SYSCALL), 65536);
 *     chunk_builder_add(b, &ev);            ... until chunk_builder_full(b)
 *     struct chunk_blob blob;
 *     chunk_builder_seal(b, &blob);         // blob.data owned by b until the
 *                                           // next seal or free
 * Decoding:
 *
 *     struct chunk_dec *d = chunk_dec_new(ev_desc(EV_SYSCALL));
 *     chunk_dec_load(d, data, len, count, err);   // checks the header
 *     chunk_dec_column(d, field, err);            // decodes one column
 *     chunk_dec_int(d, field, row) / chunk_dec_str(d, field, row)
 *
 * Layout (docs/FORMAT.md has the byte-level description): a header with the
 * event count and, per stored field, its encoding, raw and stored length and
 * a checksum; then the columns.  Rows are sorted by ts within a chunk.
 * Integers are zigzag varints: plain, deltas from the previous row, or
 * differences from a reference column of the same row (pid from tid, fd
 * from arg0), the builder picking the shortest per column; strings are a per-chunk
 * dictionary plus one varint index per row.  Each column is LZ4-compressed,
 * or stored raw when that is not smaller; chunk_dec_recompress turns a
 * sealed chunk's columns into zstd frames (smaller, slower to make).  A column is decoded only when
 * asked for, so a query pays only for the columns it reads.
 */
#ifndef KSCOPE_CHUNK_H
#define KSCOPE_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "store/ev.h"

#define CHUNK_CODEC_COLUMNAR 1 /* chunks.codec value for this layout */
#define CHUNK_ERRLEN 160

/* Limits of the format (docs/FORMAT.md, "Limits"): what a writer never
 * exceeds and a reader refuses beyond, so that a chunk's claims bound the
 * memory a reader spends on it.  A chunk holds at most CHUNK_EVENTS_MAX
 * events; a string is at most CHUNK_STR_MAX bytes (longer ones are cut,
 * ending in "..."); a string column's dictionary grows to at most
 * CHUNK_DICT_FULL bytes plus one string before the builder reports full,
 * and a reader accepts up to CHUNK_DICT_MAX. */
#define CHUNK_EVENTS_MAX 65536u
#define CHUNK_STR_MAX 65536u
#define CHUNK_DICT_FULL (4u << 20)
#define CHUNK_DICT_MAX (8u << 20)

struct chunk_blob {
	const void *data;
	size_t size;     /* bytes stored */
	size_t raw_size; /* bytes of all columns before compression */
	uint32_t count;
	uint64_t ts_first, ts_last;
};

struct chunk_builder;

/* NULL on allocation failure or a CAPACITY of 0 or past
 * CHUNK_EVENTS_MAX. */
struct chunk_builder *chunk_builder_new(const struct ev_desc *d,
					uint32_t capacity);
void chunk_builder_free(struct chunk_builder *b);
/* Copy EV (and its strings) in.  0 or -ENOMEM.  The builder must not be
 * full. */
int chunk_builder_add(struct chunk_builder *b, const void *ev);
uint32_t chunk_builder_count(const struct chunk_builder *b);
/* Full: CAPACITY events, or a string column's dictionary past
 * CHUNK_DICT_FULL bytes. */
int chunk_builder_full(const struct chunk_builder *b);
/* Sort, encode and compress what was added, then empty the builder.  0 or
 * -ENOMEM; with no events, 0 and out->count == 0. */
int chunk_builder_seal(struct chunk_builder *b, struct chunk_blob *out);

struct chunk_dec;

struct chunk_dec *chunk_dec_new(const struct ev_desc *d);
void chunk_dec_free(struct chunk_dec *c);
/* Take a blob of COUNT events (copied).  Checks the header's structure and
 * checksum; columns are checked when decoded.  0, -EBADMSG (message in ERR)
 * or -ENOMEM. */
int chunk_dec_load(struct chunk_dec *c, const void *data, size_t size,
		   uint32_t count, char err[CHUNK_ERRLEN]);
/* The same in two steps, to read a blob straight into the decoder: a
 * buffer of SIZE bytes to fill (NULL on ENOMEM), then the checks. */
void *chunk_dec_reserve(struct chunk_dec *c, size_t size);
int chunk_dec_parse(struct chunk_dec *c, size_t size, uint32_t count,
		    char err[CHUNK_ERRLEN]);
uint32_t chunk_dec_count(const struct chunk_dec *c);
/* The span [LO, HI] the chunk index gives the loaded chunk (call after the
 * load): decoding the ts column then fails unless every ts lies in it.
 * A load resets it to everything.  The ts column must be sorted always. */
void chunk_dec_span(struct chunk_dec *c, uint64_t lo, uint64_t hi);
/* Decode field FIELD's column (a no-op if done).  0, -EBADMSG or -ENOMEM.
 * A field that a shorter, older chunk lacks decodes as 0 / NULL. */
int chunk_dec_column(struct chunk_dec *c, unsigned field,
		     char err[CHUNK_ERRLEN]);
/* Values of a decoded column.  Derived fields (EVF_DERIVED) read the field
 * they derive from. */
int64_t chunk_dec_int(const struct chunk_dec *c, unsigned field, uint32_t row);
const char *chunk_dec_str(const struct chunk_dec *c, unsigned field,
			  uint32_t row);
/* Decode every column and fill EV (the kind's struct) for ROW. */
int chunk_dec_row(struct chunk_dec *c, uint32_t row, void *ev,
		  char err[CHUNK_ERRLEN]);
/* Whether every column the loaded chunk holds is a field this build
 * knows (a newer minor version's chunk may hold more): then
 * chunk_dec_row gives all of the chunk. */
int chunk_dec_all_known(const struct chunk_dec *c);
/* Sum of the loaded chunk's column raw lengths, as its header gives them
 * (what chunks.raw_size must say). */
uint64_t chunk_dec_raw_size(const struct chunk_dec *c);
/* Bytes a blob whose columns hold RAW_SIZE raw bytes can take at most. */
uint64_t chunk_blob_bound(uint64_t raw_size);
/* Bytes of columns decompressed so far (for counters). */
uint64_t chunk_dec_columns_done(const struct chunk_dec *c);

/* Compress every column of the loaded chunk again with zstd at LEVEL
 * (1 to ZSTD_maxCLevel()), keeping a column as it was when that is not
 * smaller; each column is checked (hash, decompressed length) on the
 * way.  OUT's data and size (and raw_size, count) describe the new blob,
 * owned by C until its next load, recompression or free.  0, -EBADMSG or
 * -ENOMEM (message in ERR). */
int chunk_dec_recompress(struct chunk_dec *c, int level, struct chunk_blob *out,
			 char err[CHUNK_ERRLEN]);

/* The most raw bytes (all columns before compression) a chunk of D with
 * COUNT events can hold within the limits above; a reader refuses a chunk
 * or a column that claims more (a column's own bound depends on its field
 * and encoding: chunk.c, column_bound). */
uint64_t chunk_raw_bound(const struct ev_desc *d, uint32_t count);

/* Non-cryptographic 32-bit checksum used by the format. */
uint32_t chunk_hash(const void *data, size_t len);

#endif
