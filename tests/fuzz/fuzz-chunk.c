/*
 * fuzz-chunk.c - libFuzzer target: the chunk decoder on arbitrary bytes.
 *
 *     make check                                  # a short fixed-seed run
 *     tests/fuzz/fuzz-chunk -jobs=1 -max_total_time=600 \
 *         corpus-chunk/ $(srcdir)/tests/fuzz/corpus-chunk   # docs/FUZZING.md
 *
 * Input: byte 0 picks the event kind (its value modulo the number of kinds)
 * and where the event count comes from: with bit 7 set, from the blob's own
 * header (so mutations get past the count check); clear, bits 3-6 are the
 * count, to exercise a lying index.  The rest is the blob.
 *
 * The blob is loaded, every field's column decoded (twice, as a retry
 * after an error would), every value read, chunk_dec_row run on each row,
 * and the same bytes loaded again into the used decoder.  A chunk that
 * decodes completely must survive a round trip: its events re-encoded by
 * the builder decode to the same events (abort() otherwise).
 *
 * Built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, so chunk.c accepts
 * any checksum and mutated inputs reach the decoding behind it.
 */
#include "store/chunk.h"
#include "store/varint.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVBUF 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every decoded value of a column, so that ASan sees bad reads. */
static size_t touch(const struct chunk_dec *dec, const struct ev_desc *d,
		    unsigned f, uint32_t n)
{
	size_t sum = 0;

	for (uint32_t r = 0; r < n; r++) {
		if (d->fields[f].type == EVT_STR) {
			const char *s = chunk_dec_str(dec, f, r);
			sum += s ? strlen(s) : 0;
		} else {
			sum += (size_t)chunk_dec_int(dec, f, r);
		}
	}
	return sum;
}

static int same_event(const struct ev_desc *d, const void *a, const void *b)
{
	for (unsigned f = 0; f < d->nfields; f++) {
		const struct ev_field *fl = &d->fields[f];
		if (fl->flags & EVF_DERIVED)
			continue;
		if (fl->type == EVT_STR) {
			const char *x = ev_get_str(fl, a), *y = ev_get_str(fl, b);
			if ((!x || !y) ? x != y : strcmp(x, y) != 0)
				return 0;
		} else if (ev_get_int(fl, a) != ev_get_int(fl, b)) {
			return 0;
		}
	}
	return 1;
}

/* Re-encode the N decoded events of DEC and check they read back equal. */
static void roundtrip(struct chunk_dec *dec, const struct ev_desc *d,
		      uint32_t n)
{
	struct chunk_builder *b = chunk_builder_new(d, n);
	struct chunk_dec *again = chunk_dec_new(d);
	unsigned char ev[EVBUF], ev2[EVBUF];
	struct chunk_blob blob;
	char err[CHUNK_ERRLEN];

	if (!b || !again)
		goto out;
	for (uint32_t r = 0; r < n; r++) {
		memset(ev, 0, sizeof(ev));
		if (chunk_dec_row(dec, r, ev, err) < 0 ||
		    chunk_builder_add(b, ev) < 0)
			goto out;
	}
	if (chunk_builder_seal(b, &blob) < 0)
		goto out; /* E2BIG or ENOMEM: not a decoder bug */
	if (chunk_dec_load(again, blob.data, blob.size, n, err) < 0) {
		fprintf(stderr, "re-encoded chunk does not load: %s\n", err);
		abort();
	}
	chunk_dec_span(again, blob.ts_first, blob.ts_last);
	for (uint32_t r = 0; r < n; r++) {
		memset(ev, 0, sizeof(ev));
		memset(ev2, 0, sizeof(ev2));
		if (chunk_dec_row(dec, r, ev, err) < 0)
			abort();
		if (chunk_dec_row(again, r, ev2, err) < 0) {
			fprintf(stderr, "re-encoded chunk does not decode: %s\n",
				err);
			abort();
		}
		if (!same_event(d, ev, ev2)) {
			fprintf(stderr, "row %u of %s changed in a round trip\n",
				r, d->table);
			abort();
		}
	}
out:
	chunk_builder_free(b);
	chunk_dec_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static volatile size_t sink;
	(void)sink;
	const struct ev_desc *d;
	struct chunk_dec *dec;
	char err[CHUNK_ERRLEN];
	uint32_t count;
	uint64_t n;
	int ok = 1;

	if (size < 1)
		return 0;
	d = ev_desc((enum ev_kind)(data[0] % EV_KIND_COUNT));
	count = (data[0] >> 3) & 0x0f;
	if ((data[0] & 0x80) && size > 3 &&
	    varint_get(data + 3, data + size, &n))
		count = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	data++, size--;

	if (!(dec = chunk_dec_new(d)))
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		if (chunk_dec_load(dec, data, size, count, err) < 0) {
			ok = 0;
			break;
		}
		if (chunk_dec_count(dec) != count)
			abort();
		for (unsigned f = 0; f < d->nfields; f++) {
			int rc = chunk_dec_column(dec, f, err);
			/* A retry after an error must fail again (and not
			 * leak what the first attempt allocated). */
			if (rc < 0 && chunk_dec_column(dec, f, err) >= 0)
				abort();
			if (rc < 0)
				ok = 0;
			else
				sink += touch(dec, d, f, count);
		}
	}
	if (ok && count) {
		unsigned char ev[EVBUF];
		for (uint32_t r = 0; r < count; r++) {
			memset(ev, 0, sizeof(ev));
			if (chunk_dec_row(dec, r, ev, err) < 0)
				abort(); /* every column decoded above */
		}
		roundtrip(dec, d, count);
	}
	chunk_dec_free(dec);
	return 0;
}
