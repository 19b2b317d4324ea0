/*
 * chunk.c - the chunk codec (see chunk.h for use, docs/FORMAT.md for bytes).
 *
 * The builder keeps every stored field as an int64_t column (strings as
 * dictionary indexes: 0 = NULL, i + 1 = entry i), so sealing is: sort rows
 * by ts if they came out of order, encode each column as varints into a
 * scratch buffer, LZ4 it into the blob body, and put the header in front.
 */
#include "store/chunk.h"
#include "store/varint.h"

#include <errno.h>
#include <lz4.h>
#include <zstd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MAX_FIELDS 32
#define CHUNK_MAGIC0 'K'
#define CHUNK_MAGIC1 'C'

/* Column encodings (low nibble of the encoding byte), and how the column
 * is compressed (the high bits: at most one set). */
enum { ENC_PLAIN = 0, ENC_DELTA = 1, ENC_DICT = 2, ENC_REF = 3,
       ENC_GAP = 4 /* since 1.3 */ };
#define ENC_MASK 0x0fu
#define ENC_LZ4 0x80u
#define ENC_ZSTD 0x40u /* since 1.3 */
#define ENC_PACKED (ENC_LZ4 | ENC_ZSTD)

/* Largest raw column the builder writes (a sanity stop; the limits in
 * chunk.h keep columns far below it). */
#define RAW_LIMIT (256u << 20)

/* An LZ4 block grows at most 255-fold (each 0xff length byte adds 255
 * bytes of match), so a column that claims more is lying; checking that
 * up front keeps a small blob from making the reader allocate much. */
#define LZ4_MAX_RATIO 255u
#define LZ4_MAX_RAW(stored) ((uint64_t)(stored) * LZ4_MAX_RATIO + 64)
/* ... and an LZ4 block of RAW bytes takes at most this many (LZ4's
 * LZ4_COMPRESSBOUND, in 64 bits). */
#define LZ4_MAX_STORED(raw) ((uint64_t)(raw) + (uint64_t)(raw) / 255 + 16)
/* A zstd frame of RAW bytes takes at most this many (ZSTD_COMPRESSBOUND,
 * in 64 bits).  Its expansion has no useful bound (an RLE block of 4
 * bytes makes 128 KiB): what its raw length may claim is bounded by the
 * column's events alone. */
#define ZSTD_MAX_STORED(raw) ((uint64_t)(raw) + (uint64_t)(raw) / 256 + 64)

/* Fuzzing builds (tests/fuzz/, docs/FUZZING.md) accept any checksum, so
 * that mutated inputs reach the decoding behind the checks. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define HASH_MATCHES(got, want) ((void)(got), (void)(want), 1)
#else
#define HASH_MATCHES(got, want) ((got) == (want))
#endif

/* ---- checksum ------------------------------------------------------- */

static inline uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint32_t chunk_hash(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
	uint64_t w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, p, len);
	h = mix64(h ^ w);
	return (uint32_t)(h ^ (h >> 32));
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Grow *BUF to hold at least NEED bytes. */
static int buf_reserve(uint8_t **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	uint8_t *p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

/* Fields of D that are stored in chunks, in order. */
static unsigned stored_fields(const struct ev_desc *d,
			      unsigned idx[CHUNK_MAX_FIELDS])
{
	unsigned n = 0;

	for (unsigned i = 0; i < d->nfields && n < CHUNK_MAX_FIELDS; i++)
		if (!(d->fields[i].flags & EVF_DERIVED))
			idx[n++] = i;
	return n;
}

/* ---- string dictionary (builder side) ------------------------------- */

struct dict {
	uint8_t *bytes; /* entries back to back: varint len, bytes */
	size_t len, cap;
	uint32_t *slots; /* open addressing: entry index + 1, 0 = empty */
	uint32_t *offs;  /* entry -> offset of its bytes in BYTES */
	uint32_t *lens;
	uint32_t nslots, n, ncap;
};

/* Short strings (comms are at most 15 bytes) as two words, loaded without
 * a loop: the first and last 8 bytes, overlapping, or the first and last
 * 4, or the first, middle and last byte.  Equal strings of equal length
 * give equal words, and the words with the length tell such strings
 * apart. */
#define DICT_SHORT 16

static inline void short_words(const void *s, size_t len, uint64_t *a,
			       uint64_t *b)
{
	const uint8_t *p = s;

	if (len >= 8) {
		memcpy(a, p, 8);
		memcpy(b, p + len - 8, 8);
	} else if (len >= 4) {
		uint32_t x, y;
		memcpy(&x, p, 4);
		memcpy(&y, p + len - 4, 4);
		*a = x;
		*b = y;
	} else {
		*a = len ? (uint64_t)p[0] << 16 | (uint64_t)p[len / 2] << 8 |
			   p[len - 1] : 0;
		*b = 0;
	}
}

/* Slot hash of a dictionary string.  It only places entries in the slot
 * table; the bytes written do not depend on it. */
static inline uint32_t dict_hash(const char *s, size_t len)
{
	uint64_t a, b;

	if (len > DICT_SHORT)
		return chunk_hash(s, len);
	short_words(s, len, &a, &b);
	return (uint32_t)(mix64(a ^ (b * 0x9e3779b97f4a7c15ULL) ^ len) >> 32);
}

static inline int dict_eq(const void *x, const void *y, size_t len)
{
	uint64_t xa, xb, ya, yb;

	if (len > DICT_SHORT)
		return !memcmp(x, y, len);
	short_words(x, len, &xa, &xb);
	short_words(y, len, &ya, &yb);
	return xa == ya && xb == yb;
}

static void dict_free(struct dict *t)
{
	if (!t)
		return;
	free(t->bytes);
	free(t->slots);
	free(t->offs);
	free(t->lens);
	free(t);
}

static void dict_reset(struct dict *t)
{
	t->len = 0;
	t->n = 0;
	memset(t->slots, 0, t->nslots * sizeof(*t->slots));
}

static int dict_grow(struct dict *t)
{
	uint32_t nslots = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (uint32_t e = 0; e < t->n; e++) {
		uint32_t h = dict_hash((const char *)t->bytes + t->offs[e],
				       t->lens[e]);
		uint32_t s = h & (nslots - 1);
		while (slots[s])
			s = (s + 1) & (nslots - 1);
		slots[s] = e + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return 0;
}

/* Index + 1 of S (its first LEN bytes) in T, adding it if new; 0 with
 * errno-style failure via *RC. */
static uint32_t dict_intern(struct dict *t, const char *s, size_t len,
			    int *rc)
{
	uint32_t h, slot;

	if ((t->n + 1) * 2 > t->nslots && (*rc = dict_grow(t)) < 0)
		return 0;
	h = dict_hash(s, len);
	for (slot = h & (t->nslots - 1); t->slots[slot];
	     slot = (slot + 1) & (t->nslots - 1)) {
		uint32_t e = t->slots[slot] - 1;
		if (t->lens[e] == len && dict_eq(t->bytes + t->offs[e], s, len))
			return e + 1;
	}
	if (t->n == t->ncap) {
		uint32_t nc = t->ncap ? t->ncap * 2 : 256;
		uint32_t *o = realloc(t->offs, nc * sizeof(*o));
		if (!o)
			goto oom;
		t->offs = o;
		uint32_t *l = realloc(t->lens, nc * sizeof(*l));
		if (!l)
			goto oom;
		t->lens = l;
		t->ncap = nc;
	}
	if (buf_reserve(&t->bytes, &t->cap, t->len + VARINT_MAX + len) < 0)
		goto oom;
	uint8_t *p = varint_put(t->bytes + t->len, len);
	t->offs[t->n] = (uint32_t)(p - t->bytes);
	t->lens[t->n] = (uint32_t)len;
	memcpy(p, s, len);
	t->len = (size_t)(p - t->bytes) + len;
	t->slots[slot] = ++t->n;
	return t->n;
oom:
	*rc = -ENOMEM;
	return 0;
}

/* ---- builder -------------------------------------------------------- */

/* How chunk_builder_add loads a stored field: by its C width, so that the
 * per-event loop needs no descriptor lookup and no switch on the type. */
enum { LOAD_U32, LOAD_I32, LOAD_64, LOAD_STR, LOAD_KINDS };

struct load {
	size_t at;    /* its column's start in vals: column * stride */
	unsigned off; /* of the field in the event struct */
	unsigned col;
};

/* Columns lie a cache line (8 values) further apart than the capacity:
 * with a power-of-two capacity, column starts a multiple of 4 KiB apart
 * would put a row's values all in the same cache set (and make loads after
 * a row's stores look as if they depended on them), so that adding a row
 * missed the cache on most of its values. */
#define COL_PAD 8

struct chunk_builder {
	const struct ev_desc *d;
	uint32_t cap, n;
	size_t stride; /* values from one column's start to the next's */
	unsigned ncols;
	unsigned field[CHUNK_MAX_FIELDS]; /* column -> field index */
	struct dict *dict[CHUNK_MAX_FIELDS]; /* string columns only */
	int refcol[CHUNK_MAX_FIELDS]; /* column of the field's ref, or -1 */
	int spancol; /* the EVF_SPAN column ts may be stored against, or -1 */
	uint8_t last_enc[CHUNK_MAX_FIELDS]; /* the previous chunk's choice */
	int64_t *vals;                      /* ncols * stride, column-major */
	struct load load[LOAD_KINDS][CHUNK_MAX_FIELDS];
	unsigned nload[LOAD_KINDS];
	int sorted;
	uint64_t last_ts;
	uint32_t *perm;
	int64_t *tmp;
	uint8_t *raw;
	uint8_t *body; /* room for the header, then the stored columns */
	size_t raw_cap, body_cap;
	char *cut; /* CHUNK_STR_MAX bytes: a string cut to the limit */
	int dict_full; /* a dictionary passed CHUNK_DICT_FULL bytes */
};

/* The column column C may be stored against (its field's ref), or -1.
 * References go one level deep: a referenced field has no ref itself. */
static int builder_refcol(const struct chunk_builder *b, unsigned c)
{
	const struct ev_field *f = &b->d->fields[b->field[c]];
	int fi = f->ref;

	if (fi < 0 || ev_type_is_bytes(f->type) ||
	    ev_type_is_bytes(b->d->fields[fi].type) ||
	    b->d->fields[fi].ref >= 0)
		return -1;
	for (unsigned k = 0; k < b->ncols; k++)
		if (b->field[k] == (unsigned)fi && k != c)
			return (int)k;
	return -1;
}

struct chunk_builder *chunk_builder_new(const struct ev_desc *d,
					uint32_t capacity)
{
	struct chunk_builder *b = calloc(1, sizeof(*b));

	if (!b || !capacity || capacity > CHUNK_EVENTS_MAX)
		goto fail;
	b->d = d;
	b->cap = capacity;
	b->ncols = stored_fields(d, b->field);
	b->sorted = 1;
	b->stride = (size_t)capacity + COL_PAD;
	b->vals = malloc(b->ncols * b->stride * sizeof(*b->vals));
	if (!b->vals)
		goto fail;
	for (unsigned c = 0; c < b->ncols; c++) {
		const struct ev_field *f = &d->fields[b->field[c]];
		int k = ev_type_is_bytes(f->type) ? LOAD_STR :
			f->type == EVT_I32 || f->type == EVT_SYSNAME ? LOAD_I32 :
			f->type == EVT_U64 || f->type == EVT_I64 ? LOAD_64 :
			LOAD_U32; /* EVT_U32, EVT_ENUM: as ev_get_int */
		b->load[k][b->nload[k]++] = (struct load){
			c * b->stride, f->off, c };
		b->refcol[c] = builder_refcol(b, c);
	}
	b->spancol = -1;
	for (unsigned c = 1; c < b->ncols; c++)
		if (d->fields[b->field[c]].flags & EVF_SPAN &&
		    !ev_type_is_bytes(d->fields[b->field[c]].type) &&
		    d->fields[b->field[0]].flags & EVF_TS)
			b->spancol = (int)c;
	for (unsigned c = 0; c < b->ncols; c++) {
		if (!ev_type_is_bytes(d->fields[b->field[c]].type))
			continue;
		b->dict[c] = calloc(1, sizeof(struct dict));
		if (!b->dict[c] || dict_grow(b->dict[c]) < 0)
			goto fail;
	}
	return b;
fail:
	chunk_builder_free(b);
	return NULL;
}

void chunk_builder_free(struct chunk_builder *b)
{
	if (!b)
		return;
	for (unsigned c = 0; c < b->ncols; c++)
		dict_free(b->dict[c]);
	free(b->vals);
	free(b->perm);
	free(b->tmp);
	free(b->raw);
	free(b->body);
	free(b->cut);
	free(b);
}

uint32_t chunk_builder_count(const struct chunk_builder *b) { return b->n; }
int chunk_builder_full(const struct chunk_builder *b)
{
	return b->n >= b->cap || b->dict_full;
}

/* Intern string S into column C's dictionary, cut to CHUNK_STR_MAX bytes
 * (the last three "...") when longer.  A blob's entry is its bytes (cut
 * to CHUNK_STR_MAX without a marker; writers keep blobs far shorter). */
static uint32_t builder_str(struct chunk_builder *b, unsigned c, const char *s,
			    int *rc)
{
	size_t len;
	struct dict *t = b->dict[c];
	uint32_t e;

	if (b->d->fields[b->field[c]].type == EVT_BLOB) {
		len = ev_blob_len(s);
		s = ev_blob_data(s);
		if (len > CHUNK_STR_MAX)
			len = CHUNK_STR_MAX;
	} else if ((len = strnlen(s, CHUNK_STR_MAX + 1)) > CHUNK_STR_MAX) {
		if (!b->cut && !(b->cut = malloc(CHUNK_STR_MAX))) {
			*rc = -ENOMEM;
			return 0;
		}
		memcpy(b->cut, s, CHUNK_STR_MAX - 3);
		memcpy(b->cut + CHUNK_STR_MAX - 3, "...", 3);
		s = b->cut;
		len = CHUNK_STR_MAX;
	}
	e = dict_intern(t, s, len, rc);
	if (t->len >= CHUNK_DICT_FULL)
		b->dict_full = 1;
	return e;
}

int chunk_builder_add(struct chunk_builder *b, const void *ev)
{
	const char *e = ev;
	uint32_t row = b->n;
	int64_t *v = b->vals + row; /* a column's value is v[at] */
	const struct load *l;
	int rc = 0;

	if (row >= b->cap)
		return -ENOSPC;
	l = b->load[LOAD_64];
	for (unsigned i = 0; i < b->nload[LOAD_64]; i++) {
		int64_t x;
		memcpy(&x, e + l[i].off, sizeof(x));
		v[l[i].at] = x;
	}
	l = b->load[LOAD_U32];
	for (unsigned i = 0; i < b->nload[LOAD_U32]; i++) {
		uint32_t x;
		memcpy(&x, e + l[i].off, sizeof(x));
		v[l[i].at] = x;
	}
	l = b->load[LOAD_I32];
	for (unsigned i = 0; i < b->nload[LOAD_I32]; i++) {
		int32_t x;
		memcpy(&x, e + l[i].off, sizeof(x));
		v[l[i].at] = x;
	}
	l = b->load[LOAD_STR];
	for (unsigned i = 0; i < b->nload[LOAD_STR]; i++) {
		const char *s;
		memcpy(&s, e + l[i].off, sizeof(s));
		v[l[i].at] = s ? builder_str(b, l[i].col, s, &rc) : 0;
		if (rc < 0)
			return rc;
	}
	uint64_t ts = ev_ts(ev);
	if (row && ts < b->last_ts)
		b->sorted = 0;
	b->last_ts = ts;
	b->n++;
	return 0;
}

/* Rows X and Y by ts (column TS), then by row number. */
static int cmp_row(const void *a, const void *b, void *ts)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const int64_t *t = ts;
	uint64_t tx = (uint64_t)t[x], ty = (uint64_t)t[y];

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Put rows in ts order (stable).  Column 0 is ts. */
static int builder_sort(struct chunk_builder *b)
{
	uint32_t n = b->n;

	if (!b->perm) {
		b->perm = malloc(b->cap * sizeof(*b->perm));
		b->tmp = malloc(b->cap * sizeof(*b->tmp));
		if (!b->perm || !b->tmp)
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++)
		b->perm[i] = i;
	qsort_r(b->perm, n, sizeof(*b->perm), cmp_row, b->vals);
	for (unsigned c = 0; c < b->ncols; c++) {
		int64_t *col = b->vals + c * b->stride;
		for (uint32_t i = 0; i < n; i++)
			b->tmp[i] = col[b->perm[i]];
		memcpy(col, b->tmp, n * sizeof(*col));
	}
	return 0;
}

/* Write V[0..N) at P (room for N * VARINT_MAX bytes) in encoding PUT, and
 * set SIZE[e] to the bytes each encoding e would take: plain, delta, and
 * ref (the difference from R) if HAS_REF, else SIZE_MAX.  With SIZING 0
 * only PUT's size is counted.  Always inlined with constant PUT, HAS_REF
 * and SIZING, so each use is a loop of its own with no per-value test. */
static inline __attribute__((always_inline)) uint8_t *
put_sizing(uint8_t *p, const int64_t *v, const int64_t *r, uint32_t n,
	   int put, int has_ref, int sizing, size_t size[ENC_REF + 1])
{
	const uint8_t *start = p;
	size_t plain = 0, delta = 0, ref = 0;
	uint64_t prev = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t x = (uint64_t)v[i];
		uint64_t u = zigzag((int64_t)x);
		if (put == ENC_PLAIN)
			p = varint_put(p, u);
		else if (sizing)
			plain += varint_len(u);
		u = zigzag((int64_t)(x - prev));
		prev = x;
		if (put == ENC_DELTA)
			p = varint_put(p, u);
		else if (sizing)
			delta += varint_len(u);
		if (!has_ref)
			continue;
		u = zigzag((int64_t)(x - (uint64_t)r[i]));
		if (put == ENC_REF)
			p = varint_put(p, u);
		else if (sizing)
			ref += varint_len(u);
	}
	size[ENC_PLAIN] = put == ENC_PLAIN ? (size_t)(p - start) : plain;
	size[ENC_DELTA] = put == ENC_DELTA ? (size_t)(p - start) : delta;
	size[ENC_REF] = !has_ref ? SIZE_MAX :
			put == ENC_REF ? (size_t)(p - start) : ref;
	return p;
}

/* The ts column V as gaps: each row's distance from the end of the row
 * before it, whose span (duration) column is D.  Written at P when PUT;
 * returns the bytes it takes (or the end written, as an offset). */
static size_t put_gap(uint8_t *p, const int64_t *v, const int64_t *d,
		      uint32_t n, int put)
{
	uint64_t end = 0;
	size_t len = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t u = zigzag((int64_t)((uint64_t)v[i] - end));
		if (put)
			p = varint_put(p, u);
		else
			len += varint_len(u);
		end = (uint64_t)v[i] + (uint64_t)d[i];
	}
	return put ? 0 : len;
}

/* Encode column C as varints into b->raw; returns its length and the
 * encoding through *ENC. */
static int encode_column(struct chunk_builder *b, unsigned c, size_t *len,
			 uint8_t *enc)
{
	const int64_t *v = b->vals + c * b->stride;
	uint32_t n = b->n;
	uint8_t *p;

	if (b->dict[c]) {
		struct dict *t = b->dict[c];
		size_t need = VARINT_MAX + t->len + (size_t)n * 5;
		if (buf_reserve(&b->raw, &b->raw_cap, need) < 0)
			return -ENOMEM;
		p = varint_put(b->raw, t->n);
		if (t->len) /* BYTES is NULL until the first string */
			memcpy(p, t->bytes, t->len);
		p += t->len;
		for (uint32_t i = 0; i < n; i++)
			p = varint_put(p, (uint64_t)v[i]);
		*enc = ENC_DICT;
	} else {
		/* Plain, delta from the previous row, or difference from the
		 * reference column: whichever makes the fewest bytes (the
		 * first of them on a tie).  One pass sizes all three while it
		 * writes the one that won the column's previous chunk; only
		 * when another wins now does a second pass write that. */
		const int64_t *r = b->refcol[c] >= 0 ?
			b->vals + (size_t)b->refcol[c] * b->stride : NULL;
		int guess = b->last_enc[c];
		size_t size[ENC_REF + 1]; /* by encoding; ENC_DICT unused */

		if (buf_reserve(&b->raw, &b->raw_cap,
				(size_t)n * VARINT_MAX) < 0)
			return -ENOMEM;
		p = b->raw;
		if (guess == ENC_REF && r)
			p = put_sizing(p, v, r, n, ENC_REF, 1, 1, size);
		else if (guess == ENC_DELTA && r)
			p = put_sizing(p, v, r, n, ENC_DELTA, 1, 1, size);
		else if (r)
			p = put_sizing(p, v, r, n, guess = ENC_PLAIN, 1, 1, size);
		else if (guess == ENC_DELTA)
			p = put_sizing(p, v, r, n, ENC_DELTA, 0, 1, size);
		else
			p = put_sizing(p, v, r, n, guess = ENC_PLAIN, 0, 1, size);
		*enc = ENC_PLAIN;
		if (size[ENC_DELTA] < size[*enc])
			*enc = ENC_DELTA;
		if (size[ENC_REF] < size[*enc])
			*enc = ENC_REF;
		b->last_enc[c] = *enc;
		if ((int)c == 0 && b->spancol >= 0) {
			/* ts: or as gaps after the previous row's end */
			const int64_t *d = b->vals + (size_t)b->spancol *
						     b->stride;
			size_t gap = put_gap(NULL, v, d, n, 0);
			if (gap < size[*enc]) {
				put_gap(b->raw, v, d, n, 1);
				*enc = ENC_GAP;
				*len = gap;
				return 0;
			}
		}
		if (*enc != guess) { /* write the winner over the guess */
			if (*enc == ENC_PLAIN)
				p = put_sizing(b->raw, v, r, n, ENC_PLAIN, 0, 0,
					       size);
			else if (*enc == ENC_DELTA)
				p = put_sizing(b->raw, v, r, n, ENC_DELTA, 0, 0,
					       size);
			else
				p = put_sizing(b->raw, v, r, n, ENC_REF, 1, 0,
					       size);
		}
	}
	*len = (size_t)(p - b->raw);
	return 0;
}

/* Longest header: magic, count, ncols, the column descriptors, hash. */
#define HDR_MAX (16 + CHUNK_MAX_FIELDS * (1 + 3 * VARINT_MAX + 4))

/* Write at H the descriptor of a column: encoding byte ENC, REF when its
 * encoding is a reference, its RAW and STORED lengths and the hash of its
 * STORED bytes at DATA.  Returns the end. */
static uint8_t *put_coldesc(uint8_t *h, uint8_t enc, uint32_t ref,
			    size_t raw, size_t stored, const uint8_t *data)
{
	*h++ = enc;
	if ((enc & ENC_MASK) == ENC_REF || (enc & ENC_MASK) == ENC_GAP)
		h = varint_put(h, ref);
	h = varint_put(h, raw);
	h = varint_put(h, stored);
	put_u32(h, chunk_hash(data, stored));
	return h + 4;
}

/* End the header HDR (written up to H) with its hash and put it right in
 * front of the columns, which lie in BUF from HDR_MAX to BODY: the blob
 * is never copied whole.  Sets OUT's data and size. */
static void blob_finish(uint8_t *hdr, uint8_t *h, uint8_t *buf, size_t body,
			struct chunk_blob *out)
{
	put_u32(h, chunk_hash(hdr, (size_t)(h - hdr)));
	h += 4;

	size_t hlen = (size_t)(h - hdr);
	uint8_t *start = buf + HDR_MAX - hlen;
	memcpy(start, hdr, hlen);
	out->data = start;
	out->size = hlen + body - HDR_MAX;
}

/* The columns are compressed into b->body after HDR_MAX bytes, and the
 * header goes in front of them (blob_finish). */
int chunk_builder_seal(struct chunk_builder *b, struct chunk_blob *out)
{
	uint8_t hdr[HDR_MAX];
	uint8_t *h = hdr;
	size_t body = HDR_MAX, raw_total = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!b->n)
		return 0;
	if (!b->sorted && (rc = builder_sort(b)) < 0)
		return rc;

	*h++ = CHUNK_MAGIC0;
	*h++ = CHUNK_MAGIC1;
	h = varint_put(h, b->n);
	h = varint_put(h, b->ncols);
	for (unsigned c = 0; c < b->ncols; c++) {
		size_t raw_len, stored;
		uint8_t enc;

		if ((rc = encode_column(b, c, &raw_len, &enc)) < 0)
			return rc;
		if (raw_len > RAW_LIMIT)
			return -E2BIG;
		int bound = LZ4_compressBound((int)raw_len);
		if (buf_reserve(&b->body, &b->body_cap, body + (size_t)bound) < 0)
			return -ENOMEM;
		int z = LZ4_compress_default((const char *)b->raw,
					     (char *)b->body + body,
					     (int)raw_len, bound);
		if (z > 0 && (size_t)z < raw_len) {
			stored = (size_t)z;
			enc |= ENC_LZ4;
		} else {
			memcpy(b->body + body, b->raw, raw_len);
			stored = raw_len;
		}
		h = put_coldesc(h, enc, (uint32_t)((enc & ENC_MASK) == ENC_GAP ?
						   b->spancol : b->refcol[c]),
				raw_len, stored, b->body + body);
		body += stored;
		raw_total += raw_len;
	}
	blob_finish(hdr, h, b->body, body, out);
	out->raw_size = raw_total;
	out->count = b->n;
	out->ts_first = (uint64_t)b->vals[0];
	out->ts_last = (uint64_t)b->vals[b->n - 1];

	b->n = 0;
	b->sorted = 1;
	b->dict_full = 0;
	for (unsigned c = 0; c < b->ncols; c++)
		if (b->dict[c])
			dict_reset(b->dict[c]);
	return 0;
}

/* ---- limits --------------------------------------------------------- */

/* Whether values of type T fit 32 bits (as chunk_builder_add loads them):
 * then a value, or its difference from the previous row's, zigzags to
 * less than 2^35 and takes at most 5 varint bytes; other integers (and
 * differences from a reference column, which may be 64-bit) take 10. */
static int type_is_32(enum ev_type t)
{
	return t != EVT_U64 && t != EVT_I64 && !ev_type_is_bytes(t);
}

/* Most raw bytes a column of N events can take: ENC is its encoding
 * (ENC_REF gives the largest any encoding of the type may take); TYPE -1
 * for a column this build does not know (a newer minor version's field:
 * any type). */
static uint64_t column_bound(int type, int enc, uint32_t n)
{
	uint64_t str = VARINT_MAX + (uint64_t)n * 5 + CHUNK_DICT_MAX;
	uint64_t wide = (uint64_t)n * VARINT_MAX;

	if (type < 0)
		return str > wide ? str : wide;
	if (ev_type_is_bytes((enum ev_type)type))
		return str;
	if (type_is_32((enum ev_type)type) && enc != ENC_REF && enc != ENC_GAP)
		return (uint64_t)n * 5;
	return wide;
}

uint64_t chunk_raw_bound(const struct ev_desc *d, uint32_t count)
{
	unsigned idx[CHUNK_MAX_FIELDS], n = stored_fields(d, idx);
	uint64_t sum = 0;

	/* Any integer column may be stored against a reference. */
	for (unsigned k = 0; k < n; k++)
		sum += column_bound(d->fields[idx[k]].type, ENC_REF, count);
	return sum;
}

/* ---- decoder -------------------------------------------------------- */

struct dcol {
	int present; /* the chunk has this column */
	int done;
	uint8_t enc;
	uint32_t raw_len, stored_len, hash;
	uint32_t ref; /* ENC_REF, ENC_GAP: the column it is stored against */
	size_t off; /* of the stored bytes in the blob */
	int64_t *v; /* ints, or dictionary indexes for strings */
	const char **dict; /* string columns: entry -> NUL-terminated text;
			    * blob columns: entry -> counted blob */
	char *text;        /* backing store for DICT */
	uint32_t ndict;
};

struct chunk_dec {
	const struct ev_desc *d;
	unsigned ncols;
	unsigned field[CHUNK_MAX_FIELDS];
	int col_of[CHUNK_MAX_FIELDS]; /* field -> column, -1 if none */
	uint8_t *blob;
	size_t size, blob_cap;
	uint32_t count, vcap;
	uint64_t raw_total; /* of the loaded chunk's columns (its header) */
	uint64_t span_lo, span_hi; /* ts must lie in it (chunk_dec_span) */
	struct dcol cols[CHUNK_MAX_FIELDS];
	unsigned hdr_ncols; /* columns the loaded chunk's header holds */
	uint8_t *scratch;
	size_t scratch_cap;
	uint64_t bytes_done;
	ZSTD_DCtx *zd; /* made at the first zstd column */
	ZSTD_CCtx *zc; /* chunk_dec_recompress's */
	uint8_t *re;   /* chunk_dec_recompress's blob */
	size_t re_cap;
};

static int dec_fail(char err[CHUNK_ERRLEN], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int dec_fail(char err[CHUNK_ERRLEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, CHUNK_ERRLEN, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* -ENOMEM, saying so in ERR (every failure has a reason). */
static int oom(char err[CHUNK_ERRLEN], const char *name, uint64_t bytes)
{
	snprintf(err, CHUNK_ERRLEN, "out of memory decoding column '%s' "
		 "(%llu bytes)", name, (unsigned long long)bytes);
	return -ENOMEM;
}

static int zstd_oom(char err[CHUNK_ERRLEN])
{
	snprintf(err, CHUNK_ERRLEN, "out of memory for a zstd context");
	return -ENOMEM;
}

struct chunk_dec *chunk_dec_new(const struct ev_desc *d)
{
	struct chunk_dec *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->d = d;
	c->ncols = stored_fields(d, c->field);
	for (unsigned i = 0; i < CHUNK_MAX_FIELDS; i++)
		c->col_of[i] = -1;
	for (unsigned k = 0; k < c->ncols; k++)
		c->col_of[c->field[k]] = (int)k;
	/* A derived field reads the stored field at the same offset. */
	for (unsigned i = 0; i < d->nfields && i < CHUNK_MAX_FIELDS; i++) {
		if (!(d->fields[i].flags & EVF_DERIVED))
			continue;
		for (unsigned k = 0; k < c->ncols; k++)
			if (d->fields[c->field[k]].off == d->fields[i].off)
				c->col_of[i] = (int)k;
	}
	return c;
}

static void dcol_release(struct dcol *k)
{
	free(k->dict);
	free(k->text);
	k->dict = NULL;
	k->text = NULL;
}

void chunk_dec_free(struct chunk_dec *c)
{
	if (!c)
		return;
	for (unsigned k = 0; k < CHUNK_MAX_FIELDS; k++) {
		dcol_release(&c->cols[k]);
		free(c->cols[k].v);
	}
	free(c->blob);
	free(c->scratch);
	free(c->re);
	ZSTD_freeDCtx(c->zd);
	ZSTD_freeCCtx(c->zc);
	free(c);
}

uint32_t chunk_dec_count(const struct chunk_dec *c) { return c->count; }

void chunk_dec_span(struct chunk_dec *c, uint64_t lo, uint64_t hi)
{
	c->span_lo = lo;
	c->span_hi = hi;
}
uint64_t chunk_dec_columns_done(const struct chunk_dec *c)
{
	return c->bytes_done;
}

void *chunk_dec_reserve(struct chunk_dec *c, size_t size)
{
	if (buf_reserve(&c->blob, &c->blob_cap, size ? size : 1) < 0)
		return NULL;
	return c->blob;
}

int chunk_dec_load(struct chunk_dec *c, const void *data, size_t size,
		   uint32_t count, char err[CHUNK_ERRLEN])
{
	void *buf = chunk_dec_reserve(c, size);

	if (!buf) {
		snprintf(err, CHUNK_ERRLEN, "out of memory reading %zu bytes",
			 size);
		return -ENOMEM;
	}
	memcpy(buf, data, size);
	return chunk_dec_parse(c, size, count, err);
}

int chunk_dec_parse(struct chunk_dec *c, size_t size, uint32_t count,
		    char err[CHUNK_ERRLEN])
{
	const uint8_t *p, *end;
	uint64_t n, ncols, raw_total = 0;
	size_t len, body = 0;

	for (unsigned k = 0; k < CHUNK_MAX_FIELDS; k++) {
		dcol_release(&c->cols[k]);
		c->cols[k].present = c->cols[k].done = 0;
	}
	c->count = 0;
	c->raw_total = 0;
	c->hdr_ncols = 0;
	c->size = size;
	c->span_lo = 0;
	c->span_hi = UINT64_MAX;
	p = c->blob;
	end = p + size;

	if (size < 2 + 2 + 4 || p[0] != CHUNK_MAGIC0 || p[1] != CHUNK_MAGIC1)
		return dec_fail(err, "bad chunk header");
	p += 2;
	if (!(len = varint_get(p, end, &n)))
		return dec_fail(err, "truncated chunk header");
	p += len;
	if (n != count)
		return dec_fail(err, "header holds %llu events, index says %u",
				(unsigned long long)n, count);
	if (n > CHUNK_EVENTS_MAX)
		return dec_fail(err, "%llu events (a chunk holds at most %u)",
				(unsigned long long)n, CHUNK_EVENTS_MAX);
	if (!(len = varint_get(p, end, &ncols)) || ncols > CHUNK_MAX_FIELDS)
		return dec_fail(err, "bad column count in chunk header");
	p += len;
	for (unsigned k = 0; k < ncols; k++) {
		uint64_t raw, stored;
		struct dcol *col = &c->cols[k];

		if (p >= end)
			return dec_fail(err, "truncated chunk header");
		col->enc = *p++;
		if ((col->enc & ENC_PACKED) == ENC_PACKED ||
		    (col->enc & ~(ENC_PACKED | ENC_MASK)))
			return dec_fail(err, "column %u has unknown "
					"compression 0x%02x", k, col->enc);
		if ((col->enc & ENC_MASK) == ENC_REF ||
		    (col->enc & ENC_MASK) == ENC_GAP) {
			uint64_t ref;
			if (!(len = varint_get(p, end, &ref)))
				return dec_fail(err, "truncated chunk header");
			p += len;
			if (ref >= ncols || ref == k)
				return dec_fail(err, "column %u refers to "
						"column %llu", k,
						(unsigned long long)ref);
			col->ref = (uint32_t)ref;
		}
		if (!(len = varint_get(p, end, &raw)))
			return dec_fail(err, "truncated chunk header");
		p += len;
		if (!(len = varint_get(p, end, &stored)))
			return dec_fail(err, "truncated chunk header");
		p += len;
		if (end - p < 4)
			return dec_fail(err, "truncated chunk header");
		col->hash = get_u32(p);
		p += 4;
		/* What a column may claim is bounded by its event count and
		 * type, so a small blob cannot make the reader allocate much
		 * (docs/FORMAT.md, "Limits"). */
		uint64_t bound = column_bound(k < c->ncols ?
			(int)c->d->fields[c->field[k]].type : -1,
			col->enc & ENC_MASK, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
		if (raw > bound)
			return dec_fail(err, "column %u declares %llu bytes, more "
					"than %llu events can need (%llu)", k,
					(unsigned long long)raw,
					(unsigned long long)n,
					(unsigned long long)bound);
		if (stored > size ||
		    ((col->enc & ENC_LZ4) ? raw > LZ4_MAX_RAW(stored) ||
					    stored > LZ4_MAX_STORED(raw) :
		     (col->enc & ENC_ZSTD) ? stored > ZSTD_MAX_STORED(raw) :
					     raw != stored))
			return dec_fail(err, "column %u declares %llu bytes "
					"from %llu stored", k,
					(unsigned long long)raw,
					(unsigned long long)stored);
		if (raw < n) /* every encoding takes a byte per event */
			return dec_fail(err, "column %u is %llu bytes, too "
					"short for %llu events", k,
					(unsigned long long)raw,
					(unsigned long long)n);
		col->raw_len = (uint32_t)raw;
		col->stored_len = (uint32_t)stored;
		col->off = body; /* relative until the header ends */
		body += stored;
		raw_total += raw;
	}
	if (end - p < 4)
		return dec_fail(err, "truncated chunk header");
	if (n && !ncols) /* every kind stores ts as its first column */
		return dec_fail(err, "chunk has events but no columns");
	if (!HASH_MATCHES(get_u32(p), chunk_hash(c->blob, (size_t)(p - c->blob))))
		return dec_fail(err, "chunk header checksum mismatch");
	p += 4;
	if ((size_t)(end - p) != body)
		return dec_fail(err, "chunk is %zu bytes, header describes %zu",
				size, (size_t)(p - c->blob) + body);
	size_t hlen = (size_t)(p - c->blob);
	for (unsigned k = 0; k < ncols; k++) {
		c->cols[k].off += hlen;
		c->cols[k].present = 1;
	}
	c->hdr_ncols = (unsigned)ncols;
	if (count > c->vcap) {
		for (unsigned k = 0; k < CHUNK_MAX_FIELDS; k++) {
			free(c->cols[k].v);
			c->cols[k].v = NULL;
		}
		c->vcap = count;
	}
	c->count = count;
	c->raw_total = raw_total;
	return 0;
}

int chunk_dec_all_known(const struct chunk_dec *c)
{
	return c->hdr_ncols <= c->ncols;
}

uint64_t chunk_dec_raw_size(const struct chunk_dec *c)
{
	return c->raw_total;
}

uint64_t chunk_blob_bound(uint64_t raw_size)
{
	/* LZ4's bound or zstd's, whichever is larger, per column. */
	return ZSTD_MAX_STORED(raw_size) + LZ4_MAX_STORED(raw_size) - raw_size +
	       CHUNK_MAX_FIELDS * 64 + HDR_MAX;
}

/* Decode the varints at P..END into V[0..n): zigzag values for ENC_PLAIN,
 * ENC_REF and ENC_GAP (the caller adds the reference), zigzag differences
 * for ENC_DELTA, plain indexes for ENC_DICT. */
static int get_varints(const uint8_t *p, const uint8_t *end, int64_t *v,
		       uint32_t n, unsigned enc, const uint8_t **stop)
{
	int64_t prev = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t u;
		size_t len = varint_get(p, end, &u);
		if (!len)
			return -1;
		p += len;
		if (enc == ENC_DICT) {
			v[i] = (int64_t)u;
			continue;
		}
		int64_t x = unzigzag(u);
		if (enc == ENC_DELTA)
			x = (int64_t)((uint64_t)prev + (uint64_t)x);
		v[i] = prev = x;
	}
	*stop = p;
	return 0;
}

static int decode_dict(struct dcol *col, const uint8_t *p, const uint8_t *end,
		       uint32_t count, int blob, const uint8_t **stop)
{
	size_t hdr = blob ? EV_BLOB_HDR : 0;
	uint64_t n;
	size_t len = varint_get(p, end, &n);

	/* Each entry is a row's string: no more entries than rows. */
	if (!len || n > (uint64_t)(end - p) || n > count)
		return -1;
	p += len;
	col->dict = malloc((n ? n : 1) * sizeof(*col->dict));
	/* Text plus a NUL per entry (and a blob's count) fits in the raw
	 * bytes plus N times that. */
	col->text = malloc((size_t)(end - p) + n * (1 + hdr) + 1);
	if (!col->dict || !col->text)
		return -ENOMEM;
	char *t = col->text;
	for (uint64_t e = 0; e < n; e++) {
		uint64_t sl;
		if (!(len = varint_get(p, end, &sl)) || sl > CHUNK_STR_MAX ||
		    sl > (uint64_t)(end - p - (ptrdiff_t)len))
			return -1;
		p += len;
		col->dict[e] = t;
		if (blob)
			t = ev_blob_init(t, (uint32_t)sl) + EV_BLOB_HDR;
		memcpy(t, p, sl);
		t[sl] = '\0';
		t += sl + 1;
		p += sl;
	}
	col->ndict = (uint32_t)n;
	*stop = p;
	return 0;
}

/* The raw bytes of column COL (named NAME in errors) at *RAW: checked
 * against its hash and decompressed into c->scratch, or where they lie in
 * the blob when stored raw.  0, -EBADMSG or -ENOMEM. */
static int column_raw(struct chunk_dec *c, const struct dcol *col,
		      const char *name, const uint8_t **raw,
		      char err[CHUNK_ERRLEN])
{
	const uint8_t *src = c->blob + col->off;
	size_t z;

	if (!HASH_MATCHES(chunk_hash(src, col->stored_len), col->hash))
		return dec_fail(err, "column '%s' checksum mismatch", name);
	if (!(col->enc & ENC_PACKED)) {
		if (col->stored_len != col->raw_len)
			return dec_fail(err, "column '%s' size mismatch", name);
		*raw = src;
		return 0;
	}
	if (buf_reserve(&c->scratch, &c->scratch_cap,
			col->raw_len ? col->raw_len : 1) < 0)
		return oom(err, name, col->raw_len);
	if (col->enc & ENC_LZ4) {
		int n = LZ4_decompress_safe((const char *)src,
					    (char *)c->scratch,
					    (int)col->stored_len,
					    (int)col->raw_len);
		z = n < 0 ? SIZE_MAX : (size_t)n;
	} else {
		if (!c->zd && !(c->zd = ZSTD_createDCtx()))
			return zstd_oom(err);
		/* Into a buffer of exactly raw_len bytes: a frame that
		 * claims or makes more is an error, never an overrun. */
		z = ZSTD_decompressDCtx(c->zd, c->scratch, col->raw_len, src,
					col->stored_len);
		if (ZSTD_isError(z))
			z = SIZE_MAX;
	}
	if (z != col->raw_len)
		return dec_fail(err, "column '%s' does not decompress to its "
				"declared %u bytes", name, col->raw_len);
	*raw = c->scratch;
	return 0;
}

int chunk_dec_column(struct chunk_dec *c, unsigned field,
		     char err[CHUNK_ERRLEN])
{
	int k = field < CHUNK_MAX_FIELDS ? c->col_of[field] : -1;
	const char *name = field < c->d->nfields ? c->d->fields[field].name : "?";
	struct dcol *col;
	const uint8_t *p, *end, *stop;
	int rc;

	if (k < 0)
		return dec_fail(err, "no column %u", field);
	col = &c->cols[k];
	if (col->done)
		return 0;
	if (!col->v && !(col->v = malloc((c->vcap ? c->vcap : 1) *
					sizeof(*col->v))))
		return oom(err, name, (uint64_t)c->vcap * sizeof(*col->v));
	if (!col->present) { /* an older chunk without this field */
		memset(col->v, 0, c->count * sizeof(*col->v));
		col->ndict = 0;
		col->done = 1;
		return 0;
	}
	if ((col->enc & ENC_MASK) == ENC_REF ||
	    (col->enc & ENC_MASK) == ENC_GAP) {
		/* The referenced column first: decoding shares c->scratch. */
		const struct dcol *rf = col->ref < c->ncols ?
					&c->cols[col->ref] : NULL;
		if (!rf || !rf->present || (rf->enc & ENC_MASK) > ENC_DELTA ||
		    ev_type_is_bytes(c->d->fields[c->field[col->ref]].type))
			return dec_fail(err, "column '%s' refers to a column "
					"it cannot use", name);
		if ((rc = chunk_dec_column(c, c->field[col->ref], err)) < 0)
			return rc;
	}
	if ((rc = column_raw(c, col, name, &p, err)) < 0)
		return rc;
	end = p + col->raw_len;
	uint8_t enc = col->enc & ENC_MASK;
	enum ev_type type = c->d->fields[c->field[k]].type;
	int is_str = ev_type_is_bytes(type);
	if (is_str != (enc == ENC_DICT) || enc > ENC_GAP)
		return dec_fail(err, "column '%s' has unknown encoding %u",
				name, enc);
	if (enc == ENC_DICT) {
		dcol_release(col); /* a failed earlier attempt's */
		rc = decode_dict(col, p, end, c->count, type == EVT_BLOB, &p);
		if (rc == -ENOMEM)
			return oom(err, name, col->raw_len);
		if (rc < 0)
			return dec_fail(err, "column '%s' dictionary is corrupt",
					name);
	}
	if (get_varints(p, end, col->v, c->count, enc, &stop) < 0 ||
	    stop != end)
		return dec_fail(err, "column '%s' is corrupt", name);
	if (enc == ENC_REF) {
		const int64_t *r = c->cols[col->ref].v;
		for (uint32_t i = 0; i < c->count; i++)
			col->v[i] = (int64_t)((uint64_t)col->v[i] +
					      (uint64_t)r[i]);
	} else if (enc == ENC_GAP) { /* after the previous row's end */
		const int64_t *r = c->cols[col->ref].v;
		uint64_t prev_end = 0;
		for (uint32_t i = 0; i < c->count; i++) {
			uint64_t x = prev_end + (uint64_t)col->v[i];
			col->v[i] = (int64_t)x;
			prev_end = x + (uint64_t)r[i];
		}
	}
	if (enc == ENC_DICT)
		for (uint32_t i = 0; i < c->count; i++)
			if ((uint64_t)col->v[i] > col->ndict)
				return dec_fail(err, "column '%s' refers past "
						"its dictionary", name);
	if (c->d->fields[c->field[k]].flags & EVF_TS) {
		/* Range scans binary-search ts and trust the index span to
		 * skip chunks: a chunk that breaks either is refused. */
		const uint64_t *ts = (const uint64_t *)col->v;
		for (uint32_t i = 1; i < c->count; i++)
			if (ts[i] < ts[i - 1])
				return dec_fail(err, "column '%s' is not in ts "
						"order", name);
		if (c->count && (ts[0] < c->span_lo ||
				 ts[c->count - 1] > c->span_hi))
			return dec_fail(err, "ts outside its index span");
	}
	c->bytes_done += col->raw_len;
	col->done = 1;
	return 0;
}

int64_t chunk_dec_int(const struct chunk_dec *c, unsigned field, uint32_t row)
{
	return c->cols[c->col_of[field]].v[row];
}

const char *chunk_dec_str(const struct chunk_dec *c, unsigned field,
			  uint32_t row)
{
	const struct dcol *col = &c->cols[c->col_of[field]];
	int64_t i = col->v[row];

	return i ? col->dict[i - 1] : NULL;
}

int chunk_dec_row(struct chunk_dec *c, uint32_t row, void *ev,
		  char err[CHUNK_ERRLEN])
{
	const struct ev_desc *d = c->d;
	int rc;

	for (unsigned k = 0; k < c->ncols; k++) {
		unsigned f = c->field[k];
		if ((rc = chunk_dec_column(c, f, err)) < 0)
			return rc;
		if (ev_type_is_bytes(d->fields[f].type))
			ev_set_str(&d->fields[f], ev, chunk_dec_str(c, f, row));
		else
			ev_set_int(&d->fields[f], ev, chunk_dec_int(c, f, row));
	}
	return 0;
}

/* ---- recompression -------------------------------------------------- */

int chunk_dec_recompress(struct chunk_dec *c, int level, struct chunk_blob *out,
			 char err[CHUNK_ERRLEN])
{
	uint8_t hdr[HDR_MAX];
	uint8_t *h = hdr;
	size_t body = HDR_MAX;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!c->zc && !(c->zc = ZSTD_createCCtx()))
		return zstd_oom(err);
	*h++ = CHUNK_MAGIC0;
	*h++ = CHUNK_MAGIC1;
	h = varint_put(h, c->count);
	h = varint_put(h, c->hdr_ncols);
	for (unsigned k = 0; k < c->hdr_ncols; k++) {
		const struct dcol *col = &c->cols[k];
		const char *name = k < c->ncols ?
			c->d->fields[c->field[k]].name : "(newer)";
		const uint8_t *raw;
		uint8_t enc = col->enc;
		size_t stored = col->stored_len;

		if ((rc = column_raw(c, col, name, &raw, err)) < 0)
			return rc;
		size_t bound = ZSTD_compressBound(col->raw_len);
		if (buf_reserve(&c->re, &c->re_cap, body + bound) < 0)
			return oom(err, name, body + bound);
		size_t z = ZSTD_compressCCtx(c->zc, c->re + body, bound, raw,
					     col->raw_len, level);
		if (!ZSTD_isError(z) && z < stored && z < col->raw_len) {
			enc = (uint8_t)((enc & ENC_MASK) | ENC_ZSTD);
			stored = z;
		} else { /* kept as it was */
			memcpy(c->re + body, c->blob + col->off, stored);
		}
		h = put_coldesc(h, enc, col->ref, col->raw_len, stored,
				c->re + body);
		body += stored;
	}
	blob_finish(hdr, h, c->re, body, out);
	out->raw_size = c->raw_total;
	out->count = c->count;
	return 0;
}
