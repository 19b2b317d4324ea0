/*
 * varint.h - LEB128 varints and zigzag mapping, as the chunk codec uses them.
 *
 *     p = varint_put(p, zigzag(v));          // writes 1..10 bytes
 *     n = varint_get(p, end, &u);            // 0 on truncated/overlong input
 */
#ifndef KSCOPE_VARINT_H
#define KSCOPE_VARINT_H

#include <stddef.h>
#include <stdint.h>

#define VARINT_MAX 10

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* Bytes varint_put writes for U, without a loop: ceil(bits / 7) for the
 * bits up to the highest set one, that is (bits * 9 + 64) / 64 for bits
 * 1..64, with bits = hi + 1. */
static inline unsigned varint_len(uint64_t u)
{
	unsigned hi = 63 - (unsigned)__builtin_clzll(u | 1);

	return (hi * 9 + 73) >> 6;
}

static inline uint8_t *varint_put(uint8_t *p, uint64_t u)
{
	while (u >= 0x80) {
		*p++ = (uint8_t)(u | 0x80);
		u >>= 7;
	}
	*p++ = (uint8_t)u;
	return p;
}

/* Bytes consumed, or 0 if the input ends inside the varint or it is longer
 * than 10 bytes. */
static inline size_t varint_get(const uint8_t *p, const uint8_t *end,
				uint64_t *out)
{
	uint64_t u = 0;
	unsigned shift = 0;
	const uint8_t *s = p;

	while (p < end && shift < 64) {
		uint8_t b = *p++;

		u |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = u;
			return (size_t)(p - s);
		}
		shift += 7;
	}
	return 0;
}

#endif
